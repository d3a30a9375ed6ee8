/**
 * A 10-test submission end to end (`POST /api/sessions/{id}/test-runs` on a server started here, every
 * test in its own sandbox), against the same tests run one by one with the bare toolchain on the host
 * (C++ compiled once, then run ten times). Median of the iterations; the goal is ≤ 1.5×.
 *
 *   bun bench/test-runs.ts [iterations]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTestPglite } from "@pairpad/db/testing";
import { startTestServer } from "../apps/server/src/testing.ts";

const iterations = Number(process.argv[2] ?? 5);

const programs = {
  python: "import sys\nnums = list(map(int, sys.stdin.read().split()))\nprint(sum(nums))\n",
  cpp: '#include <iostream>\nint main() { long long x, s = 0; while (std::cin >> x) s += x; std::cout << s << "\\n"; }\n',
};
const tests = Array.from({ length: 10 }, (_, i) => {
  const nums = Array.from({ length: 1000 }, (_, k) => (k * 7 + i) % 1000);
  return { stdin: `${nums.join(" ")}\n`, expected: `${nums.reduce((a, b) => a + b, 0)}\n` };
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function spawn(argv: string[], cwd: string, stdin = ""): Promise<string> {
  const proc = Bun.spawn(argv, { cwd, stdin: new Blob([stdin]), stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  if (code !== 0)
    throw new Error(`${argv.join(" ")} exited ${code}: ${await new Response(proc.stderr).text()}`);
  return out;
}

/** The bare toolchain: compile once (C++), then each test in turn, output compared as the judge does. */
async function bare(language: keyof typeof programs): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-tests-"));
  try {
    const started = performance.now();
    let run: string[];
    if (language === "cpp") {
      writeFileSync(join(dir, "main.cpp"), programs.cpp);
      await spawn(["g++", "-O2", "-std=c++17", "-o", "main", "main.cpp"], dir);
      run = ["./main"];
    } else {
      writeFileSync(join(dir, "main.py"), programs.python);
      run = ["python3", "main.py"];
    }
    for (const test of tests) {
      if ((await spawn(run, dir, test.stdin)).trim() !== test.expected.trim())
        throw new Error("wrong answer");
    }
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const server = await startTestServer(
  { name: "pglite", open: openTestPglite },
  { RUNS_PER_MINUTE_PER_SESSION: 1000, RUNS_PER_MINUTE_PER_CLIENT: 1000 },
);
const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
  const response = await fetch(`${server.url}/api${path}`, {
    method: path.endsWith("/question") ? "PUT" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const session = await post<{ id: string; interviewerToken: string }>("/sessions", {});
const question = await post<{ id: string }>(
  "/questions",
  { title: "Sum", prompt: "Sum the numbers.", tests: tests.map((t) => ({ ...t, timeLimitMs: 10_000 })) },
  session.interviewerToken,
);
await post(`/sessions/${session.id}/question`, { questionId: question.id }, session.interviewerToken);

async function ours(language: keyof typeof programs): Promise<number> {
  const started = performance.now();
  const run = await post<{ verdict: string; passed: number }>(`/sessions/${session.id}/test-runs`, {
    language,
    code: programs[language],
  });
  if (run.verdict !== "passed" || run.passed !== 10) throw new Error(`not accepted: ${JSON.stringify(run)}`);
  return performance.now() - started;
}

console.log(`10 tests, ${iterations} iterations, median wall time\n`);
console.log(
  `${"language".padEnd(10)}${"bare, one by one".padStart(20)}${"Pairpad (REST)".padStart(18)}${"ratio".padStart(9)}`,
);
for (const language of ["python", "cpp"] as const) {
  await ours(language); // warm: detection, prepared sandboxes
  await bare(language);
  const bareTimes: number[] = [];
  const ourTimes: number[] = [];
  for (let i = 0; i < iterations; i++) {
    bareTimes.push(await bare(language));
    ourTimes.push(await ours(language));
  }
  const b = median(bareTimes);
  const o = median(ourTimes);
  console.log(
    `${language.padEnd(10)}${`${b.toFixed(0)} ms`.padStart(20)}${`${o.toFixed(0)} ms`.padStart(18)}${`${(o / b).toFixed(2)}×`.padStart(9)}`,
  );
}
await server.stop();
