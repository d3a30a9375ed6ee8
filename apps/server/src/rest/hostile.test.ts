/**
 * Issue 10's acceptance: hostile inputs generated from the served OpenAPI document for every
 * operation, each answer validated against the document (Ajv). No 5xx, no answer outside the
 * document, no invalid input accepted, no partial write (every table is compared before and after
 * each refused mutation), and the server healthy throughout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { sql } from "drizzle-orm";
import type { RunningServer } from "../main.ts";
import { startTestServer } from "../testing.ts";
import { type HostileRequest, hostileRequests, operationsOf } from "./hostile-inputs.ts";
import { OpenApiCheck } from "./openapi-check.ts";

for (const target of testDatabaseTargets()) {
  describe(`hostile input from the OpenAPI document (${target.name})`, () => {
    let server: RunningServer;
    let document: Record<string, unknown>;
    let tables: string[] = [];

    /** A fingerprint of every table's rows: any write shows. */
    async function fingerprint(): Promise<string> {
      const parts = tables.map(
        (table) =>
          sql`select ${table} as name, count(*)::int as n, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as sum from ${sql.identifier(table)} t`,
      );
      const rows = await server.deps.db.execute(sql.join(parts, sql` union all `));
      return JSON.stringify(rows);
    }

    beforeAll(async () => {
      server = await startTestServer(target, { SESSIONS_PER_MINUTE_PER_CLIENT: 100_000 });
      document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Record<string, unknown>;
      const rows = (await server.deps.db.execute(
        sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
      )) as unknown as Array<{ tablename: string }>;
      tables = [...rows].map((r) => r.tablename);
    });
    afterAll(() => server.stop());

    test("every operation refuses what the document refuses, answers as documented, and writes nothing", async () => {
      const check = new OpenApiCheck(document);
      const api = `${server.url}/api`;
      const created = (await (
        await fetch(`${api}/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"title":"Target"}',
        })
      ).json()) as { id: string; interviewerToken: string; observerUrl: string };
      const auth = { authorization: `Bearer ${created.interviewerToken}` };
      const snapshot = (await (
        await fetch(`${api}/sessions/${created.id}/code`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"code":"x = 1"}',
        })
      ).json()) as { id: string };
      const pathValues = {
        id: created.id,
        snapshotId: snapshot.id,
        observerId: new URL(created.observerUrl).pathname.split("/").pop() ?? "x",
        paragraphId: "p1",
      };

      const operations = operationsOf(document);
      const failures: string[] = [];
      let sent = 0;

      async function send(request: HostileRequest): Promise<number> {
        const url = `${api}${request.path}${request.query ? `?${request.query}` : ""}`;
        const headers: Record<string, string> = { ...(request.operation.secured ? auth : {}) };
        if (request.contentType) headers["content-type"] = request.contentType;
        const response = await fetch(url, { method: request.method, headers, body: request.body });
        const text = await response.text();
        sent++;
        const where = `${request.method} ${request.operation.path} [${request.what}]`;
        if (response.status >= 500) failures.push(`${where}: ${response.status} ${text.slice(0, 200)}`);
        else if (request.invalid && response.status < 400)
          failures.push(`${where}: accepted (${response.status})`);
        const { path } = request.operation;
        for (const problem of check.problems(request.method, path, response.status, response.headers, text)) {
          failures.push(`${where}: ${problem}`);
        }
        return response.status;
      }

      for (const operation of operations) {
        const requests = hostileRequests(operation, pathValues);
        if (operation.method === "GET") {
          // Reads go eight at a time.
          for (let i = 0; i < requests.length; i += 8) await Promise.all(requests.slice(i, i + 8).map(send));
        } else {
          // Refused mutations one after another, every table compared before and after them all;
          // on a difference, each again on its own to name the one that wrote.
          const before = await fingerprint();
          for (const request of requests) await send(request);
          if ((await fingerprint()) !== before) {
            for (const request of requests) {
              const alone = await fingerprint();
              const status = await send(request);
              if (status >= 400 && (await fingerprint()) !== alone) {
                failures.push(
                  `${operation.method} ${operation.path} [${request.what}]: refused, yet it wrote`,
                );
              }
            }
          }
        }
        if ((await fetch(`${server.url}/healthz`)).status !== 200)
          failures.push(`unhealthy after ${operation.path}`);
      }
      console.log(
        `${sent} hostile requests over ${operations.length} operations, answers checked against the document`,
      );
      expect(failures).toEqual([]);
      // Still serving, and still right.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const session = await fetch(`${api}/sessions/${created.id}`, { headers: auth });
      expect(await session.json()).toMatchObject({ title: "Target", isInterviewer: true });
    }, 120_000);
  });
}
