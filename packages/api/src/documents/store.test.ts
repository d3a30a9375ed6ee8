import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { documentUpdates, sessions } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { DocumentStore, type StoredUpdate } from "./store.ts";

for (const target of testDatabaseTargets()) {
  describe(`document store (${target.name})`, () => {
    let database: Database;
    let store: DocumentStore;
    const session = async () => {
      const id = `store-${crypto.randomUUID()}`;
      await database.db.insert(sessions).values({
        id,
        title: "Store",
        language: "python",
        interviewerTokenHash: "x".repeat(64),
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      return id;
    };

    beforeAll(async () => {
      database = await target.open();
      store = new DocumentStore(database.db);
    });
    afterAll(() => database.close());

    test("a batch is appended in order, bytes, authors and instants intact", async () => {
      const [a, b] = [await session(), await session()];
      const start = Date.parse("2026-11-27T10:00:00.123Z");
      // Every byte value, an empty update, a view into a larger buffer, authors missing or not.
      const backing = new Uint8Array(300).map((_, i) => (i * 7) % 256);
      const batch: StoredUpdate[] = [
        { sessionId: a, update: new Uint8Array(256).map((_, i) => i), actor: "Alice", at: new Date(start) },
        { sessionId: b, update: new Uint8Array(0), actor: null, at: new Date(start + 1) },
        { sessionId: a, update: backing.subarray(10, 20), actor: "Bob ✓", at: new Date(start + 999) },
        ...Array.from({ length: 300 }, (_, i) => ({
          sessionId: i % 2 ? a : b,
          update: new Uint8Array([i % 256, 255 - (i % 256)]),
          actor: i % 3 ? `writer ${i % 5}` : null,
          at: new Date(start + 1000 + i),
        })),
      ];
      const last = await store.append(batch);
      const rows = await database.db
        .select()
        .from(documentUpdates)
        .where(eq(documentUpdates.sessionId, a))
        .orderBy(asc(documentUpdates.id));
      const rowsB = await database.db
        .select()
        .from(documentUpdates)
        .where(eq(documentUpdates.sessionId, b))
        .orderBy(asc(documentUpdates.id));
      const all = [...rows, ...rowsB].sort((x, y) => x.id - y.id);
      expect(all).toHaveLength(batch.length);
      expect(last).toBe(all.at(-1)?.id as number);
      all.forEach((row, i) => {
        const sent = batch[i] as StoredUpdate;
        expect(row.sessionId).toBe(sent.sessionId);
        expect([...row.update]).toEqual([...sent.update]);
        expect(row.actor).toBe(sent.actor);
        expect(row.createdAt.getTime()).toBe(sent.at.getTime());
      });
    });

    test("load merges the compacted state with the log written after it", async () => {
      const id = await session();
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      doc.getText("code").insert(0, "def f():\n");
      doc.getText("code").insert(9, "    return 1\n");
      const lastId = await store.append(
        updates.map((update) => ({ sessionId: id, update, actor: "A", at: new Date() })),
      );
      await store.compact(id, Y.encodeStateAsUpdate(doc), lastId);
      updates.length = 0;
      doc.getText("code").insert(0, "# answer\n");
      await store.append(updates.map((update) => ({ sessionId: id, update, actor: "B", at: new Date() })));
      const loaded = await store.load(id);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, loaded.state);
      expect(copy.getText("code").toString()).toBe("# answer\ndef f():\n    return 1\n");
      expect(loaded.lastUpdateId).toBeGreaterThan(lastId);
    });

    test("a batch retried after a reply was lost is not logged twice; what it did not write is", async () => {
      const id = await session();
      // The database commits, then the answer never arrives (its thread or connection died).
      let loseNextReply = true;
      const flaky = new Proxy(database.db, {
        get(target, key, receiver) {
          if (key !== "execute") return Reflect.get(target, key, receiver);
          return async (query: never) => {
            const result = await target.execute(query);
            if (loseNextReply) {
              loseNextReply = false;
              throw new Error("connection terminated");
            }
            return result;
          };
        },
      });
      const flakyStore = new DocumentStore(flaky);
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      for (const ch of "abc") doc.getText("code").insert(doc.getText("code").length, ch);
      const first = updates.map((update) => ({ sessionId: id, update, actor: "A", at: new Date() }));
      const failure = await flakyStore.append(first).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(failure).toBe("connection terminated");
      doc.getText("code").insert(3, "d");
      const more = { sessionId: id, update: updates[3] as Uint8Array, actor: "A", at: new Date() };
      await flakyStore.append([...first, more]);
      const rows = await database.db.select().from(documentUpdates).where(eq(documentUpdates.sessionId, id));
      expect(rows.map((r) => [...r.update])).toEqual(updates.map((u) => [...u]));
    });
  });
}
