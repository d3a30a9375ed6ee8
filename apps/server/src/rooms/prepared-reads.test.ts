import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DocumentStore } from "@pairpad/api/documents/store";
import { findLiveSession } from "@pairpad/api/session/sessions";
import type { Database } from "@pairpad/db/client";
import { testDatabaseTargets } from "@pairpad/db/testing";
import * as Y from "yjs";
import { PreparedReads } from "./prepared-reads.ts";
import { createSession } from "./test-support.ts";

/** The rooms' prepared reads must keep answering exactly what the store and the sessions module do. */
for (const target of testDatabaseTargets()) {
  describe(`prepared reads on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => database.close());

    test("the live session is findLiveSession's row, and null once expired or unknown", async () => {
      const { id } = await createSession(database.db);
      const reads = new PreparedReads(database.db);
      const now = new Date();
      expect(await reads.liveSession(id, now)).toEqual(
        await findLiveSession({ db: database.db, clock: () => now }, id),
      );
      expect((await reads.liveSession(id, now))?.id).toBe(id);
      const later = new Date(now.getTime() + 2 * 3_600_000);
      expect(await reads.liveSession(id, later)).toBeNull();
      expect(await reads.liveSession("no-such-session", now)).toBeNull();
    });

    test("the document is DocumentStore.load's: empty, log only, compacted state plus the log after it", async () => {
      const { id } = await createSession(database.db);
      const store = new DocumentStore(database.db);
      const reads = new PreparedReads(database.db);
      const same = async () => {
        const [mine, theirs] = [await reads.document(id), await store.load(id)];
        expect(mine.lastUpdateId).toBe(theirs.lastUpdateId);
        const read = (state: Uint8Array) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, state);
          return doc.getText("code").toString();
        };
        expect(read(mine.state)).toBe(read(theirs.state));
        expect(mine.state).toEqual(theirs.state);
        return read(mine.state);
      };
      expect(await same()).toBe("");

      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      const edit = async (change: () => void) => {
        updates.length = 0;
        change();
        await store.append(
          updates.map((update) => ({ sessionId: id, update, actor: "Ada", at: new Date() })),
        );
      };
      await edit(() => doc.getText("code").insert(0, "print(1)"));
      await edit(() => doc.getText("code").insert(8, "\nprint(2)"));
      expect(await same()).toBe("print(1)\nprint(2)");

      const { lastUpdateId } = await store.load(id);
      await store.compact(id, Y.encodeStateAsUpdate(doc), lastUpdateId);
      await edit(() => doc.getText("code").delete(0, 9));
      expect(await same()).toBe("print(2)");
    });
  });
}
