import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabaseTarget } from "@pairpad/db/testing";
import type { Env } from "./env.ts";
import { type RunningServer, startServer } from "./main.ts";

/** A real server on port 0 over a test database, with nothing read from the environment. */
export async function startTestServer(
  target: TestDatabaseTarget,
  overrides: Partial<Env> = {},
): Promise<RunningServer> {
  const database = await target.open();
  return startServer(
    {
      PORT: 0,
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      DATA_DIR: mkdtempSync(join(tmpdir(), "pairpad-")),
      ...overrides,
    },
    {},
    { database },
  );
}

/** Polls until `assertion` stops throwing (or the timeout passes): instead of sleeps. */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(intervalMs);
    }
  }
}
