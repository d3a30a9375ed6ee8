import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Database } from "./client.ts";
import { sessions } from "./schema.ts";
import { openTestPglite } from "./testing.ts";

const row = (id: string) => ({
  id,
  title: "Pairing",
  language: "python",
  interviewerTokenHash: "x".repeat(64),
  expiresAt: new Date(Date.now() + 3_600_000),
});

describe("embedded PGlite on its worker thread", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestPglite();
  });
  afterAll(() => database.close());

  test("rows come back with the schema's types: dates as Date, in the order written", async () => {
    await database.db.insert(sessions).values(row("thread-a"));
    const [found] = await database.db.select().from(sessions).where(eq(sessions.id, "thread-a"));
    expect(found?.title).toBe("Pairing");
    expect(found?.expiresAt).toBeInstanceOf(Date);
    expect(found?.createdAt).toBeInstanceOf(Date);
    const related = await database.db.query.sessions.findFirst({ where: eq(sessions.id, "thread-a") });
    expect(related?.language).toBe("python");
  });

  test("a database error keeps its SQLSTATE code and constraint across the thread", async () => {
    const error = await database.db
      .insert(sessions)
      .values(row("thread-a"))
      .then(() => undefined)
      .catch(
        (e: unknown) => (e as { cause?: { code?: string; constraint?: string; message: string } }).cause,
      );
    // drizzle wraps driver errors in a DrizzleQueryError whose cause is the database's own error.
    expect(error?.code).toBe("23505");
    expect(error?.constraint).toBe("sessions_pkey");
    expect(error?.message).toContain("duplicate key");
  });
});

test("a script that opens the embedded database and forgets to close it still exits", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-thread-"));
  try {
    const script = `
      import { openDatabase } from ${JSON.stringify(new URL("./client.ts", import.meta.url).pathname)};
      const database = await openDatabase({ dataDir: ${JSON.stringify(join(dir, "db"))} });
      await database.ping();
      console.log("pinged");
    `;
    const child = Bun.spawn(["bun", "-e", script], { stdout: "pipe", stderr: "pipe" });
    const exited = await Promise.race([child.exited, Bun.sleep(30_000).then(() => "hung" as const)]);
    if (exited === "hung") child.kill();
    expect(exited).toBe(0);
    expect(await new Response(child.stdout).text()).toContain("pinged");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
