import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { languageIds } from "@pairpad/api/execution/executor";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

// GET /languages waits for every toolchain's version: 24 s of a test in CI on 2 cores (6 s in the
// previous describe), against the suite's 60 s.
setDefaultTimeout(120_000);

const post = (server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

for (const target of testDatabaseTargets()) {
  describe(`POST /api/execute through the real sandbox (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(target, {
        MAX_CONCURRENT_RUNS: 1,
        RUN_QUEUE_SIZE: 1,
        RUNS_PER_MINUTE_PER_SESSION: 6,
      });
    });
    afterAll(() => server.stop());

    test("languages lists every language with versions and availability", async () => {
      const { languages, limits } = (await (await fetch(`${server.url}/api/languages`)).json()) as {
        languages: Array<{ id: string; available: boolean; version: string | null }>;
        limits: { memoryBytes: number; writable: { paths: string[]; bytes: number; files: number } };
      };
      // What a run may write is said, not left to be found out.
      expect(limits.writable).toEqual({
        paths: ["/box", "/tmp", "/dev/shm"],
        bytes: 64 * 2 ** 20,
        files: 8192,
      });
      expect(limits.memoryBytes).toBe(256 * 2 ** 20);
      expect(languages.map((l) => l.id).sort()).toEqual([...languageIds].sort());
      expect(languages.find((l) => l.id === "python")).toMatchObject({ available: true });
    });

    test("a run reads stdin and answers with the output", async () => {
      const response = await post(server, "/execute", {
        language: "python",
        code: "import sys\nprint('hello, ' + sys.stdin.read().strip())",
        stdin: "pairpad\n",
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "ok",
        stdout: "hello, pairpad\n",
        exitCode: 0,
        truncated: false,
      });
    });

    test("a session's run is recorded in its history and announced", async () => {
      const created = (await (await post(server, "/sessions", { language: "javascript" })).json()) as {
        id: string;
      };
      const run = await post(server, "/execute", {
        language: "javascript",
        code: "console.log(6 * 7)",
        sessionId: created.id,
        runBy: "Grace",
      });
      expect(await run.json()).toMatchObject({ status: "ok", stdout: "42\n" });
      const history = (await (
        await fetch(`${server.url}/api/sessions/${created.id}/history?kind=run`)
      ).json()) as {
        items: Array<{ actor: string; payload: Record<string, unknown> }>;
      };
      expect(history.items).toHaveLength(1);
      expect(history.items[0]).toMatchObject({
        actor: "Grace",
        payload: { language: "javascript", code: "console.log(6 * 7)", status: "ok", stdout: "42\n" },
      });
    });

    test("SQL runs against the sample schema, or the seed a run brings", async () => {
      const sqlite = (
        (await (await fetch(`${server.url}/api/languages`)).json()) as {
          languages: Array<{ id: string; available: boolean; reason?: string }>;
        }
      ).languages.find((l) => l.id === "sql");
      if (!sqlite?.available) {
        console.warn(`execute.test.ts: SQL skipped — ${sqlite?.reason}`);
        return;
      }
      const sample = await post(server, "/execute", {
        language: "sql",
        code: "SELECT name FROM employees WHERE manager_id IS NULL ORDER BY name;",
      });
      expect(await sample.json()).toMatchObject({ status: "ok", stdout: expect.stringContaining("Barbara") });
      const seeded = await post(server, "/execute", {
        language: "sql",
        code: "SELECT sum(qty) AS total FROM orders;",
        seed: "CREATE TABLE orders (qty INTEGER); INSERT INTO orders VALUES (2), (40);",
      });
      expect(await seeded.json()).toMatchObject({ status: "ok", stdout: expect.stringContaining("42") });
    });

    test("bad input: unknown language 400 naming the field; oversized code 413", async () => {
      const unknown = await post(server, "/execute", { language: "cobol", code: "DISPLAY 'x'." });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { fields: string[] }).fields).toEqual(["language"]);
      const big = await post(server, "/execute", { language: "python", code: `#${"x".repeat(256 * 1024)}` });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { fields: string[] }).fields).toEqual(["code"]);
      const stdin = await post(server, "/execute", {
        language: "python",
        code: "",
        stdin: "y".repeat(1024 * 1024 + 1),
      });
      expect(stdin.status).toBe(413);
      expect(((await stdin.json()) as { fields: string[] }).fields).toEqual(["stdin"]);
    });

    test("a full queue answers 503 with Retry-After at once; the runs it took still finish", async () => {
      const slow = { language: "python", code: "import time\ntime.sleep(1.5)\nprint('done')" };
      const responses = await Promise.all([1, 2, 3, 4].map(() => post(server, "/execute", slow)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 503, 503]);
      for (const response of responses) {
        if (response.status === 503) {
          expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
          expect(await response.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
        } else {
          expect(await response.json()).toMatchObject({ status: "ok", stdout: "done\n" });
        }
      }
    });

    test("too many runs in one session answer 429 with Retry-After", async () => {
      const created = (await (await post(server, "/sessions", {})).json()) as { id: string };
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const response = await post(server, "/execute", {
          language: "javascript",
          code: "1",
          sessionId: created.id,
        });
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.slice(6)).toEqual([429, 429]);
    });
  });
}
