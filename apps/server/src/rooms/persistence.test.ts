import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { documentUpdates, historyEntries } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { asc, eq } from "drizzle-orm";
import { LocalBus } from "../bus/local-bus.ts";
import { connect, createSession, retryableAssertion, startRoomNode, synced } from "./test-support.ts";

setDefaultTimeout(30_000);

for (const target of testDatabaseTargets()) {
  describe(`persistence on ${target.name}`, () => {
    test("a clean close flushes everything; a new room server has the document, the log has authors", async () => {
      const database = await target.open();
      const bus = new LocalBus();
      try {
        const { id } = await createSession(database.db);
        // A long flush interval and grace: only close() can have written these.
        const first = await startRoomNode(database.db, bus, {
          unloadGraceMs: 60_000,
          compactIntervalMs: 600_000,
        });
        const writer = connect(first.url, id, { name: "Wanda" });
        await synced(writer);
        await retryableAssertion(async () =>
          expect((await first.rooms.directory.participants(id)).map((p) => p.name)).toEqual(["Wanda"]),
        );
        writer.text.insert(0, "def solve():\n    return 42\n");
        await retryableAssertion(async () =>
          expect((await first.rooms.directory.readCode(id)).code).toContain("42"),
        );
        await first.stop();
        writer.destroy();

        const second = await startRoomNode(database.db, bus);
        const reader = connect(second.url, id);
        try {
          await retryableAssertion(() =>
            expect(reader.text.toString()).toBe("def solve():\n    return 42\n"),
          );
          const log = await database.db
            .select()
            .from(documentUpdates)
            .where(eq(documentUpdates.sessionId, id))
            .orderBy(asc(documentUpdates.id));
          expect(log.some((row) => row.actor === "Wanda")).toBe(true);
          expect(log.every((row) => row.createdAt instanceof Date)).toBe(true);
          const history = await database.db
            .select()
            .from(historyEntries)
            .where(eq(historyEntries.sessionId, id));
          expect(history.map((h) => `${h.kind}:${h.actor}`)).toEqual(
            expect.arrayContaining(["join:Wanda", "edit:Wanda", "leave:Wanda"]),
          );
          expect(history.filter((h) => h.kind === "edit").length).toBe(1);
        } finally {
          reader.destroy();
          await second.stop();
        }
      } finally {
        await bus.close();
        await database.close();
      }
    });
  });
}
