/**
 * Issue 10's acceptance: hostile inputs generated from the served OpenAPI document for every
 * operation, each answer validated against the document (Ajv). Every operation is called with a
 * credential its declared `security` admits (the interviewer token, an organization API key or a
 * member's cookie), so the input reaches validation instead of ending at 401. No 5xx, no answer
 * outside the document, no invalid input accepted, no partial write (every table is compared
 * before and after each refused mutation), and the server healthy throughout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { sql } from "drizzle-orm";
import type { RunningServer } from "../main.ts";
import { signUp, startTestServer } from "../testing.ts";
import { restBodyLimit } from "./body-limits.ts";
import { type HostileRequest, hostileRequests, type Operation, operationsOf } from "./hostile-inputs.ts";
import { OpenApiCheck } from "./openapi-check.ts";

const MAX_BODY_BYTES = 1024 * 1024;
/** Columns that record a credential's use, left out of the fingerprint. */
const CREDENTIAL_USE: Record<string, string[]> = {
  api_keys: ["last_request", "request_count", "updated_at"],
};

/** The `code` of an error body, if it is one. */
function codeOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

for (const target of testDatabaseTargets()) {
  describe(`hostile input from the OpenAPI document (${target.name})`, () => {
    let server: RunningServer;
    let document: Record<string, unknown>;
    let tables: string[] = [];

    /**
     * A fingerprint of every table's rows: any write shows, except the record of a credential's use
     * (an API key's last request and count), which any request with the key makes, refused or not.
     */
    async function fingerprint(): Promise<string> {
      const parts = tables.map((table) => {
        const row = sql`to_jsonb(t) - ${`{${(CREDENTIAL_USE[table] ?? []).join(",")}}`}::text[]`;
        return sql`select ${table} as name, count(*)::int as n, md5(coalesce(string_agg((${row})::text, ',' order by (${row})::text), '')) as sum from ${sql.identifier(table)} t`;
      });
      const rows = await server.deps.db.execute(sql.join(parts, sql` union all `));
      return JSON.stringify(rows);
    }

    /** A successful call made to set the scene; its JSON answer. */
    async function ok<T>(method: string, path: string, headers: Record<string, string>, body?: unknown) {
      const response = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    }

    beforeAll(async () => {
      server = await startTestServer(target, {
        SESSIONS_PER_MINUTE_PER_CLIENT: 100_000,
        SIGNIN_ATTEMPTS_PER_MINUTE: 1000,
        MAX_BODY_BYTES,
      });
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

      // An anonymous session with its token, and a workspace (owner Alice, members Bob and Carol, an
      // invitation pending for Dave, two API keys) with a session of its own.
      const created = await ok<{ id: string; interviewerToken: string; observerUrl: string }>(
        "POST",
        "/sessions",
        {},
        { title: "Target" },
      );
      const token = { authorization: `Bearer ${created.interviewerToken}` };
      const snapshot = await ok<{ id: string }>(
        "POST",
        `/sessions/${created.id}/code`,
        {},
        { code: "x = 1" },
      );
      const notes = await ok<{ paragraphs: Array<{ id: string }> }>(
        "POST",
        `/sessions/${created.id}/notes`,
        token,
        { text: "Strong start" },
      );
      const question = await ok<{ id: string }>("POST", "/questions", token, {
        title: "Reverse",
        prompt: "Reverse a list",
      });
      const alice = { cookie: await signUp(server, { email: "alice@a.example", name: "Alice" }) };
      for (const name of ["bob", "carol"]) {
        const cookie = await signUp(server, { email: `${name}@a.example` });
        const invitation = await ok<{ id: string }>("POST", "/workspace/invitations", alice, {
          email: `${name}@a.example`,
        });
        await ok("POST", `/workspace/invitations/${invitation.id}/accept`, { cookie });
      }
      const pending = await ok<{ id: string }>("POST", "/workspace/invitations", alice, {
        email: "dave@a.example",
      });
      const { members } = await ok<{ members: Array<{ id: string; email: string }> }>(
        "GET",
        "/workspace/members",
        alice,
      );
      const memberOf = (email: string) => members.find((m) => m.email === email)?.id ?? "missing";
      const key = await ok<{ key: string }>("POST", "/workspace/api-keys", alice, { name: "hostile" });
      const spareKey = await ok<{ id: string }>("POST", "/workspace/api-keys", alice, { name: "spare" });
      const interview = await ok<{ id: string }>(
        "POST",
        "/sessions",
        { authorization: `Bearer ${key.key}` },
        { title: "Workspace" },
      );

      /** Each security scheme's credential, as the document names them. */
      const credentials: Record<string, Record<string, string>> = {
        interviewerToken: token,
        apiKey: { authorization: `Bearer ${key.key}` },
        apiKeyHeader: { "x-api-key": key.key },
        memberSession: alice,
      };
      /** The first credential the operation's `security` admits (none for public operations). */
      const credentialFor = (operation: Operation) =>
        operation.security.map((place) => credentials[place.scheme]).find((c) => c !== undefined) ?? {};
      /** Real values of an operation's path parameters: what it acts on. Deletes get things of their own. */
      const pathValuesFor = (operation: Operation) => ({
        id: operation.path.startsWith("/questions")
          ? question.id
          : operation.path.startsWith("/interviews")
            ? interview.id
            : created.id,
        snapshotId: snapshot.id,
        observerId: new URL(created.observerUrl).pathname.split("/").pop() ?? "x",
        paragraphId: notes.paragraphs[0]?.id ?? "x",
        invitationId: pending.id,
        memberId: memberOf(operation.method === "DELETE" ? "carol@a.example" : "bob@a.example"),
        keyId: spareKey.id,
      });

      // Deletes last, as each ends by deleting its thing; the target session's very last, as its
      // token is the credential of the others.
      const order = (operation: Operation) =>
        operation.method !== "DELETE" ? 0 : operation.path === "/sessions/{id}" ? 2 : 1;
      const operations = operationsOf(document).sort((a, b) => order(a) - order(b));
      const failures: string[] = [];
      let sent = 0;

      async function send(request: HostileRequest): Promise<number> {
        const url = `${api}${request.path}${request.query ? `?${request.query}` : ""}`;
        const headers: Record<string, string> = { ...(request.headers ?? credentialFor(request.operation)) };
        if (request.contentType) headers["content-type"] = request.contentType;
        const response = await fetch(url, { method: request.method, headers, body: request.body });
        const text = await response.text();
        sent++;
        const where = `${request.method} ${request.operation.path} [${request.what}]`;
        if (response.status >= 500) failures.push(`${where}: ${response.status} ${text.slice(0, 200)}`);
        else if (request.invalid && response.status < 400)
          failures.push(`${where}: accepted (${response.status})`);
        if (response.status === 401 && !request.headers && request.operation.security.length > 0)
          failures.push(`${where}: 401 with a credential the operation admits`);
        if (request.expect) {
          const code = response.status >= 400 ? codeOf(text) : undefined;
          const got = { status: response.status, ...(request.expect.code ? { code } : {}) };
          if (JSON.stringify(got) !== JSON.stringify(request.expect))
            failures.push(`${where}: ${JSON.stringify(got)}, expected ${JSON.stringify(request.expect)}`);
        }
        const { path } = request.operation;
        for (const problem of check.problems(request.method, path, response.status, response.headers, text)) {
          failures.push(`${where}: ${problem}`);
        }
        return response.status;
      }

      let stillRight = false;
      for (const operation of operations) {
        if (operation.method === "DELETE" && !stillRight) {
          // Before the deletes: no refused change reached the target session.
          const session = await fetch(`${api}/sessions/${created.id}`, { headers: token });
          expect(await session.json()).toMatchObject({ title: "Target", isInterviewer: true });
          stillRight = true;
        }
        // The limit the document states must be the one the server applies (tried at it and past it).
        if (operation.body)
          expect({ operation: operation.operationId, limit: operation.bodyLimit }).toEqual({
            operation: operation.operationId,
            limit: restBodyLimit(operation.path, MAX_BODY_BYTES),
          });
        const requests = hostileRequests(operation, pathValuesFor(operation), {
          bodyLimit: operation.bodyLimit,
        });
        if (operation.method === "GET") {
          // Reads go eight at a time.
          for (let i = 0; i < requests.length; i += 8) await Promise.all(requests.slice(i, i + 8).map(send));
        } else {
          // Refused mutations one after another, every table compared before and after them all;
          // on a difference, each again on its own to name the one that wrote. Then the others.
          const refused = requests.filter((r) => r.invalid);
          const before = await fingerprint();
          for (const request of refused) await send(request);
          if ((await fingerprint()) !== before) {
            for (const request of refused) {
              const alone = await fingerprint();
              const status = await send(request);
              if (status >= 400 && (await fingerprint()) !== alone) {
                failures.push(
                  `${operation.method} ${operation.path} [${request.what}]: refused, yet it wrote`,
                );
              }
            }
          }
          for (const request of requests.filter((r) => !r.invalid)) await send(request);
        }
        if ((await fetch(`${server.url}/healthz`)).status !== 200)
          failures.push(`unhealthy after ${operation.path}`);
      }
      console.log(
        `${sent} hostile requests over ${operations.length} operations, answers checked against the document`,
      );
      expect(failures).toEqual([]);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      // The delete with unknown parameters named like Object properties deleted the session.
      expect((await fetch(`${api}/sessions/${created.id}`, { headers: token })).status).toBe(404);
    }, 180_000);
  });
}
