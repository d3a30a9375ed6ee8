import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { openTestPglite } from "@pairpad/db/testing";
import { LocalBus } from "../bus/local-bus.ts";
import { CloseCode } from "./close-codes.ts";
import {
  connect,
  createSession,
  type RoomNode,
  rawSocket,
  retryableAssertion,
  startRoomNode,
  synced,
} from "./test-support.ts";

setDefaultTimeout(30_000);

describe("limits and bad input", () => {
  let database: Database;
  let bus: LocalBus;
  let node: RoomNode;

  beforeAll(async () => {
    database = await openTestPglite();
    bus = new LocalBus();
    node = await startRoomNode(database.db, bus, {
      maxDocumentBytes: 4_000,
      maxPayloadBytes: 16_000,
      messagesPerSecond: 5,
      messageBurst: 20,
      maxConnectionsPerSession: 2,
      unloadGraceMs: 50,
    });
  });
  afterAll(async () => {
    await node.stop();
    await bus.close();
    await database.close();
  });

  test("an update that would pass the document size cap is refused, and its sender told why", async () => {
    const { id } = await createSession(database.db);
    const writer = connect(node.url, id);
    const reader = connect(node.url, id);
    try {
      await Promise.all([synced(writer), synced(reader)]);
      writer.text.insert(0, "small");
      await retryableAssertion(() => expect(reader.text.toString()).toBe("small"));
      writer.text.insert(5, "x".repeat(6_000));
      await retryableAssertion(() => expect(node.rooms.stats().updatesRefused).toBeGreaterThan(0));
      // The sender is closed for good (4400–4499: the standard client stops reconnecting, so it
      // does not send the refused change again and again); nobody else sees the change.
      await retryableAssertion(() => expect(writer.closed[0]?.code).toBe(CloseCode.documentTooLarge));
      expect(writer.closed[0]?.reason).toContain("not saved");
      expect(reader.text.toString()).toBe("small");
      expect((await node.rooms.directory.readCode(id)).code).toBe("small");
      // The others keep editing; a fresh connection of the same person starts from the server's copy.
      reader.text.insert(5, "!");
      const again = connect(node.url, id);
      try {
        await synced(again);
        await retryableAssertion(() => expect(again.text.toString()).toBe("small!"));
      } finally {
        again.destroy();
      }
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });

  test("a connection over its message rate is closed; others carry on", async () => {
    const { id } = await createSession(database.db);
    const calm = connect(node.url, id);
    try {
      await synced(calm);
      const { ws, closed } = await rawSocket(`${node.url}/${id}`);
      for (let i = 0; i < 100; i++) ws.send(new Uint8Array([3]));
      expect((await closed).code).toBe(CloseCode.rateLimited);
      calm.text.insert(0, "fine");
      await retryableAssertion(async () =>
        expect((await node.rooms.directory.readCode(id)).code).toBe("fine"),
      );
    } finally {
      calm.destroy();
    }
  });

  test("frames over maxPayloadLength close the socket", async () => {
    const { id } = await createSession(database.db);
    const { ws, closed } = await rawSocket(`${node.url}/${id}`);
    ws.send(new Uint8Array(20_000));
    expect((await closed).code).toBe(CloseCode.tooLarge);
  });

  test("connections per session are capped", async () => {
    const { id } = await createSession(database.db);
    const first = connect(node.url, id);
    const second = connect(node.url, id);
    try {
      await Promise.all([synced(first), synced(second)]);
      const third = await rawSocket(`${node.url}/${id}`);
      expect((await third.closed).code).toBe(CloseCode.sessionFull);
    } finally {
      first.destroy();
      second.destroy();
    }
  });
});
