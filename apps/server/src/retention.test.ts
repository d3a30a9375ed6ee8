import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Replayer } from "@pairpad/api/playback/replayer";
import { decodeTimeline, type TimelinePage } from "@pairpad/api/playback/timeline";
import { sweepExpiredSessions } from "@pairpad/api/session/sessions";
import {
  codeSnapshots,
  documentStates,
  documentUpdates,
  historyEntries,
  interviewerNotes,
  sessions,
} from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq } from "drizzle-orm";
import type { RunningServer } from "./main.ts";
import { connectProvider, eventually, signUp, startTestServer } from "./testing.ts";

const DAY = 86_400_000;

for (const target of testDatabaseTargets()) {
  describe(`link expiry is not deletion (${target.name})`, () => {
    let server: RunningServer;
    let alice: string; // owner of the workspace that keeps the record
    let bob: string; // another workspace
    let kept: { id: string; interviewerToken: string; observerUrl: string };
    let quick: { id: string; interviewerToken: string };

    const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
      fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const json = async <T>(response: Response): Promise<T> => {
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    /** Moves a session's link expiry into the past, as the clock would. */
    const expire = (id: string, ago: number) =>
      server.deps.db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - ago) })
        .where(eq(sessions.id, id));
    /** How a socket to the session ends: the close code the server sends. */
    const joinCloseCode = (id: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws/sessions/${id}`, {
          headers,
        } as never);
        const timer = setTimeout(() => reject(new Error("the socket stayed open")), 20_000);
        socket.addEventListener("close", (event) => {
          clearTimeout(timer);
          resolve(event.code);
        });
      });

    beforeAll(async () => {
      server = await startTestServer(target, { RETENTION_DAYS: 2, SIGNIN_ATTEMPTS_PER_MINUTE: 1000 });
      alice = await signUp(server, { email: "alice@a.example", name: "Alice" });
      bob = await signUp(server, { email: "bob@b.example", name: "Bob" });
      kept = await json(await call("POST", "/sessions", { cookie: alice }, { title: "Kept loop" }));
      quick = await json(await call("POST", "/sessions", {}, { title: "Quick one" }));

      // The candidate writes code over the socket; the interviewer leaves a note.
      const candidate = connectProvider(server, kept.id, "Cand");
      try {
        await eventually(() => expect(candidate.provider.synced).toBe(true), 15_000);
        candidate.text.insert(0, "print('kept')");
        await eventually(async () => {
          const code = await json<{ code: string }>(await call("GET", `/sessions/${kept.id}/code`));
          expect(code.code).toBe("print('kept')");
          const page = await json<TimelinePage>(
            await call("GET", `/sessions/${kept.id}/playback`, { cookie: alice }),
          );
          // Recorded, not only live: the replay already shows it.
          expect(new Replayer(decodeTimeline(page), 16).at(Date.now()).code).toBe("print('kept')");
        }, 15_000);
      } finally {
        candidate.provider.destroy();
      }
      await json(
        await call("POST", `/sessions/${kept.id}/code`, { cookie: alice }, { code: "print('kept')" }),
      );
      await json(
        await call("POST", `/sessions/${kept.id}/notes`, { cookie: alice }, { text: "Strong on recursion" }),
      );
      await expire(kept.id, 60_000);
      await expire(quick.id, 60_000);
    });
    afterAll(() => server.stop());

    test("an expired link refuses to join, over the socket and REST, for everyone", async () => {
      expect(await joinCloseCode(kept.id)).toBe(4404);
      // Not even a member by the cookie: joining is over once the links expired.
      expect(await joinCloseCode(kept.id, { cookie: alice })).toBe(4404);
      expect(await joinCloseCode(kept.id, { authorization: `Bearer ${kept.interviewerToken}` })).toBe(4404);

      // The candidate link and the interviewer token reach nothing any more.
      expect((await call("GET", `/sessions/${kept.id}`)).status).toBe(404);
      expect((await call("POST", `/sessions/${kept.id}/code`, {}, { code: "x" })).status).toBe(404);
      expect(
        (
          await call("GET", `/sessions/${kept.id}/playback`, {
            authorization: `Bearer ${kept.interviewerToken}`,
          })
        ).status,
      ).toBe(404);
      expect(
        (await call("POST", "/execute", {}, { sessionId: kept.id, language: "python", code: "print(1)" }))
          .status,
      ).toBe(404);
      const observer = new URL(kept.observerUrl).pathname.split("/").at(-1) ?? "";
      expect((await call("GET", `/watch/${observer}`)).status).toBe(404);

      // A member may read the record but not reopen the room or change the code.
      const ticket = await call("POST", `/sessions/${kept.id}/socket-ticket`, { cookie: alice });
      expect(ticket.status).toBe(409);
      expect(((await ticket.json()) as { message: string }).message).toMatch(/expired/);
      expect((await call("POST", `/sessions/${kept.id}/code`, { cookie: alice }, { code: "x" })).status).toBe(
        409,
      );
      const extend = await call(
        "PATCH",
        `/sessions/${kept.id}`,
        { cookie: alice },
        { expiresAt: new Date(Date.now() + DAY).toISOString() },
      );
      expect(extend.status).toBe(409);
      // Live events end with the links too.
      const events = await fetch(
        `${server.url}/trpc/events.session?input=${encodeURIComponent(JSON.stringify({ id: kept.id }))}`,
        { headers: { cookie: alice } },
      );
      const stream = await events.text();
      expect(stream).toMatch(/NOT_FOUND|not found or expired/);
    });

    test("the workspace keeps the record: listed as expired, its replay plays, export and notes answer", async () => {
      const list = await json<{ items: Array<{ id: string; status: string }> }>(
        await call("GET", "/interviews", { cookie: alice }),
      );
      expect(list.items).toContainEqual(expect.objectContaining({ id: kept.id, status: "expired" }));

      const page = await json<TimelinePage>(
        await call("GET", `/sessions/${kept.id}/playback`, { cookie: alice }),
      );
      const replayer = new Replayer(decodeTimeline(page), 16);
      expect(replayer.at(Date.now()).code).toBe("print('kept')");

      const exported = await json<{ code: { code: string }; snapshots: unknown[] }>(
        await call("GET", `/sessions/${kept.id}/export`, { cookie: alice }),
      );
      expect(exported.code.code).toBe("print('kept')");
      expect(exported.snapshots.length).toBeGreaterThan(0);
      const solution = await fetch(`${server.url}/api/sessions/${kept.id}/solution`, {
        headers: { cookie: alice },
      });
      expect(await solution.text()).toBe("print('kept')");
      const details = await json<{ isInterviewer: boolean }>(
        await call("GET", `/sessions/${kept.id}`, { cookie: alice }),
      );
      expect(details.isInterviewer).toBe(true);
      // The interviewers finish their notes after the interview.
      expect(
        (await call("POST", `/sessions/${kept.id}/notes`, { cookie: alice }, { text: "Hire" })).status,
      ).toBe(200);

      // Another workspace, like a stranger, finds nothing.
      for (const headers of [{ cookie: bob }, {}] as Array<Record<string, string>>) {
        expect((await call("GET", `/sessions/${kept.id}/playback`, headers)).status).toBe(404);
        expect((await call("GET", `/sessions/${kept.id}/export`, headers)).status).toBe(404);
      }
    });

    test("an anonymous session is gone at expiry and swept; the workspace's record only past RETENTION_DAYS, every row of it", async () => {
      expect((await call("GET", `/sessions/${quick.id}`)).status).toBe(404);
      expect(
        (
          await call("GET", `/sessions/${quick.id}/playback`, {
            authorization: `Bearer ${quick.interviewerToken}`,
          })
        ).status,
      ).toBe(404);
      await sweepExpiredSessions(server.deps);
      expect(await server.deps.db.select().from(sessions).where(eq(sessions.id, quick.id))).toEqual([]);
      expect((await call("GET", `/sessions/${kept.id}/playback`, { cookie: alice })).status).toBe(200);

      // Just inside the retention: kept through a sweep.
      await expire(kept.id, 2 * DAY - 60_000);
      await sweepExpiredSessions(server.deps);
      expect((await call("GET", `/sessions/${kept.id}/playback`, { cookie: alice })).status).toBe(200);

      // Past it: gone from the list and the replay at once, and the sweep deletes every row.
      await expire(kept.id, 2 * DAY + 60_000);
      expect((await call("GET", `/sessions/${kept.id}/playback`, { cookie: alice })).status).toBe(404);
      expect((await call("GET", `/sessions/${kept.id}/export`, { cookie: alice })).status).toBe(404);
      const listed = async () =>
        (await json<{ items: Array<{ id: string }> }>(await call("GET", "/interviews", { cookie: alice })))
          .items;
      expect((await listed()).map((i) => i.id)).not.toContain(kept.id);
      await sweepExpiredSessions(server.deps);
      expect((await listed()).map((i) => i.id)).not.toContain(kept.id);
      for (const [table, column] of [
        [sessions, sessions.id],
        [codeSnapshots, codeSnapshots.sessionId],
        [historyEntries, historyEntries.sessionId],
        [documentUpdates, documentUpdates.sessionId],
        [documentStates, documentStates.sessionId],
        [interviewerNotes, interviewerNotes.sessionId],
      ] as const) {
        expect(await server.deps.db.select().from(table).where(eq(column, kept.id))).toEqual([]);
      }
    });
  });
}
