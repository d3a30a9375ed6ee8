import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@pairpad/db/client";
import { codeSnapshots, documentUpdates, historyEntries, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq } from "drizzle-orm";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Env } from "./env.ts";
import { type RunningServer, startServer } from "./main.ts";
import { eventually, signUp } from "./testing.ts";

const settings: Partial<Env> = {
  PORT: 0,
  HOST: "127.0.0.1",
  LOG_LEVEL: "silent",
  SIGNIN_ATTEMPTS_PER_MINUTE: 1000,
  // Both nodes share Redis when there is one (CI), as behind a load balancer.
  ...(process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `pairpad-test-${crypto.randomUUID()}:` }
    : {}),
};

for (const target of testDatabaseTargets()) {
  describe(`workspaces over HTTP and WebSocket (${target.name})`, () => {
    let database: Database;
    // Two nodes over one database, as behind a load balancer.
    let node: RunningServer;
    let other: RunningServer;
    let alice: string; // owner of workspace A
    let bob: string; // owner of workspace B
    let sessionOfA: { id: string; interviewerToken: string };

    const call = (
      server: RunningServer,
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: unknown,
    ) =>
      fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", origin: server.url, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const json = async <T>(response: Response): Promise<T> => {
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };

    /** The standard y-websocket provider on session A, with a browser's (or a script's) headers. */
    const joinRoom = (server: RunningServer, headers: Record<string, string>, name: string) => {
      const Socket = class extends WebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, { headers, protocols } as never);
        }
      };
      const provider = new WebsocketProvider(
        `${server.url.replace("http", "ws")}/ws/sessions`,
        sessionOfA.id,
        new Y.Doc(),
        { WebSocketPolyfill: Socket as never, disableBc: true },
      );
      provider.awareness.setLocalStateField("user", { name, color: "#3f51b5", role: "candidate" });
      return provider;
    };
    const rolesInA = async (server: RunningServer) => {
      const { participants } = await json<{ participants: Array<{ name: string; role: string }> }>(
        await call(server, "GET", `/sessions/${sessionOfA.id}/participants`),
      );
      return participants.map((p) => `${p.name}:${p.role}`).sort();
    };

    beforeAll(async () => {
      database = await target.open();
      const dataDir = () => mkdtempSync(join(tmpdir(), "pairpad-"));
      node = await startServer({ ...settings, DATA_DIR: dataDir() }, {}, { database });
      other = await startServer(
        { ...settings, DATA_DIR: dataDir() },
        {},
        { database: { ...database, close: async () => {} } },
      );
      alice = await signUp(node, { email: "alice@a.example", name: "Alice" });
      bob = await signUp(node, { email: "bob@b.example", name: "Bob" });
      sessionOfA = await json(
        await call(node, "POST", "/sessions", { cookie: alice }, { title: "Backend loop A" }),
      );
    });
    afterAll(async () => {
      await other.stop();
      await node.stop();
    });

    test("a session made by a member belongs to the workspace; its members need no token, others are refused", async () => {
      const id = sessionOfA.id;
      const got = await json<{ isInterviewer: boolean }>(
        await call(node, "GET", `/sessions/${id}`, { cookie: alice }),
      );
      expect(got.isInterviewer).toBe(true);
      expect(
        (await call(node, "PATCH", `/sessions/${id}`, { cookie: alice }, { title: "Renamed" })).status,
      ).toBe(200);

      // Bob (another workspace) holds the candidate link, nothing more: no procedure treats him as interviewer.
      const asBob = await json<{ isInterviewer: boolean }>(
        await call(node, "GET", `/sessions/${id}`, { cookie: bob }),
      );
      expect(asBob.isInterviewer).toBe(false);
      for (const [method, path, body] of [
        ["PATCH", `/sessions/${id}`, { title: "Hijacked" }],
        ["DELETE", `/sessions/${id}`, undefined],
        ["GET", `/sessions/${id}/export`, undefined],
        ["GET", `/sessions/${id}/playback`, undefined],
        ["GET", `/sessions/${id}/notes`, undefined],
        ["GET", `/sessions/${id}/scorecard`, undefined],
        ["POST", `/sessions/${id}/socket-ticket`, undefined],
        ["GET", `/sessions/${id}/interviewer-markers`, undefined],
      ] as const) {
        expect({
          path,
          method,
          status: (await call(node, method, path, { cookie: bob }, body)).status,
        }).toEqual({
          path,
          method,
          status: 403,
        });
      }
      // Over tRPC too.
      const trpc = await fetch(`${node.url}/trpc/session.update`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: bob },
        body: JSON.stringify({ id, title: "Hijacked" }),
      });
      expect(trpc.status).toBe(403);
      // The dashboards: each workspace sees its own interviews only.
      const listA = await json<{ items: Array<{ id: string; createdBy: { name: string } | null }> }>(
        await call(node, "GET", "/interviews", { cookie: alice }),
      );
      expect(listA.items.map((i) => i.id)).toEqual([id]);
      expect(listA.items[0]?.createdBy?.name).toBe("Alice");
      // The scorecard's recommendation shows in the dashboard once saved.
      expect((listA.items[0] as { recommendation?: unknown }).recommendation).toBeNull();
      const saved = await call(
        node,
        "PUT",
        `/sessions/${id}/scorecard`,
        { cookie: alice },
        { recommendation: "yes" },
      );
      expect(saved.status).toBe(200);
      const scored = await json<{ items: Array<{ recommendation: string | null }> }>(
        await call(node, "GET", "/interviews", { cookie: alice }),
      );
      expect(scored.items[0]?.recommendation).toBe("yes");
      const listB = await json<{ items: unknown[] }>(await call(node, "GET", "/interviews", { cookie: bob }));
      expect(listB.items).toEqual([]);
      expect((await call(node, "DELETE", `/interviews/${id}`, { cookie: bob })).status).toBe(404);
      expect((await call(node, "GET", "/interviews")).status).toBe(401);
    });

    test("the socket makes a workspace member the interviewer by the cookie; another workspace's member joins as a candidate", async () => {
      const a = joinRoom(other, { cookie: alice }, "Alice");
      const b = joinRoom(other, { cookie: bob }, "Bob");
      try {
        await eventually(
          async () => expect(await rolesInA(other)).toEqual(["Alice:interviewer", "Bob:candidate"]),
          15_000,
        );
      } finally {
        a.destroy();
        b.destroy();
      }
    });

    test("the interviewers' event stream (SSE) is its workspace's: another workspace's cookie or key is refused", async () => {
      /** Reads an SSE answer until `enough` says so; what arrived, as text. */
      const stream = async (headers: Record<string, string>, enough: (text: string) => boolean) => {
        const abort = new AbortController();
        const input = encodeURIComponent(JSON.stringify({ id: sessionOfA.id }));
        const response = await fetch(`${node.url}/trpc/events.interviewer?input=${input}`, {
          headers: { accept: "text/event-stream", ...headers },
          signal: abort.signal,
        });
        const reader = response.body?.getReader();
        let text = "";
        const read = (async () => {
          for (;;) {
            const chunk = await reader?.read();
            if (!chunk || chunk.done) return;
            text += new TextDecoder().decode(chunk.value);
            if (enough(text)) return;
          }
        })();
        return { text: () => text, read, stop: () => abort.abort() };
      };
      const bobsKey = await json<{ key: string }>(
        await call(node, "POST", "/workspace/api-keys", { cookie: bob }, { name: "b-sse" }),
      );
      for (const headers of [{ cookie: bob }, { "x-api-key": bobsKey.key }] as Array<
        Record<string, string>
      >) {
        const refused = await stream(headers, (text) => /httpStatus/.test(text));
        await refused.read;
        expect(/"httpStatus":(\d+)/.exec(refused.text())?.[1]).toBe("403");
        refused.stop();
      }
      // Alice's cookie subscribes, and sees her colleague's note live.
      const note = `Private note ${crypto.randomUUID()}`;
      const watching = await stream({ cookie: alice }, (text) => text.includes(note));
      await eventually(async () => {
        await json(
          await call(node, "POST", `/sessions/${sessionOfA.id}/notes`, { cookie: alice }, { text: note }),
        );
        expect(watching.text()).toContain(note);
      }, 15_000);
      watching.stop();
      await watching.read.catch(() => {});
    });

    test("invitation by link, roles: an interviewer cannot remove members, an admin can", async () => {
      const invite = (email: string, role: string) =>
        call(node, "POST", "/workspace/invitations", { cookie: alice }, { email, role }).then((r) =>
          json<{ id: string; link: string }>(r),
        );
      const forCarol = await invite("carol@a.example", "interviewer");
      const forDave = await invite("dave@a.example", "admin");
      expect(forCarol.link).toBe(
        `${node.env.PUBLIC_URL ?? node.deps.config.publicUrl}/invite/${forCarol.id}`,
      );
      const carol = await signUp(node, { email: "carol@a.example", name: "Carol" });
      const dave = await signUp(node, { email: "dave@a.example", name: "Dave" });
      // Bob cannot accept an invitation addressed to someone else.
      expect(
        (await call(node, "POST", `/workspace/invitations/${forCarol.id}/accept`, { cookie: bob })).status,
      ).toBe(403);
      await json(await call(node, "POST", `/workspace/invitations/${forCarol.id}/accept`, { cookie: carol }));
      await json(await call(node, "POST", `/workspace/invitations/${forDave.id}/accept`, { cookie: dave }));

      const { members } = await json<{ members: Array<{ id: string; name: string; role: string }> }>(
        await call(node, "GET", "/workspace/members", { cookie: carol }),
      );
      expect(members.map((m) => `${m.name}:${m.role}`)).toEqual([
        "Alice:owner",
        "Carol:interviewer",
        "Dave:admin",
      ]);
      const memberId = (name: string) => members.find((m) => m.name === name)?.id ?? "";
      // Carol (interviewer) sees the workspace's interviews but may not manage it.
      expect(
        (await json<{ items: unknown[] }>(await call(node, "GET", "/interviews", { cookie: carol }))).items,
      ).toHaveLength(1);
      expect(
        (await call(node, "DELETE", `/workspace/members/${memberId("Dave")}`, { cookie: carol })).status,
      ).toBe(403);
      expect(
        (await call(node, "POST", "/workspace/api-keys", { cookie: carol }, { name: "ats" })).status,
      ).toBe(403);
      // Bob (another workspace's owner) cannot remove anyone here.
      expect(
        (await call(node, "DELETE", `/workspace/members/${memberId("Carol")}`, { cookie: bob })).status,
      ).not.toBe(200);
      expect(
        (await call(node, "DELETE", `/workspace/members/${memberId("Carol")}`, { cookie: dave })).status,
      ).toBe(200);
      const after = await json<{ members: Array<{ name: string }> }>(
        await call(node, "GET", "/workspace/members", { cookie: alice }),
      );
      expect(after.members.map((m) => m.name)).toEqual(["Alice", "Dave"]);
    });

    test("API keys: shown once, stored hashed, scoped to the workspace, refused on every node once revoked", async () => {
      const created = await json<{ id: string; key: string }>(
        await call(node, "POST", "/workspace/api-keys", { cookie: alice }, { name: "ats" }),
      );
      expect(created.key).toStartWith("ppk_");
      const listed = await (await call(node, "GET", "/workspace/api-keys", { cookie: alice })).text();
      expect(listed).not.toContain(created.key);
      const stored = JSON.stringify(await database.db.execute("select * from api_keys" as never));
      expect(stored).not.toContain(created.key);

      // Either header; the key acts as an interviewer of its workspace's sessions.
      const made = await json<{ id: string }>(
        await call(
          other,
          "POST",
          "/sessions",
          { authorization: `Bearer ${created.key}` },
          { title: "From the ATS" },
        ),
      );
      expect(
        (
          await call(
            other,
            "PATCH",
            `/sessions/${sessionOfA.id}`,
            { "x-api-key": created.key },
            { title: "By key" },
          )
        ).status,
      ).toBe(200);
      const list = await json<{ items: Array<{ id: string }> }>(
        await call(other, "GET", "/interviews", { "x-api-key": created.key }),
      );
      expect(list.items.map((i) => i.id)).toContain(made.id);

      // Bob's key does nothing to workspace A.
      const bobs = await json<{ key: string }>(
        await call(node, "POST", "/workspace/api-keys", { cookie: bob }, { name: "b" }),
      );
      expect(
        (await call(other, "PATCH", `/sessions/${sessionOfA.id}`, { "x-api-key": bobs.key }, { title: "x" }))
          .status,
      ).toBe(403);
      expect((await call(other, "DELETE", `/interviews/${made.id}`, { "x-api-key": bobs.key })).status).toBe(
        404,
      );

      // A script holding the key joins the room as its interviewer.
      const before = joinRoom(other, { "x-api-key": created.key }, "ATS");
      try {
        await eventually(async () => expect(await rolesInA(other)).toEqual(["ATS:interviewer"]), 15_000);
      } finally {
        before.destroy();
      }
      await eventually(async () => expect(await rolesInA(other)).toEqual([]), 15_000);

      // Revoked on one node: the other refuses it on the next request.
      expect((await call(other, "GET", "/interviews", { "x-api-key": created.key })).status).toBe(200);
      expect(
        (await call(node, "DELETE", `/workspace/api-keys/${created.id}`, { cookie: alice })).status,
      ).toBe(200);
      expect((await call(other, "GET", "/interviews", { "x-api-key": created.key })).status).toBe(401);
      expect(
        (await call(other, "POST", "/sessions", { authorization: `Bearer ${created.key}` }, {})).status,
      ).toBe(401);
      // On the socket too: with the link alone it is a candidate now.
      const after = joinRoom(other, { "x-api-key": created.key }, "ATS");
      try {
        await eventually(async () => expect(await rolesInA(other)).toEqual(["ATS:candidate"]), 15_000);
      } finally {
        after.destroy();
      }
    });

    test("a member deletes a record at once: every row of it", async () => {
      const made = await json<{ id: string }>(
        await call(node, "POST", "/sessions", { cookie: alice }, { title: "To delete" }),
      );
      await json(await call(node, "POST", `/sessions/${made.id}/code`, { cookie: alice }, { code: "x = 1" }));
      expect((await call(node, "DELETE", `/interviews/${made.id}`, { cookie: alice })).status).toBe(200);
      for (const table of [sessions, codeSnapshots, historyEntries, documentUpdates]) {
        const column = table === sessions ? sessions.id : (table as typeof codeSnapshots).sessionId;
        expect(await database.db.select().from(table).where(eq(column, made.id))).toEqual([]);
      }
    });
  });
}
