import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AppRouter } from "@pairpad/api";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { RunningServer } from "./main.ts";
import { eventually, startTestServer } from "./testing.ts";

/** The server of the database target being tested (each target's `describe` starts its own). */
let server: RunningServer;
const LIMIT = 3;

async function newSession(): Promise<string> {
  const response = await fetch(`${server.url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  return ((await response.json()) as { id: string }).id;
}

const streamUrl = (id: string) =>
  `${server.url}/trpc/events.session?input=${encodeURIComponent(JSON.stringify({ id }))}`;

/** A real EventSource on a session's event stream: resolves once open, or with the refusal's status. */
function open(id: string): Promise<{ source: EventSource; refused?: number }> {
  const source = new EventSource(streamUrl(id));
  return new Promise((resolve) => {
    source.onopen = () => resolve({ source });
    source.onerror = (event) => {
      if (source.readyState === EventSource.CLOSED) resolve({ source, refused: event.code });
    };
  });
}

for (const target of testDatabaseTargets()) {
  describe(`event streams per client (${target.name})`, () => {
    beforeAll(async () => {
      server = await startTestServer(target, { MAX_EVENT_STREAMS_PER_CLIENT: LIMIT });
    });
    afterAll(() => server.stop());

    test("a client may hold only so many event streams: the next gets a clear 429 until one closes", async () => {
      const id = await newSession();
      const streams = await Promise.all(Array.from({ length: LIMIT }, () => open(id)));
      try {
        for (const stream of streams) expect(stream.refused).toBeUndefined();

        const extra = await open(id);
        expect(extra.refused).toBe(429);
        extra.source.close();
        const raw = await fetch(streamUrl(id));
        expect(raw.status).toBe(429);
        expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
        const body = (await raw.json()) as { code: string; message: string };
        expect(body.code).toBe("TOO_MANY_REQUESTS");
        expect(body.message).toContain(`at most ${LIMIT}`);

        // The open streams still deliver events.
        const received: string[] = [];
        streams[0]?.source.addEventListener("message", (event) => received.push(event.data));
        await eventually(async () => {
          await fetch(`${server.url}/api/sessions/${id}/code`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ label: "ping" }),
          });
          expect(received.join()).toContain("snapshot-saved");
        });

        // Closing one frees its slot.
        streams[0]?.source.close();
        const again = await eventually(async () => {
          const next = await open(id);
          if (next.refused) throw new Error(`refused ${next.refused}`);
          return next;
        });
        streams[0] = again;
      } finally {
        for (const stream of streams) stream.source.close();
      }
    });

    test("the tRPC client's subscription past the limit fails instead of hanging", async () => {
      const id = await newSession();
      const held = await Promise.all(Array.from({ length: LIMIT }, () => open(id)));
      const client = createTRPCClient<AppRouter>({
        links: [
          splitLink({
            condition: (op) => op.type === "subscription",
            true: httpSubscriptionLink({ url: `${server.url}/trpc`, EventSource }),
            false: httpBatchLink({ url: `${server.url}/trpc` }),
          }),
        ],
      });
      try {
        const error = await new Promise<unknown>((resolve) => {
          const sub = client.events.session.subscribe(
            { id },
            {
              onError: (e) => {
                sub.unsubscribe();
                resolve(e);
              },
              onData: () => resolve(new Error("unexpected data")),
            },
          );
        });
        expect(String(error)).toContain("429");
        expect((error as { cause?: { code?: number } }).cause?.code).toBe(429);
      } finally {
        for (const stream of held) stream.source.close();
      }
    });
  });
}
