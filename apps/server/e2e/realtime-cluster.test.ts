import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connect, retryableAssertion, synced } from "../src/rooms/test-support.ts";
import {
  createSessionOn,
  freshPostgres,
  type NodeProcess,
  participantsOn,
  spawnNode,
} from "./realtime-support.ts";

setDefaultTimeout(60_000);

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!databaseUrl || !redisUrl)("two server processes on PostgreSQL and Redis", () => {
  let drop: () => Promise<void>;
  let a: NodeProcess;
  let b: NodeProcess;

  beforeAll(async () => {
    const db = await freshPostgres(databaseUrl as string);
    drop = db.drop;
    const shared = { databaseUrl: db.url, redisUrl, redisPrefix: `pairpad-e2e-${crypto.randomUUID()}:` };
    [a, b] = await Promise.all([spawnNode(shared), spawnNode(shared)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await drop?.();
  });

  test("clients on different processes converge and both nodes list both participants", async () => {
    const { id } = await createSessionOn(a);
    const alice = connect(a.url, id, { name: "Alice" });
    const bob = connect(b.url, id, { name: "Bob" });
    try {
      await Promise.all([synced(alice), synced(bob)]);
      alice.text.insert(0, "function add(a, b) {\n}\n");
      await retryableAssertion(() => expect(bob.text.toString()).toBe("function add(a, b) {\n}\n"));
      bob.text.insert(21, "  return a + b;\n");
      await retryableAssertion(() =>
        expect(alice.text.toString()).toBe("function add(a, b) {\n  return a + b;\n}\n"),
      );
      await retryableAssertion(() => {
        const names = [...bob.provider.awareness.getStates().values()].map((s) => s.user?.name);
        expect(names).toContain("Alice");
      });
      for (const node of [a, b]) {
        await retryableAssertion(async () =>
          expect((await participantsOn(node, id)).map((p) => p.name).sort()).toEqual(["Alice", "Bob"]),
        );
      }
    } finally {
      alice.destroy();
      bob.destroy();
    }
  });

  test("a node that joins after the edits catches up", async () => {
    const { id } = await createSessionOn(b);
    const first = connect(a.url, id, { name: "First" });
    try {
      await synced(first);
      for (let i = 0; i < 50; i++) first.text.insert(first.text.length, `${i}\n`);
      const second = connect(b.url, id, { name: "Second" });
      try {
        await retryableAssertion(() => expect(second.text.toString()).toBe(first.text.toString()));
      } finally {
        second.destroy();
      }
    } finally {
      first.destroy();
    }
  });
});
