import { z } from "zod";
import { languageId } from "../execution/executor.ts";

export const verdictKind = z.enum([
  "passed",
  "wrong_answer",
  "time_limit",
  "memory_limit",
  "runtime_error",
  "output_limit",
  "compile_error",
  "internal_error",
  "not_run",
]);
export type VerdictKind = z.infer<typeof verdictKind>;

/** How much of a test's input, expected and actual output a verdict carries. */
export const SHOWN_IO_CHARS = 8 * 1024;

export const testVerdict = z.object({
  testId: z.string(),
  name: z.string(),
  visibility: z.enum(["public", "hidden"]),
  verdict: verdictKind,
  timeMs: z.number(),
  memoryKb: z.number().optional(),
  timeLimitMs: z.number(),
  /** Input, expected and actual output, cut to `SHOWN_IO_CHARS`. */
  stdin: z.string(),
  expected: z.string(),
  actual: z.string(),
  stderr: z.string(),
  diff: z.object({ line: z.number(), expected: z.string(), actual: z.string() }).optional(),
});
export type TestVerdict = z.infer<typeof testVerdict>;

export const testRunScope = z
  .enum(["public", "hidden", "reference"])
  .describe(
    "public: the public tests, shared with everyone in the room; hidden: every test, interviewers only; " +
      "reference: the reference solution against every test, interviewers only",
  );
export type TestRunScope = z.infer<typeof testRunScope>;

export const testRunResult = z.object({
  id: z.string(),
  scope: testRunScope,
  language: languageId,
  verdict: verdictKind.describe("passed when every test passed, else the first failing test's verdict"),
  passed: z.number().int(),
  total: z.number().int(),
  compileOutput: z.string().optional(),
  tests: z.array(testVerdict),
  runBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type TestRunResult = z.infer<typeof testRunResult>;
