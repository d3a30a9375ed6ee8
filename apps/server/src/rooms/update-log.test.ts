import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { DocumentStore } from "@pairpad/api/documents/store";
import type { Database } from "@pairpad/db/client";
import { historyEntries } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq, sql } from "drizzle-orm";
import * as Y from "yjs";
import { LocalBus } from "../bus/local-bus.ts";
import { CloseCode } from "./close-codes.ts";
import { resolveConfig } from "./config.ts";
import { Room } from "./room.ts";
import { newCounters } from "./stats.ts";
import {
  connect,
  createSession,
  loggedUpdates,
  type RoomNode,
  recordingLogger,
  retryableAssertion,
  startRoomNode,
  synced,
} from "./test-support.ts";
import { UpdateLog } from "./update-log.ts";

setDefaultTimeout(60_000);

/**
 * The database as the update log meets it on a bad day, made of the database's own parts: a
 * constraint refuses rows by an author named "poison" (bad data), and while a session is listed in
 * `test_outage` its inserts fail as if the server were going away (SQLSTATE 57P03, not the rows'
 * fault) — all of them, or only the rows without an author (the ones written when a refused row
 * is written again without its author).
 */
const FAULTS = [
  `create table test_outage (session_id text primary key, all_rows boolean not null)`,
  `create function test_outage() returns trigger language plpgsql as $$
   begin
     if exists (select 1 from test_outage o where o.session_id = new.session_id
                and (o.all_rows or new.actor is null)) then
       raise exception 'the database is going away' using errcode = '57P03';
     end if;
     return new;
   end $$`,
  `create trigger test_outage before insert on document_updates for each row execute function test_outage()`,
  `create trigger test_outage before insert on history_entries for each row execute function test_outage()`,
  `alter table document_updates add constraint test_no_poison check (actor <> 'poison')`,
  `alter table history_entries add constraint test_no_poison check (actor <> 'poison')`,
];

