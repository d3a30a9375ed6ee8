import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { openTestPglite } from "@pairpad/db/testing";
import type { Subprocess } from "bun";
import Redis from "ioredis";
import { RedisBus } from "../bus/redis-bus.ts";
import type { RoomConfig } from "./config.ts";
import {
  connect,
  createSession,
  freePort,
  type RoomNode,
  redisServerBinary,
  retryableAssertion,
  startRedisServer,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(60_000);

/**
 * Two nodes on one Redis; Redis dies while clients on both nodes edit the same room, so those
 * edits never cross; Redis comes back. Without a catch-up the two sides stay diverged forever.
 */
describe.skipIf(!redisServerBinary)("a Redis outage between two nodes", () => {
  let database: Database;
  let port: number;
  let redis: Subprocess;

  beforeAll(async () => {
    database = await openTestPglite();
    port = freePort();
    redis = await startRedisServer(port);
  });
  afterAll(async () => {
    redis.kill("SIGKILL");
    await database.close();
  });

  /**
   * A node on each bus, one session, Alice on node A and Bob on node B, both holding `text` typed
   * by Alice. `stop` closes clients, nodes and buses.
   */
  async function twoNodes(busA: RedisBus, busB: RedisBus, config: Partial<RoomConfig>, text: string) {
    const nodes: RoomNode[] = [
      await startRoomNode(database.db, busA, config),
      await startRoomNode(database.db, busB, config),
    ];
    const [a, b] = nodes as [RoomNode, RoomNode];
    const { id } = await createSession(database.db);
    const alice = connect(a.url, id, { name: "Alice" });
    const bob = connect(b.url, id, { name: "Bob" });
    const stop = async () => {
      alice.destroy();
      bob.destroy();
      for (const node of nodes) await node.stop();
      await busA.close();
      await busB.close();
    };
    try {
      await Promise.all([synced(alice), synced(bob)]);
      alice.text.insert(0, text);
      await retryableAssertion(() => expect(bob.text.toString()).toBe(text));
    } catch (error) {
      await stop();
      throw error;
    }
    return { a, b, id, alice, bob, stop };
  }

  const cases = [
    { name: "short: the nodes still know each other", presenceHeartbeatMs: 5_000 },
    { name: "long: the nodes forgot each other meanwhile", presenceHeartbeatMs: 100 },
  ];

  for (const { name, presenceHeartbeatMs } of cases) {
    test(`edits made on both sides during the outage converge once Redis is back (${name})`, async () => {
      // No offline queue: what is published while Redis is down fails at once, i.e. it is lost
      // (with the queue it would be lost too, only after a few reconnect attempts).
      const options = {
        prefix: `pairpad-outage-${crypto.randomUUID()}:`,
        redis: { enableOfflineQueue: false, retryStrategy: () => 50 },
      };
      const url = `redis://127.0.0.1:${port}`;
      const busA = await RedisBus.connect(url, options);
      const busB = await RedisBus.connect(url, options);
      // The periodic exchange is out of the way: the reconnect alone must bring them together.
      const config = { presenceHeartbeatMs, catchUpIntervalMs: 3_600_000, unloadGraceMs: 100 };
      const { a, b, id, alice, bob, stop } = await twoNodes(busA, busB, config, "shared text");
      try {
        redis.kill("SIGKILL");
        await redis.exited;
        await retryableAssertion(async () => {
          await expect(busA.ping()).rejects.toThrow();
          await expect(busB.ping()).rejects.toThrow();
        });
        alice.text.insert(alice.text.length, " +A");
        bob.text.delete(0, "shared ".length);
        bob.text.insert(0, "B: ");
        // Each node has its own client's edit, and only that.
        await retryableAssertion(async () => {
          expect((await a.rooms.directory.readCode(id)).code).toBe("shared text +A");
          expect((await b.rooms.directory.readCode(id)).code).toBe("B: text");
        });
        if (presenceHeartbeatMs < 1_000) {
          await retryableAssertion(() => {
            expect(a.rooms.stats().remoteNodes).toBe(0);
            expect(b.rooms.stats().remoteNodes).toBe(0);
          });
        }

        redis = await startRedisServer(port);
        await retryableAssertion(() => {
          expect(alice.text.toString()).toBe("B: text +A");
          expect(bob.text.toString()).toBe("B: text +A");
        }, 30_000);
        expect((await a.rooms.directory.readCode(id)).code).toBe("B: text +A");
        expect((await b.rooms.directory.readCode(id)).code).toBe("B: text +A");
      } finally {
        await stop();
      }
    });
  }

  test("messages lost with no disconnect at all are caught up by the periodic digest", async () => {
    // Node B connects as a Redis user whose PUBLISH can be refused: its messages are lost while
    // every connection stays up, so no reconnect tells anyone.
    const admin = new Redis(`redis://127.0.0.1:${port}`);
    await admin.call("ACL", "SETUSER", "lossy", "on", "nopass", "~*", "&*", "+@all");
    const prefix = `pairpad-lossy-${crypto.randomUUID()}:`;
    const busA = await RedisBus.connect(`redis://127.0.0.1:${port}`, { prefix });
    const busB = await RedisBus.connect(`redis://lossy:any@127.0.0.1:${port}`, { prefix });
    const config = { catchUpIntervalMs: 200, unloadGraceMs: 100 };
    const { a, b, id, alice, bob, stop } = await twoNodes(busA, busB, config, "shared");
    try {
      await admin.call("ACL", "SETUSER", "lossy", "-publish");
      bob.text.insert(6, " +B");
      // B has applied it, and its publish of it has gone out, to be refused: lost.
      await retryableAssertion(async () =>
        expect((await b.rooms.directory.readCode(id)).code).toBe("shared +B"),
      );
      await admin.call("ACL", "SETUSER", "lossy", "+publish");

      await retryableAssertion(() => expect(alice.text.toString()).toBe("shared +B"));
      expect((await a.rooms.directory.readCode(id)).code).toBe("shared +B");
    } finally {
      await stop();
      admin.disconnect();
    }
  });
});
