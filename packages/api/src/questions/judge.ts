import type { LanguageId, RunResult } from "../execution/executor.ts";
import { toStorable } from "../input/text.ts";
import type { ApiDeps } from "../trpc.ts";
import { compareOutput } from "./compare.ts";
import type { TestCase } from "./question.ts";
import { SHOWN_IO_CHARS, type TestVerdict, type VerdictKind } from "./verdict.ts";

export interface Submission {
  language: LanguageId;
  code: string;
}

export interface JudgeOptions {
  /** Who the runs are for, as the run queue shares its slots (`client:…`, `session:…`). */
  owners: string[];
  signal?: AbortSignal;
}

export interface Judgement {
  tests: TestVerdict[];
  compileOutput?: string;
}

/** Cut for showing, and storable: a program may print NUL or half a surrogate pair. */
const clip = (text: string) =>
  toStorable(text.length > SHOWN_IO_CHARS ? `${text.slice(0, SHOWN_IO_CHARS)}\n…` : text);

/** Output room for a test: its expected output plus slack, so a long wrong answer is still seen whole. */
const outputBytesFor = (test: TestCase) => Buffer.byteLength(test.expected) + 64 * 1024;

function verdictOf(test: TestCase, result: RunResult): Pick<TestVerdict, "verdict" | "diff"> {
  const byStatus: Record<RunResult["status"], VerdictKind> = {
    ok: "passed",
    compile_error: "compile_error",
    runtime_error: "runtime_error",
    timeout: "time_limit",
    memory_limit: "memory_limit",
    output_limit: "output_limit",
    internal_error: "internal_error",
  };
  if (result.status !== "ok") return { verdict: byStatus[result.status] };
  if (result.timeMs > test.timeLimitMs) return { verdict: "time_limit" };
  const comparison = compareOutput(result.stdout, test.expected, test.comparison, test.tolerance);
  return comparison.passed ? { verdict: "passed" } : { verdict: "wrong_answer", diff: comparison.diff };
}

function toVerdict(test: TestCase, result: RunResult | null, verdict?: VerdictKind): TestVerdict {
  const judged = result && !verdict ? verdictOf(test, result) : { verdict: verdict ?? "not_run" };
  return {
    testId: test.id,
    name: test.name,
    visibility: test.visibility,
    ...judged,
    timeMs: result?.timeMs ?? 0,
    memoryKb: result?.memoryKb,
    timeLimitMs: test.timeLimitMs,
    stdin: clip(test.stdin),
    expected: clip(test.expected),
    actual: clip(result?.stdout ?? ""),
    stderr: clip(result?.stderr ?? ""),
  };
}

/**
 * Runs a submission against tests, one sandbox per test (the executor's ordinary run, with the test's
 * time limit and room for its expected output). The first test runs alone: a compile error ends the
 * judgement there, so broken code is compiled once and no test runs. The others then run in parallel,
 * as wide as the run queue lets one owner go.
 */
export async function judge(
  deps: Pick<ApiDeps, "executor" | "runQueue">,
  submission: Submission,
  tests: TestCase[],
  options: JudgeOptions,
): Promise<Judgement> {
  const runOne = (test: TestCase) =>
    deps.runQueue.submit(
      (abort) =>
        deps.executor.run(
          {
            language: submission.language,
            code: submission.code,
            stdin: test.stdin,
            ...(test.seed !== undefined ? { seed: test.seed } : {}),
            limits: { wallTimeMs: test.timeLimitMs, outputBytes: outputBytesFor(test) },
          },
          abort,
        ),
      { signal: options.signal, owners: options.owners },
    );
  const [first, ...rest] = tests;
  if (!first) return { tests: [] };
  const firstResult = await runOne(first);
  if (firstResult.status === "compile_error") {
    return {
      tests: tests.map((test, i) => toVerdict(test, i === 0 ? firstResult : null, "compile_error")),
      compileOutput: clip(firstResult.compileOutput ?? firstResult.stderr),
    };
  }
  const held = Math.max(0, ...options.owners.map((o) => deps.runQueue.heldBy(o)));
  const width = Math.max(
    1,
    Math.min(rest.length, deps.runQueue.concurrency, deps.runQueue.maxPerOwner - held),
  );
  const results: Array<RunResult | null> = rest.map(() => null);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < rest.length) {
        const index = next++;
        const test = rest[index];
        if (test) results[index] = await runOne(test);
      }
    }),
  );
  return {
    tests: [toVerdict(first, firstResult), ...rest.map((test, i) => toVerdict(test, results[i] ?? null))],
    compileOutput: firstResult.compileOutput ? clip(firstResult.compileOutput) : undefined,
  };
}
