import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { documentStates, historyEntries, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { asc, eq } from "drizzle-orm";
import { LocalBus } from "../bus/local-bus.ts";
import { CloseCode } from "./close-codes.ts";
import {
  collectEvents,
  connect,
  createSession,
  type RoomNode,
  rawSocket,
  retryableAssertion,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(30_000);

for (const target of testDatabaseTargets()) {
  describe(`rooms on ${target.name}`, () => {
    let database: Database;
    let bus: LocalBus;
    let node: RoomNode;

    beforeAll(async () => {
      database = await target.open();
      bus = new LocalBus();
      node = await startRoomNode(database.db, bus, { unloadGraceMs: 100 });
    });
    afterAll(async () => {
      await node.stop();
      await bus.close();
      await database.close();
    });

    test("two standard WebsocketProviders converge both ways, awareness crosses", async () => {
      const { id } = await createSession(database.db);
      const alice = connect(node.url, id, { name: "Alice" });
      const bob = connect(node.url, id, { name: "Bob" });
      try {
        await Promise.all([synced(alice), synced(bob)]);
        alice.text.insert(0, "hello");
        await retryableAssertion(() => expect(bob.text.toString()).toBe("hello"));
        bob.text.insert(5, " world");
        await retryableAssertion(() => expect(alice.text.toString()).toBe("hello world"));
        await retryableAssertion(() => {
          const names = [...alice.provider.awareness.getStates().values()].map((s) => s.user?.name);
          expect(names).toContain("Bob");
        });
        // The language was put into meta on load, from the session row.
        expect(alice.doc.getMap("meta").get("language")).toBe("javascript");
      } finally {
        alice.destroy();
        bob.destroy();
      }
    });

    test("participants and readCode reflect the live document; join and leave are told", async () => {
      const { id, token } = await createSession(database.db);
      const events = collectEvents(node, id);
      await node.events.ready(id);
      const interviewer = connect(node.url, id, { name: "Ines", params: { token } });
      const candidate = connect(node.url, id, { name: "Carl" });
      try {
        await Promise.all([synced(interviewer), synced(candidate)]);
        candidate.text.insert(0, "print(1)");
        await retryableAssertion(async () => {
          const list = await node.rooms.directory.participants(id);
          expect(list.map((p) => [p.name, p.role]).sort()).toEqual([
            ["Carl", "candidate"],
            ["Ines", "interviewer"],
          ]);
        });
        await retryableAssertion(async () =>
          expect(await node.rooms.directory.readCode(id)).toEqual({
            code: "print(1)",
            language: "javascript",
          }),
        );
        await retryableAssertion(() =>
          expect(
            events
              .filter((e) => e.type === "user-joined")
              .map((e) => "user" in e && e.user.name)
              .sort(),
          ).toEqual(["Carl", "Ines"]),
        );
        candidate.destroy();
        await retryableAssertion(async () => {
          expect((await node.rooms.directory.participants(id)).map((p) => p.name)).toEqual(["Ines"]);
          expect(events.some((e) => e.type === "user-left" && e.user.name === "Carl")).toBe(true);
        });
        await retryableAssertion(async () => {
          const kinds = await database.db
            .select({ kind: historyEntries.kind, actor: historyEntries.actor })
            .from(historyEntries)
            .where(eq(historyEntries.sessionId, id));
          expect(kinds).toContainEqual({ kind: "join", actor: "Carl" });
          expect(kinds).toContainEqual({ kind: "leave", actor: "Carl" });
        });
        // Written in batches: each row keeps its own payload and time, in the order things happened.
        const rows = await database.db
          .select()
          .from(historyEntries)
          .where(eq(historyEntries.sessionId, id))
          .orderBy(historyEntries.id);
        const carlJoin = rows.find((r) => r.kind === "join" && r.actor === "Carl");
        const carlLeave = rows.find((r) => r.kind === "leave" && r.actor === "Carl");
        expect(carlJoin?.payload).toEqual({ connectionId: expect.any(String), role: "candidate" });
        expect(carlLeave?.payload).toEqual(carlJoin?.payload as Record<string, unknown>);
        expect(rows.indexOf(carlJoin as (typeof rows)[number])).toBeLessThan(
          rows.indexOf(carlLeave as (typeof rows)[number]),
        );
        expect(carlJoin?.createdAt.getTime()).toBeLessThanOrEqual(carlLeave?.createdAt.getTime() as number);
        expect(carlJoin?.createdAt.getTime()).toBeGreaterThan(Date.now() - 600_000);
      } finally {
        interviewer.destroy();
        candidate.destroy();
      }
    });

    test("directory changes reach live clients; a client's language change updates the session", async () => {
      const { id } = await createSession(database.db);
      const events = collectEvents(node, id);
      await node.events.ready(id);
      const client = connect(node.url, id, { name: "Dana" });
      try {
        await synced(client);
        client.text.insert(0, "let x = 1;");
        await retryableAssertion(async () =>
          expect((await node.rooms.directory.readCode(id)).code).toBe("let x = 1;"),
        );
        await node.rooms.directory.replaceCode(id, "let x = 2;", "interviewer");
        await retryableAssertion(() => expect(client.text.toString()).toBe("let x = 2;"));
        await node.rooms.directory.setLanguage(id, "python", "interviewer");
        await retryableAssertion(() => expect(client.doc.getMap("meta").get("language")).toBe("python"));
        client.doc.getMap("meta").set("language", "java");
        await retryableAssertion(async () => {
          const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
          expect(row?.language).toBe("java");
          expect(events).toContainEqual(
            expect.objectContaining({ type: "language-changed", language: "java", by: "Dana" }),
          );
          const history = await database.db
            .select()
            .from(historyEntries)
            .where(eq(historyEntries.sessionId, id))
            .orderBy(asc(historyEntries.id));
          expect(history.filter((h) => h.kind === "language").map((h) => h.payload.language)).toEqual([
            "python",
            "java",
          ]);
        });
        // An unknown language from a client is put back.
        client.doc.getMap("meta").set("language", "cobol");
        await retryableAssertion(() => expect(client.doc.getMap("meta").get("language")).toBe("java"));
      } finally {
        client.destroy();
      }
    });

    test("directory works on sessions no node has loaded", async () => {
      const { id } = await createSession(database.db);
      await node.rooms.directory.replaceCode(id, "stored", "interviewer");
      await node.rooms.directory.setLanguage(id, "cpp", "interviewer");
      expect(await node.rooms.directory.readCode(id)).toEqual({ code: "stored", language: "cpp" });
      const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
      expect(row?.language).toBe("cpp");
      const client = connect(node.url, id);
      try {
        await retryableAssertion(() => expect(client.text.toString()).toBe("stored"));
      } finally {
        client.destroy();
      }
    });

    test("garbage frames close only the sender", async () => {
      const { id } = await createSession(database.db);
      const good = connect(node.url, id, { name: "Good" });
      const other = connect(node.url, id, { name: "Other" });
      try {
        await Promise.all([synced(good), synced(other)]);
        const garbage = [
          new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
          new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5]),
          new Uint8Array([0, 9]),
          new Uint8Array([1, 4, 1, 1, 1, 0x7b]),
        ];
        for (const frame of garbage) {
          const { ws, closed } = await rawSocket(`${node.url}/${id}`);
          ws.send(frame);
          expect((await closed).code).toBe(CloseCode.malformed);
        }
        const text = await rawSocket(`${node.url}/${id}`);
        text.ws.send("hello");
        expect((await text.closed).code).toBe(CloseCode.malformed);
        good.text.insert(0, "still works");
        await retryableAssertion(() => expect(other.text.toString()).toBe("still works"));
        expect(node.logger.lines.filter((l) => l.message.startsWith("malformed")).length).toBe(
          garbage.length + 1,
        );
      } finally {
        good.destroy();
        other.destroy();
      }
    });

    test("observer's edits are ignored, its awareness crosses", async () => {
      const { id } = await createSession(database.db);
      const writer = connect(node.url, id, { name: "Writer" });
      const observer = connect(node.url, id, { name: "Olga", params: { role: "observer" } });
      try {
        await Promise.all([synced(writer), synced(observer)]);
        observer.text.insert(0, "nope ");
        writer.text.insert(0, "yes");
        await retryableAssertion(() => expect(observer.text.toString()).toContain("yes"));
        await retryableAssertion(() => {
          const names = [...writer.provider.awareness.getStates().values()].map((s) => s.user?.name);
          expect(names).toContain("Olga");
        });
        expect(writer.text.toString()).toBe("yes");
        expect((await node.rooms.directory.readCode(id)).code).toBe("yes");
        const roles = (await node.rooms.directory.participants(id)).map((p) => p.role).sort();
        expect(roles).toEqual(["candidate", "observer"]);
      } finally {
        writer.destroy();
        observer.destroy();
      }
    });

    test("an ended session takes no edits from anyone", async () => {
      const { id, token } = await createSession(database.db);
      const interviewer = connect(node.url, id, { params: { token } });
      try {
        await synced(interviewer);
        interviewer.text.insert(0, "before");
        await retryableAssertion(async () =>
          expect((await node.rooms.directory.readCode(id)).code).toBe("before"),
        );
        await node.rooms.directory.setMeta(id, { locked: true });
        await retryableAssertion(() => expect(interviewer.doc.getMap("meta").get("locked")).toBe(true));
        interviewer.text.insert(0, "after ");
        interviewer.doc.getMap("meta").set("locked", false);
        const late = connect(node.url, id);
        try {
          await synced(late);
          expect(late.text.toString()).toBe("before");
          expect(late.doc.getMap("meta").get("locked")).toBe(true);
          expect((await node.rooms.directory.readCode(id)).code).toBe("before");
        } finally {
          late.destroy();
        }
      } finally {
        interviewer.destroy();
      }
    });

    test("unknown sessions, wrong tokens and deleted sessions close with their codes", async () => {
      const unknown = connect(node.url, "AAAAAAAAAAAAAAAAAAAAAA");
      const badToken = connect(node.url, (await createSession(database.db)).id, {
        params: { token: "wrong" },
      });
      const { id } = await createSession(database.db);
      const member = connect(node.url, id);
      try {
        await retryableAssertion(() => expect(unknown.closed[0]?.code).toBe(CloseCode.notFound));
        await retryableAssertion(() => expect(badToken.closed[0]?.code).toBe(CloseCode.badToken));
        await synced(member);
        await database.db.delete(sessions).where(eq(sessions.id, id));
        await node.rooms.directory.closeSession(id, "deleted");
        await retryableAssertion(() =>
          expect(member.closed[0]).toEqual({ code: CloseCode.gone, reason: "session deleted" }),
        );
        expect(await node.rooms.directory.participants(id)).toEqual([]);
      } finally {
        unknown.destroy();
        badToken.destroy();
        member.destroy();
      }
    });

    test("an idle room unloads after flushing and reloads with its content", async () => {
      const { id } = await createSession(database.db);
      const first = connect(node.url, id, { name: "Una" });
      await synced(first);
      first.text.insert(0, "kept across unload");
      await retryableAssertion(async () =>
        expect((await node.rooms.directory.readCode(id)).code).toBe("kept across unload"),
      );
      first.destroy();
      await retryableAssertion(async () => {
        expect(node.rooms.stats().rooms).toBe(0);
        const [state] = await database.db
          .select()
          .from(documentStates)
          .where(eq(documentStates.sessionId, id));
        expect(state?.lastUpdateId).toBeGreaterThan(0);
      });
      const second = connect(node.url, id);
      try {
        await retryableAssertion(() => expect(second.text.toString()).toBe("kept across unload"));
        const edits = await database.db.select().from(historyEntries).where(eq(historyEntries.sessionId, id));
        expect(edits.filter((e) => e.kind === "edit").map((e) => e.actor)).toEqual(["Una"]);
      } finally {
        second.destroy();
      }
    });
  });
}
