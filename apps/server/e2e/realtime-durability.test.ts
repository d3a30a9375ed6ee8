import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, retryableAssertion, synced } from "../src/rooms/test-support.ts";
import { createSessionOn, freshPostgres, type NodeOptions, spawnNode } from "./realtime-support.ts";

setDefaultTimeout(90_000);

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const targets: Array<{ name: string; storage(): Promise<NodeOptions> }> = [
  {
    name: "PGlite data directory",
    storage: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "pairpad-rt-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      return { dataDir };
    },
  },
];
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  targets.push({
    name: "PostgreSQL",
    storage: async () => {
      const db = await freshPostgres(databaseUrl);
      cleanups.push(() => db.drop());
      return { databaseUrl: db.url };
    },
  });
}

for (const target of targets) {
  describe(`durability on ${target.name}`, () => {
    for (const ending of ["SIGKILL", "SIGTERM"] as const) {
      test(`an edit survives ${ending === "SIGKILL" ? "kill -9 after 1.5 s" : "a clean shutdown"}`, async () => {
        const storage = await target.storage();
        const first = await spawnNode(storage);
        const { id } = await createSessionOn(first);
        const writer = connect(first.url, id, { name: "Kim" });
        try {
          await synced(writer);
          writer.text.insert(0, `survives ${ending}`);
          if (ending === "SIGKILL") {
            await Bun.sleep(1_500);
            await first.kill();
          } else {
            await retryableAssertion(async () => {
              const code = (await (await fetch(`${first.http}/__code/${id}`)).json()) as { code: string };
              expect(code.code).toBe(`survives ${ending}`);
            });
            expect(await first.stop()).toBe(0);
          }
        } finally {
          writer.destroy();
        }
        const second = await spawnNode(storage);
        const reader = connect(second.url, id);
        try {
          await retryableAssertion(() => expect(reader.text.toString()).toBe(`survives ${ending}`));
        } finally {
          reader.destroy();
          await second.stop();
        }
      });
    }
  });
}
