import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "./client.ts";
import { migrate } from "./migrate.ts";
import { openTestPostgres } from "./testing.ts";

const targets: Array<[string, () => Promise<Database>]> = [["pglite", () => openDatabase({})]];
const url = process.env.DATABASE_URL;
if (url) targets.push(["postgres", () => openTestPostgres(url)]);

/** `execute` returns the rows as an array on both drivers (PGlite's goes through pg-proxy). */
function rowsOf<T>(result: unknown): T[] {
  return result as T[];
}

for (const [name, open] of targets) {
  describe(`migrations (${name})`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(() => database.close());

    test("a fresh database migrates, and a second run is a no-op", async () => {
      await migrate(database);
      const tables = async () => {
        const result = await database.db.execute<{ table_name: string }>(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        );
        return rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
      };
      const applied = async () => {
        const result = await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        return rowsOf<{ n: number }>(result)[0]?.n;
      };
      expect(await tables()).toEqual([
        "code_snapshots",
        "document_states",
        "document_updates",
        "history_entries",
        "interviewer_notes",
        "questions",
        "scorecards",
        "session_questions",
        "sessions",
        "test_runs",
      ]);
      const first = await applied();
      expect(first).toBeGreaterThan(0);
      await migrate(database);
      expect(await applied()).toBe(first);
      expect(await tables()).toHaveLength(10);
    });
  });
}
