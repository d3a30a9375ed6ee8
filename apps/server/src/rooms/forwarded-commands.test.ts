import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { DocumentStore } from "@pairpad/api/documents/store";
import { type Database, openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import type { Subprocess } from "bun";
import { sql } from "drizzle-orm";
import Redis from "ioredis";
import { RedisBus } from "../bus/redis-bus.ts";
import {
  connect,
  createSession,
  freePort,
  redisServerBinary,
  retryableAssertion,
  startRedisServer,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(60_000);

const databaseUrl = process.env.DATABASE_URL;

/**
 * A directory call made on a node without the room goes to the node that has it. When the owner
 * applies it but its reply is lost, the caller must not apply the change a second time: on the
 * stored document, which lags behind the live one, a second replacement merges into the live
 * document as duplicated code.
 *
 * Real failures, no doubles: the owner is its own PostgreSQL role, so its writes can be refused
 * (its update log lags), and its own Redis user, so its replies to the caller can be refused.
 */
describe.skipIf(!redisServerBinary || !databaseUrl)("a forwarded change whose reply is lost", () => {
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const databaseName = `pairpad_test_commands_${suffix}`;
  const role = `pairpad_owner_${suffix}`;
  let database: Database;
  let ownerDatabase: Database;
  let redis: Subprocess;
  let redisAdmin: Redis;
  let redisPort: number;

  beforeAll(async () => {
    const admin = await openDatabase({ databaseUrl: databaseUrl as string, maxConnections: 1 });
    await admin.db.execute(sql.raw(`create database ${databaseName}`));
    await admin.db.execute(sql.raw(`create role ${role} login`));
    await admin.close();
    const url = new URL(databaseUrl as string);
    url.pathname = `/${databaseName}`;
    database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 3 });
    await migrate(database);
    await database.db.execute(sql.raw(`grant all on all tables in schema public to ${role}`));
    await database.db.execute(sql.raw(`grant all on all sequences in schema public to ${role}`));
    url.username = role;
    ownerDatabase = await openDatabase({ databaseUrl: url.toString(), maxConnections: 3 });
    redisPort = freePort();
    redis = await startRedisServer(redisPort);
    redisAdmin = new Redis(`redis://127.0.0.1:${redisPort}`);
    await redisAdmin.call("ACL", "SETUSER", "owner", "on", "nopass", "~*", "+@all", "allchannels");
  });
  afterAll(async () => {
    redisAdmin?.disconnect();
    redis?.kill("SIGKILL");
    await ownerDatabase?.close();
    await database?.close();
    const admin = await openDatabase({ databaseUrl: databaseUrl as string, maxConnections: 1 });
    await admin.db.execute(sql.raw(`drop database if exists ${databaseName} with (force)`));
    await admin.db.execute(sql.raw(`drop role if exists ${role}`));
    await admin.close();
  });

  test("is applied once: the caller asks again with the same id and the owner answers from memory", async () => {
    const prefix = `pairpad-commands-${suffix}:`;
    const ownerBus = await RedisBus.connect(`redis://owner:any@127.0.0.1:${redisPort}`, { prefix });
    const callerBus = await RedisBus.connect(`redis://127.0.0.1:${redisPort}`, { prefix });
    const owner = await startRoomNode(ownerDatabase.db, ownerBus);
    // Three attempts of 3 s: time enough, on a busy machine, for the steps below to restore the replies.
    const caller = await startRoomNode(database.db, callerBus, { commandTimeoutMs: 3_000 });
    const { id } = await createSession(database.db);
    const alice = connect(owner.url, id, { name: "Alice" });
    try {
      await synced(alice);
      alice.text.insert(0, "old code");
      // The caller knows where the room is, and the old code is stored.
      await retryableAssertion(async () => {
        expect((await caller.rooms.directory.participants(id)).map((p) => p.name)).toEqual(["Alice"]);
        expect(owner.rooms.stats().pendingUpdates).toBe(0);
      });

      // The owner's update log stops moving (the stored document keeps the old code), and its
      // replies to the caller's node channel are refused by Redis (NOPERM): lost.
      await database.db.execute(sql.raw(`revoke insert on document_updates from ${role}`));
      await redisAdmin.call(
        "ACL",
        "SETUSER",
        "owner",
        "resetchannels",
        `&${prefix}room:*`,
        `&${prefix}rooms:control`,
        `&${prefix}events:*`,
        `&${prefix}node:${ownerBus.nodeId}.*`,
      );
      const call = caller.rooms.directory.replaceCode(id, "new code", "interviewer");
      // The owner applied it: its client shows it.
      await retryableAssertion(() => expect(alice.text.toString()).toBe("new code"));
      // Replies get through again while the caller still waits (it asks again after 3 s).
      await redisAdmin.call("ACL", "SETUSER", "owner", "allchannels");
      await call;
      await database.db.execute(sql.raw(`grant insert on document_updates to ${role}`));
      await retryableAssertion(() => expect(owner.rooms.stats().pendingUpdates).toBe(0));

      // A read forwarded by the caller travels behind anything the caller published before it.
      expect((await caller.rooms.directory.readCode(id)).code).toBe("new code");
      expect(alice.text.toString()).toBe("new code");
      expect((await new DocumentStore(database.db).readCode(id)).code).toBe("new code");
    } finally {
      alice.destroy();
      await caller.stop();
      await owner.stop();
      await ownerBus.close();
      await callerBus.close();
    }
  });
});
