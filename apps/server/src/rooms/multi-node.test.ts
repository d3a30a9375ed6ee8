import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { sessions } from "@pairpad/db/schema";
import { openTestPglite } from "@pairpad/db/testing";
import { eq } from "drizzle-orm";
import type { Bus } from "../bus/bus.ts";
import { CloseCode } from "./close-codes.ts";
import {
  connect,
  createSession,
  type RoomNode,
  retryableAssertion,
  startRoomNode,
  synced,
  twoNodeBuses,
} from "./test-support.ts";

setDefaultTimeout(30_000);

/** Two nodes in one process: sharing an in-process bus, or each with its own Redis connections. */
const buses = twoNodeBuses();

for (const kind of buses) {
  describe(`two nodes over ${kind.name}`, () => {
    let database: Database;
    let busA: Bus;
    let busB: Bus;
    let a: RoomNode;
    let b: RoomNode;

    beforeAll(async () => {
      database = await openTestPglite();
      [busA, busB] = await kind.open();
      a = await startRoomNode(database.db, busA, { unloadGraceMs: 100 });
      b = await startRoomNode(database.db, busB, { unloadGraceMs: 100 });
    });
    afterAll(async () => {
      await a.stop();
      await b.stop();
      await busA.close();
      if (busB !== busA) await busB.close();
      await database.close();
    });

    test("clients on different nodes converge and see each other's presence", async () => {
      const { id } = await createSession(database.db);
      const alice = connect(a.url, id, { name: "Alice" });
      const bob = connect(b.url, id, { name: "Bob" });
      try {
        await Promise.all([synced(alice), synced(bob)]);
        alice.text.insert(0, "from A");
        await retryableAssertion(() => expect(bob.text.toString()).toBe("from A"));
        bob.text.insert(6, ", from B");
        await retryableAssertion(() => expect(alice.text.toString()).toBe("from A, from B"));
        await retryableAssertion(() => {
          const names = [...alice.provider.awareness.getStates().values()].map((s) => s.user?.name);
          expect(names).toContain("Bob");
        });
        for (const node of [a, b]) {
          await retryableAssertion(async () =>
            expect((await node.rooms.directory.participants(id)).map((p) => p.name).sort()).toEqual([
              "Alice",
              "Bob",
            ]),
          );
        }
        bob.destroy();
        await retryableAssertion(async () =>
          expect((await a.rooms.directory.participants(id)).map((p) => p.name)).toEqual(["Alice"]),
        );
        await retryableAssertion(() => {
          const names = [...alice.provider.awareness.getStates().values()].map((s) => s.user?.name);
          expect(names).not.toContain("Bob");
        });
      } finally {
        alice.destroy();
        bob.destroy();
      }
    });

    test("a node that loads the room late catches up, including unflushed edits", async () => {
      const { id } = await createSession(database.db);
      const early = connect(a.url, id, { name: "Early" });
      try {
        await synced(early);
        for (let i = 0; i < 20; i++) early.text.insert(early.text.length, `${i};`);
        // Straight away: some of these are not in the database yet.
        const late = connect(b.url, id, { name: "Late" });
        try {
          await retryableAssertion(() => expect(late.text.toString()).toBe(early.text.toString()));
          late.text.insert(0, ">");
          await retryableAssertion(() => expect(early.text.toString().startsWith(">0;1;")).toBe(true));
        } finally {
          late.destroy();
        }
      } finally {
        early.destroy();
      }
    });

    test("directory calls on a node without the room go to the node that has it", async () => {
      const { id } = await createSession(database.db);
      const client = connect(a.url, id, { name: "Cleo" });
      try {
        await synced(client);
        client.text.insert(0, "draft");
        await retryableAssertion(async () =>
          expect((await b.rooms.directory.readCode(id)).code).toBe("draft"),
        );
        await b.rooms.directory.replaceCode(id, "restored", "interviewer");
        await retryableAssertion(() => expect(client.text.toString()).toBe("restored"));
        await b.rooms.directory.setLanguage(id, "typescript", "interviewer");
        await retryableAssertion(() => expect(client.doc.getMap("meta").get("language")).toBe("typescript"));
        const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
        expect(row?.language).toBe("typescript");
        expect(await b.rooms.directory.readCode(id)).toEqual({ code: "restored", language: "typescript" });
      } finally {
        client.destroy();
      }
    });

    test("deleting a session on one node disconnects its clients on every node", async () => {
      const { id } = await createSession(database.db);
      const onA = connect(a.url, id);
      const onB = connect(b.url, id);
      try {
        await Promise.all([synced(onA), synced(onB)]);
        await database.db.delete(sessions).where(eq(sessions.id, id));
        await b.rooms.directory.closeSession(id, "deleted");
        await retryableAssertion(() => {
          expect(onA.closed[0]?.code).toBe(CloseCode.gone);
          expect(onB.closed[0]?.code).toBe(CloseCode.gone);
        });
      } finally {
        onA.destroy();
        onB.destroy();
      }
    });
  });
}