for (const target of testDatabaseTargets()) {
  describe(`the update log on a bad day (${target.name})`, () => {
    let database: Database;
    let bus: LocalBus;
    let node: RoomNode;
    const exec = (statement: string) => database.db.execute(sql.raw(statement));

    beforeAll(async () => {
      database = await target.open();
      for (const statement of FAULTS) await exec(statement);
      bus = new LocalBus();
      node = await startRoomNode(database.db, bus, { unloadGraceMs: 50 });
    });
    afterAll(async () => {
      await node.stop();
      await bus.close();
      await database.close();
    });

    const logged = (id: string) => loggedUpdates(database.db, id);
    const history = (id: string) =>
      database.db
        .select({ kind: historyEntries.kind, actor: historyEntries.actor })
        .from(historyEntries)
        .where(eq(historyEntries.sessionId, id));
    const leftOut = (id: string) =>
      node.logger.lines.filter((l) => l.message.includes("left out") && l.fields?.sessionId === id);

    test("a workspace session past its links' expiry: a refused row never takes the others' edits with it", async () => {
      const { id } = await createSession(database.db);
      const poison = connect(node.url, id, { name: "poison" });
      const ann = connect(node.url, id, { name: "Ann" });
      try {
        await Promise.all([synced(poison), synced(ann)]);
        // The interview runs past its links' expiry: the workspace keeps the record, the room stays open.
        await exec(
          `insert into organizations (id, name, slug, created_at) values ('org-${id}', 'Acme', 'acme-${id}', now())`,
        );
        await exec(
          `update sessions set organization_id = 'org-${id}', expires_at = now() - interval '1 minute' where id = '${id}'`,
        );
        // Held back together, then written in one batch with the refused row among them.
        await exec(`insert into test_outage values ('${id}', true)`);
        poison.text.insert(0, "p");
        ann.text.insert(ann.text.length, "1");
        ann.text.insert(ann.text.length, "2");
        await retryableAssertion(() => expect(poison.text.toString()).toBe(ann.text.toString()));
        await retryableAssertion(() => expect(node.rooms.stats().pendingUpdates).toBeGreaterThanOrEqual(3));
        await exec(`delete from test_outage where session_id = '${id}'`);
        await retryableAssertion(async () => {
          const log = await logged(id);
          expect(log.text).toBe(ann.text.toString());
          expect(log.actors).toEqual(new Set(["Ann"]));
        });
        expect(node.logger.lines.some((l) => l.message.startsWith("dropped updates"))).toBe(false);
      } finally {
        poison.destroy();
        ann.destroy();
      }
    });

    test("the database going away while a refused row is written again: the row waits, it is not dropped", async () => {
      const { id } = await createSession(database.db);
      const ann = connect(node.url, id, { name: "Ann" });
      try {
        await synced(ann);
        await retryableAssertion(async () => {
          expect(node.rooms.stats().pendingUpdates).toBe(0);
          expect((await history(id)).map((h) => h.actor)).toContain("Ann");
        });
        // From here, rows written without their author fail as if the database were going away.
        await exec(`insert into test_outage values ('${id}', false)`);
        const failures = node.rooms.stats().persistFailures;
        const poison = connect(node.url, id, { name: "poison" });
        try {
          await synced(poison);
          poison.text.insert(0, "p");
          await retryableAssertion(() => expect(ann.text.toString()).toBe("p"));
          await retryableAssertion(() =>
            expect(node.rooms.stats().persistFailures).toBeGreaterThan(failures + 1),
          );
          expect(leftOut(id)).toEqual([]);
          // The database is back: the refused rows are written without their author.
          await exec(`delete from test_outage where session_id = '${id}'`);
          await retryableAssertion(async () => {
            const log = await logged(id);
            expect(log.text).toBe("p");
            expect(log.unattributed).toBeGreaterThanOrEqual(1);
            // poison's join, without its author.
            expect((await history(id)).filter((h) => h.kind === "join").map((h) => h.actor)).toEqual(
              expect.arrayContaining(["Ann", null]),
            );
          });
          expect(leftOut(id)).toEqual([]);
        } finally {
          poison.destroy();
        }
      } finally {
        ann.destroy();
      }
    });

    test("a room whose session was deleted behind its back tells its sockets (4410) and unloads", async () => {
      const { id } = await createSession(database.db);
      const ann = connect(node.url, id, { name: "Ann" });
      try {
        await synced(ann);
        ann.text.insert(0, "x");
        await retryableAssertion(async () => expect((await logged(id)).text).toBe("x"));
        // Deleted where this node did not hear of it (the close went out while the bus was away).
        await exec(`delete from sessions where id = '${id}'`);
        ann.text.insert(1, "y");
        // The next write finds the session gone: the editor is told, as for a close it had heard of.
        await retryableAssertion(() => expect(ann.closed.map((c) => c.code)).toContain(CloseCode.gone));
        expect(node.rooms.stats().pendingUpdates).toBe(0);
      } finally {
        ann.destroy();
      }
      await retryableAssertion(() => expect(node.rooms.stats().rooms).toBe(0));
      expect(node.logger.lines.some((l) => l.message.startsWith("room could not be saved"))).toBe(false);
    });

    test("an edit made while a compaction is being written is stored, even when the log refuses it", async () => {
      const { id } = await createSession(database.db);
      await exec(
        `alter table document_updates add constraint test_refused check (position(convert_to('refused', 'UTF8') in "update") = 0)`,
      );
      const documents = new DocumentStore(database.db);
      const room = new Room(id);
      room.status = "live";
      let during: (() => void) | null = null;
      const log = new UpdateLog({
        deps: { db: database.db, documents, logger: recordingLogger(), clock: () => new Date() },
        config: resolveConfig({}),
        counters: newCounters(),
        rooms: new Map([[id, room]]),
        mergeStored: (r, state) => {
          Y.applyUpdate(r.doc, state);
          // Runs once the compacted state is encoded, while its write is in flight.
          const edit = during;
          during = null;
          if (edit) queueMicrotask(edit);
        },
        sessionGone: () => {},
      });
      const type = (index: number, text: string) => {
        const before = Y.encodeStateVector(room.doc);
        room.text.insert(index, text);
        const update = Y.encodeStateAsUpdate(room.doc, before);
        room.changed(update.length);
        log.queue(room, { sessionId: id, update, actor: "Ann", at: new Date() });
      };
      try {
        type(0, "hello");
        during = () => type(5, " refused");
        await log.saveRoom(room);
        expect(during).toBeNull();
        // The room unloads: its edit, left out of the log, is in the stored document.
        await log.saveRoom(room);
        expect((await documents.readCode(id)).code).toBe("hello refused");
      } finally {
        log.stop();
        await log.idle();
        await exec(`alter table document_updates drop constraint test_refused`);
      }
    });
  });
}
