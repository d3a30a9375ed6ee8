import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { type Database, openDatabase, type RestartEvent } from "./client.ts";
import { sessions } from "./schema.ts";
import { openTestPglite } from "./testing.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const row = (id: string) => ({
  id,
  title: "Pairing",
  language: "python",
  interviewerTokenHash: "x".repeat(64),
  expiresAt: new Date(Date.now() + 3_600_000),
});

async function until<T>(attempt: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(50);
    }
  }
}

const causeOf = (error: unknown) =>
  (error as { cause?: { code?: string; message: string } }).cause ??
  (error as { code?: string; message: string });

test("a crashed database thread comes back on the same data directory, and fails fast meanwhile", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-restart-"));
  dirs.push(dir);
  const events: RestartEvent[] = [];
  const database: Database = await openTestPglite({ dataDir: dir });
  database.thread?.onRestart((e) => events.push(e));
  try {
    await database.db.insert(sessions).values(row("before-crash"));
    database.thread?.crash();

    // While it restarts: an outage (SQLSTATE 08006, answered 503), at once, not a hang.
    const during = await database.db
      .select()
      .from(sessions)
      .then(() => null)
      .catch(causeOf);
    if (during) {
      expect(during.code).toBe("08006");
      expect(during.message).toContain("PGlite is restarting");
    }

    const [found] = await until(() =>
      database.db.select().from(sessions).where(eq(sessions.id, "before-crash")),
    );
    expect(found?.title).toBe("Pairing");
    await database.db.insert(sessions).values(row("after-crash"));
    expect(await database.db.select().from(sessions)).toHaveLength(2);
    expect(database.thread?.restarts).toBe(1);
    expect(events.map((e) => e.phase)).toEqual(["crashed", "restarted"]);
  } finally {
    await database.close();
  }
}, 180_000);

test("writes in flight when the thread dies are reported as maybe-run (the oldest) or not run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-restart-"));
  dirs.push(dir);
  const database = await openTestPglite({ dataDir: dir });
  try {
    const writes = Array.from({ length: 20 }, (_, i) =>
      database.db
        .insert(sessions)
        .values(row(`w${i}`))
        .then(() => "ok" as const)
        .catch((error: unknown) => causeOf(error) as { code?: string; mayHaveRun?: boolean }),
    );
    await Bun.sleep(1);
    database.thread?.crash();
    const outcomes = await Promise.all(writes);
    const failed = outcomes.filter((o) => o !== "ok");
    for (const f of failed) expect(f.code).toBe("08006");
    expect(failed.filter((f) => f.mayHaveRun).length).toBeLessThanOrEqual(1);
    // Every write that was answered "ok" is there after the restart.
    const stored = await until(() => database.db.select({ id: sessions.id }).from(sessions));
    const ids = new Set(stored.map((s) => s.id));
    outcomes.forEach((o, i) => {
      if (o === "ok") expect(ids.has(`w${i}`)).toBe(true);
    });
  } finally {
    await database.close();
  }
}, 180_000);

test("an in-memory database that loses its thread stays closed (a new one would be empty)", async () => {
  const database = await openDatabase({});
  await database.ping();
  database.thread?.crash();
  await until(async () => {
    const error = await database.ping().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toContain("PGlite is closed");
  });
  await database.close();
}, 180_000);
