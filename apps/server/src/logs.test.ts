/** Issue 10, finding 19: a failed query's parameters (code, names, token hashes) never reach the logs. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { sql } from "drizzle-orm";
import type { RunningServer } from "./main.ts";
import { captureJsonLogs, startTestServer } from "./testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`logs on database errors (${target.name})`, () => {
    let server: RunningServer;
    const lines: string[] = [];
    let release = () => {};

    beforeAll(async () => {
      server = await startTestServer(target, { LOG_LEVEL: "error" });
      release = captureJsonLogs(lines);
    });
    afterAll(async () => {
      release();
      await server.stop();
    });

    test("a failed insert is logged with the query but without its parameters", async () => {
      const db = server.deps.db;
      const created = (await (await fetch(`${server.url}/api/sessions`, { method: "POST" })).json()) as {
        id: string;
      };
      // The database refuses these rows, as it would on any failure of its own.
      await db.execute(
        sql.raw("alter table sessions add constraint refuse_title check (title <> 'Secret title') not valid"),
      );
      await db.execute(
        sql.raw(
          "alter table code_snapshots add constraint refuse_code check (code <> 'secret_code()') not valid",
        ),
      );
      try {
        const post = (path: string, body: unknown) =>
          fetch(`${server.url}/api${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          });
        expect((await post("/sessions", { title: "Secret title" })).status).toBe(500);
        expect(
          (await post(`/sessions/${created.id}/code`, { code: "secret_code()", author: "Ada" })).status,
        ).toBe(500);
      } finally {
        await db.execute(sql.raw("alter table sessions drop constraint refuse_title"));
        await db.execute(sql.raw("alter table code_snapshots drop constraint refuse_code"));
      }
      const logged = lines.join("");
      expect(logged).toContain("procedure failed");
      expect(logged).toContain("insert into");
      expect(logged).toContain("refuse_title"); // the database's reason, from the error's cause
      expect(logged).not.toContain("Secret title");
      expect(logged).not.toContain("secret_code()");
      expect(logged).not.toContain("Ada");
      expect(logged).not.toMatch(/[0-9a-f]{64}/); // the token hash
      expect(logged).not.toContain("params");
    });
  });
}
