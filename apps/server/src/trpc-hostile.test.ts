import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

/** Attacks on the tRPC transport itself: its paths, its subscriptions, its batches. */
const STREAMS = 2;

interface CreatedSession {
  id: string;
  interviewerToken: string;
}

for (const target of testDatabaseTargets()) {
  describe(`tRPC under hostile callers (${target.name})`, () => {
    let server: RunningServer;
    const held: AbortController[] = [];

    const createSession = async (): Promise<CreatedSession> => {
      const response = await fetch(`${server.url}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      return (await response.json()) as CreatedSession;
    };

    /**
     * Opens a subscription at `path` (as written, encoded or not) and keeps it open; its status. Each test
     * is a client of its own (through the trusted proxy), so slots still being freed do not carry over.
     */
    let client = 0;
    const subscribe = async (path: string, input: unknown, extra: Record<string, string> = {}) => {
      const headers = { accept: "text/event-stream", "x-forwarded-for": `192.0.2.${client}`, ...extra };
      const controller = new AbortController();
      held.push(controller);
      const response = await fetch(
        `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers, signal: controller.signal },
      );
      return response.status;
    };
    const closeAll = () => {
      for (const controller of held.splice(0)) controller.abort();
      client++;
    };

    beforeAll(async () => {
      server = await startTestServer(target, {
        MAX_EVENT_STREAMS_PER_CLIENT: STREAMS,
        TRUSTED_PROXIES: ["loopback"],
      });
    });
    afterAll(async () => {
      closeAll();
      await server.stop();
    });

    test("an encoded procedure path is the same procedure: its streams count against the limit", async () => {
      const session = await createSession();
      try {
        for (let i = 0; i < STREAMS; i++) {
          expect(await subscribe("events%2Esession", { id: session.id })).toBe(200);
        }
        expect(await subscribe("events.session", { id: session.id })).toBe(429);
        expect(await subscribe("events%2esession", { id: session.id })).toBe(429);
      } finally {
        closeAll();
      }
    });

    test("the interviewers' event stream counts against the same limit as the session's", async () => {
      // Anyone may create a session and so hold its interviewer token.
      const session = await createSession();
      const bearer = { authorization: `Bearer ${session.interviewerToken}` };
      try {
        for (let i = 0; i < STREAMS; i++) {
          expect(await subscribe("events.interviewer", { id: session.id }, bearer)).toBe(200);
        }
        expect(await subscribe("events.interviewer", { id: session.id }, bearer)).toBe(429);
        expect(await subscribe("events.session", { id: session.id })).toBe(429);
      } finally {
        closeAll();
      }
    });

    test("errors tRPC answers before any context exists carry the request id, as every other error", async () => {
      const batch = Array.from({ length: 33 }, () => "session.get").join(",");
      const requests: Array<[string, RequestInit]> = [
        ["/trpc/session.create", { method: "POST", body: "{}" }],
        ["/trpc/session.create", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }],
        [`/trpc/${batch}?batch=1&input=%7B%7D`, {}],
        ["/trpc/%E0%A4%A", {}],
      ];
      for (const [path, init] of requests) {
        const response = await fetch(`${server.url}${path}`, init);
        const body = (await response.json()) as { error: { data: { requestId?: string } } };
        expect({ path, status: response.status >= 400 && response.status < 500 }).toEqual({
          path,
          status: true,
        });
        expect({ path, type: response.headers.get("content-type") }).toEqual({
          path,
          type: "application/json",
        });
        expect({ path, requestId: body.error.data.requestId }).toEqual({
          path,
          requestId: response.headers.get("x-request-id") ?? "missing",
        });
      }
    });
  });
}
