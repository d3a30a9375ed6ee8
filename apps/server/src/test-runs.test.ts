import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { LanguageId } from "@pairpad/api/execution/executor";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { recipes } from "./executor/languages.ts";
import { type VerdictPrograms, verdictPrograms } from "./executor/verdict-samples.ts";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

const [pglite] = testDatabaseTargets();

type Language = LanguageId;
const programs = verdictPrograms;
const compiled = new Set(Object.values(recipes).flatMap((r) => (r.compile ? [r.id] : [])));
const MiB = 1024 * 1024;

interface Verdict {
  testId: string;
  verdict: string;
  timeMs: number;
  diff?: { line: number; expected: string; actual: string };
}
interface TestRun {
  verdict: string;
  passed: number;
  total: number;
  compileOutput?: string;
  tests: Verdict[];
}

describe("test runs with verdicts through the real sandbox", () => {
  let server: RunningServer;
  let auth: Record<string, string>;
  const api = async <T>(method: string, path: string, body?: unknown, headers = auth): Promise<T> => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  let sumQuestion: string;
  /** Languages whose toolchain is here (CI installs them all); the others are skipped with a warning. */
  const available = new Set<string>();
  const missing = (language: Language) => {
    if (available.has(language)) return false;
    console.warn(`test-runs.test.ts: ${language} skipped — no toolchain here`);
    return true;
  };
  let floatQuestion: string;

  beforeAll(async () => {
    if (!pglite) throw new Error("no database");
    server = await startTestServer(pglite, {
      RUNS_PER_MINUTE_PER_SESSION: 1000,
      RUNS_PER_MINUTE_PER_CLIENT: 1000,
      // Every judgement is a session of its own: a quick machine makes more than 60 a minute.
      SESSIONS_PER_MINUTE_PER_CLIENT: 10_000,
    });
    const { languages } = await api<{ languages: Array<{ id: string; available: boolean }> }>(
      "GET",
      "/languages",
      undefined,
      {},
    );
    for (const l of languages) if (l.available) available.add(l.id);
    const session = await api<{ interviewerToken: string }>("POST", "/sessions", {}, {});
    auth = { authorization: `Bearer ${session.interviewerToken}` };
    sumQuestion = (
      await api<{ id: string }>("POST", "/questions", {
        title: "Sum",
        prompt: "Print a + b.",
        tests: [
          { id: "small", stdin: "1 2\n", expected: "3\n", timeLimitMs: 10_000 },
          { id: "tens", stdin: "10 20\n", expected: "30\n", timeLimitMs: 10_000 },
          { id: "sevens", stdin: "7 7\n", expected: "14\n", timeLimitMs: 5_000, visibility: "hidden" },
        ],
      })
    ).id;
    floatQuestion = (
      await api<{ id: string }>("POST", "/questions", {
        title: "Divide, or print a lot",
        prompt: "…",
        tests: [
          { id: "third", stdin: "1 3\n", expected: "0.333333\n", comparison: "float", tolerance: 1e-4 },
          { id: "big", stdin: `big ${MiB}\n`, expected: `${"a".repeat(MiB)}\n`, comparison: "exact" },
        ],
      })
    ).id;
  });
  afterAll(() => server.stop());

  /** A fresh session on `question`, its tests run against `code` with every test (interviewer). */
  async function judge(
    language: Language,
    question: string,
    code: string,
    scope = "hidden",
  ): Promise<TestRun> {
    const session = await api<{ id: string; interviewerToken: string }>(
      "POST",
      "/sessions",
      { language },
      {},
    );
    const asInterviewer = { authorization: `Bearer ${session.interviewerToken}` };
    await api("PUT", `/sessions/${session.id}/question`, { questionId: question }, asInterviewer);
    return api<TestRun>(
      "POST",
      `/sessions/${session.id}/test-runs`,
      { scope, language, code },
      asInterviewer,
    );
  }
  const verdicts = (run: TestRun) => Object.fromEntries(run.tests.map((t) => [t.testId, t.verdict]));

  test("the candidate runs public tests only, and sees public runs only", async () => {
    const session = await api<{ id: string; interviewerToken: string }>(
      "POST",
      "/sessions",
      { language: "python" },
      {},
    );
    const interviewer = { authorization: `Bearer ${session.interviewerToken}` };
    await api("PUT", `/sessions/${session.id}/question`, { questionId: sumQuestion }, interviewer);
    const room = await api<{ question: { tests: Array<{ id: string }> } }>(
      "GET",
      `/sessions/${session.id}/question`,
      undefined,
      {},
    );
    expect(room.question.tests.map((t) => t.id)).toEqual(["small", "tens"]);
    expect(JSON.stringify(room)).not.toContain("7 7");

    const code = "a, b = map(int, input().split())\nprint(a + b)";
    const mine = await api<TestRun & { id: string }>(
      "POST",
      `/sessions/${session.id}/test-runs`,
      { code },
      {},
    );
    expect(verdicts(mine)).toEqual({ small: "passed", tens: "passed" });
    const hidden = await api<TestRun & { id: string }>(
      "POST",
      `/sessions/${session.id}/test-runs`,
      { scope: "hidden", code },
      interviewer,
    );
    expect(hidden.total).toBe(3);
    const refused = await fetch(`${server.url}/api/sessions/${session.id}/test-runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scope: "hidden", code }),
    });
    expect(refused.status).toBe(401);

    const seen = await api<{ runs: Array<{ id: string }> }>(
      "GET",
      `/sessions/${session.id}/test-runs`,
      undefined,
      {},
    );
    expect(seen.runs.map((r) => r.id)).toEqual([mine.id]);
    const all = await api<{ runs: Array<{ id: string }> }>(
      "GET",
      `/sessions/${session.id}/test-runs`,
      undefined,
      interviewer,
    );
    expect(all.runs.map((r) => r.id)).toEqual([hidden.id, mine.id]);
    const history = await api<{ items: Array<{ kind: string; payload: { runId?: string } }> }>(
      "GET",
      `/sessions/${session.id}/history?kind=test_run`,
      undefined,
      {},
    );
    expect(history.items.map((i) => i.payload.runId)).toEqual([mine.id]);
  }, 120_000);

  test("sql: each test runs against its own seeded data; a plain run uses the first public test's", async () => {
    if (missing("sql")) return;
    const seed = (a: number, b: number) =>
      `CREATE TABLE t (a INTEGER, b INTEGER);\nINSERT INTO t VALUES (${a}, ${b});`;
    const question = (
      await api<{ id: string }>("POST", "/questions", {
        title: "Sum the row",
        prompt: "Select `a + b` as `total` from `t`.",
        tests: [
          { id: "small", seed: seed(1, 2), expected: "total\n-----\n3\n", comparison: "tokens" },
          { id: "tens", seed: seed(10, 20), expected: "total\n-----\n30\n", comparison: "tokens" },
          {
            id: "sevens",
            seed: seed(7, 7),
            expected: "total\n-----\n14\n",
            comparison: "tokens",
            timeLimitMs: 3_000,
            visibility: "hidden",
          },
        ],
      })
    ).id;
    const judgeSql = (code: string) => judge("sql", question, code);
    expect(await judgeSql("SELECT a + b AS total FROM t;")).toMatchObject({ verdict: "passed", passed: 3 });
    const wrong = await judgeSql("SELECT a - b AS total FROM t;");
    expect(wrong.verdict).toBe("wrong_answer");
    expect(wrong.tests[0]?.diff).toMatchObject({ expected: "3", actual: "-1" });
    // Endless only on the third test's data.
    const slow = await judgeSql(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE (SELECT a FROM t) = 7)\n" +
        "SELECT a + b AS total FROM t WHERE (SELECT count(*) FROM c) > 0;",
    );
    expect(verdicts(slow), JSON.stringify(slow)).toEqual({
      small: "passed",
      tens: "passed",
      sevens: "time_limit",
    });
    expect(verdicts(await judgeSql("SELECT * FROM nope;"))).toEqual({
      small: "runtime_error",
      tens: "runtime_error",
      sevens: "runtime_error",
    });

    // A plain run in the session runs against the first public test's data, never a hidden one's.
    const session = await api<{ id: string; interviewerToken: string }>(
      "POST",
      "/sessions",
      { language: "sql" },
      {},
    );
    const asInterviewer = { authorization: `Bearer ${session.interviewerToken}` };
    await api("PUT", `/sessions/${session.id}/question`, { questionId: question }, asInterviewer);
    const ran = await api<{ stdout: string; status: string }>("POST", "/execute", {
      sessionId: session.id,
      language: "sql",
      code: "SELECT a, b FROM t;",
    });
    expect(ran.status).toBe("ok");
    expect(ran.stdout.split(/\s+/).filter(Boolean)).toEqual(["a", "b", "-", "-", "1", "2"]);
    // The candidate sees the public tests' data, not the hidden one's.
    const room = await api<{ question: { tests: Array<{ seed?: string }> } }>(
      "GET",
      `/sessions/${session.id}/question`,
      undefined,
      {},
    );
    expect(room.question.tests.map((t) => t.seed)).toEqual([seed(1, 2), seed(10, 20)]);
  }, 120_000);

  for (const [language, p] of Object.entries(programs) as Array<[Language, VerdictPrograms]>) {
    test(`${language}: accepted, wrong answer with a diff, one time limit, runtime error, compile error, memory limit`, async () => {
      if (missing(language)) return;
      const accepted = await judge(language, sumQuestion, p.sum);
      expect(accepted, JSON.stringify(accepted)).toMatchObject({ verdict: "passed", passed: 3, total: 3 });

      const wrong = await judge(language, sumQuestion, p.wrong);
      expect(wrong.verdict).toBe("wrong_answer");
      expect(wrong.tests[0]?.diff).toEqual({ line: 1, expected: "3", actual: "-1" });

      const slow = await judge(language, sumQuestion, p.slowOnSeven);
      expect(verdicts(slow), JSON.stringify(slow)).toEqual({
        small: "passed",
        tens: "passed",
        sevens: "time_limit",
      });

      const crash = await judge(language, sumQuestion, p.crash);
      expect(verdicts(crash)).toEqual({
        small: "runtime_error",
        tens: "runtime_error",
        sevens: "runtime_error",
      });

      const broken = await judge(language, sumQuestion, p.broken);
      if (compiled.has(language)) {
        // Compiled once: the first test's compile failed and no other test ran.
        expect(verdicts(broken)).toEqual({
          small: "compile_error",
          tens: "compile_error",
          sevens: "compile_error",
        });
        expect(broken.compileOutput?.length).toBeGreaterThan(0);
        expect(broken.tests.slice(1).map((t) => t.timeMs)).toEqual([0, 0]);
      } else {
        expect(broken.verdict).toBe("runtime_error");
      }

      const hog = await judge(language, sumQuestion, p.hog);
      expect(hog.tests[0]?.verdict, JSON.stringify(hog.tests[0])).toBe("memory_limit");
    }, 240_000);

    test(`${language}: float within tolerance; a 1 MiB expected output compares whole`, async () => {
      if (missing(language)) return;
      const run = await judge(language, floatQuestion, p.floatOrBig, "public");
      expect(verdicts(run), JSON.stringify(run.tests.map((t) => ({ ...t, actual: undefined })))).toEqual({
        third: "passed",
        big: "passed",
      });
    }, 120_000);
  }
});
