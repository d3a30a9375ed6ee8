import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { historyEntries } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq, sql } from "drizzle-orm";
import { LocalBus } from "../bus/local-bus.ts";
import { Metrics } from "../metrics/metrics.ts";
import {
  connect,
  createSession,
  loggedUpdates,
  type RoomNode,
  retryableAssertion,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(60_000);

for (const target of testDatabaseTargets()) {
  describe(`one bad row never stops a session's writes (${target.name})`, () => {
    let database: Database;
    let bus: LocalBus;
    let node: RoomNode;

    beforeAll(async () => {
      database = await target.open();
      bus = new LocalBus();
      node = await startRoomNode(database.db, bus, { unloadGraceMs: 50 });
    });
    afterAll(async () => {
      await node.stop();
      await bus.close();
      await database.close();
    });

    const logged = (id: string) => loggedUpdates(database.db, id);

    test('a candidate named "evil\\u0000" types: every edit is saved, the name cleaned', async () => {
      const { id, token } = await createSession(database.db);
      const evil = connect(node.url, id, { name: "evil\u0000" });
      const ines = connect(node.url, id, { name: "Ines", params: { token } });
      try {
        await Promise.all([synced(evil), synced(ines)]);
        for (const ch of "abc") {
          evil.text.insert(evil.text.length, ch);
          await retryableAssertion(() => expect(ines.text.toString()).toEndWith(ch));
          ines.text.insert(ines.text.length, ch.toUpperCase());
          await retryableAssertion(() => expect(evil.text.toString()).toEndWith(ch.toUpperCase()));
        }
        await retryableAssertion(async () => {
          const log = await logged(id);
          expect(log.text).toBe("aAbBcC");
          expect(log.actors).toEqual(new Set(["evil", "Ines"]));
        });
        expect((await node.rooms.directory.participants(id)).map((p) => p.name).sort()).toEqual([
          "Ines",
          "evil",
        ]);
      } finally {
        evil.destroy();
        ines.destroy();
      }
      // The room unloads (its writes all went through) and the history has both joins and leaves.
      await retryableAssertion(async () => {
        expect(node.rooms.stats().rooms).toBe(0);
        const history = await database.db
          .select({ kind: historyEntries.kind, actor: historyEntries.actor })
          .from(historyEntries)
          .where(eq(historyEntries.sessionId, id));
        for (const kind of ["join", "leave", "edit"])
          expect(
            history
              .filter((h) => h.kind === kind)
              .map((h) => h.actor)
              .sort(),
          ).toEqual(["Ines", "evil"]);
      });
      expect(node.rooms.stats().rejectedRows).toBe(0);
    });

    test("rows the database refuses are isolated, logged once without data, counted; the rest is written", async () => {
      // Rows the database refuses, whatever the cleaning lets through: a constraint of the test's own.
      await database.db.execute(
        sql.raw(`alter table document_updates add constraint test_no_poison check (actor <> 'poison')`),
      );
      await database.db.execute(
        sql.raw(`alter table history_entries add constraint test_no_poison check (actor <> 'poison')`),
      );
      try {
        const { id } = await createSession(database.db);
        const poison = connect(node.url, id, { name: "poison" });
        const ann = connect(node.url, id, { name: "Ann" });
        const before = node.rooms.stats().rejectedRows;
        try {
          await Promise.all([synced(poison), synced(ann)]);
          // Both in the same flushes, interleaved.
          for (const ch of "1234") {
            poison.text.insert(0, "p");
            ann.text.insert(ann.text.length, ch);
            await retryableAssertion(() => expect(poison.text.toString()).toContain(ch));
          }
          // Everything is in the log, the refused rows without their author.
          await retryableAssertion(async () => {
            const log = await logged(id);
            expect(log.text).toBe(ann.text.toString());
            expect(log.text.replaceAll("p", "")).toBe("1234");
            expect(log.actors).toEqual(new Set(["Ann"]));
            expect(log.unattributed).toBeGreaterThanOrEqual(4);
          });
          await retryableAssertion(() =>
            expect(node.rooms.stats().rejectedRows - before).toBeGreaterThanOrEqual(4),
          );
          // Later edits by anyone are still written.
          ann.text.insert(0, ">");
          await retryableAssertion(async () => expect((await logged(id)).text).toBe(ann.text.toString()));
        } finally {
          poison.destroy();
          ann.destroy();
        }
        // The room still unloads, and its compacted state has everything, refused rows included.
        await retryableAssertion(() => expect(node.rooms.stats().rooms).toBe(0));
        const rejected = node.rooms.stats().rejectedRows - before;
        const lines = node.logger.lines.filter((l) => l.message.startsWith("a row was refused"));
        expect(lines.length).toBe(rejected);
        // An operator sees them in /metrics.
        const metrics = new Metrics();
        metrics.configure({ rooms: () => node.rooms.stats() }, { route: () => "{other}" });
        const exposition = await metrics.render();
        expect(exposition).toContain(
          `pairpad_update_log_rejected_rows_total ${node.rooms.stats().rejectedRows}`,
        );
        expect(rejected).toBeGreaterThan(0);
        for (const line of lines) {
          expect(line.fields?.error).toBe("SQLSTATE 23514");
          expect(JSON.stringify(line.fields)).not.toContain("poison");
        }
        const expected = (await logged(id)).text;
        expect(expected.startsWith(">")).toBe(true);
        const again = connect(node.url, id);
        try {
          await retryableAssertion(() => expect(again.text.toString()).toBe(expected));
        } finally {
          again.destroy();
        }
      } finally {
        await database.db.execute(sql.raw(`alter table document_updates drop constraint test_no_poison`));
        await database.db.execute(sql.raw(`alter table history_entries drop constraint test_no_poison`));
      }
    });
  });
}
