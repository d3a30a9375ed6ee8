import { z } from "zod";
import { languageId } from "../execution/executor.ts";
import { text } from "../input/text.ts";

/** Test inputs and outputs up to 2 MiB each: a 1 MiB expected output must fit with room to spare. */
export const MAX_TEST_IO_CHARS = 2 * 1024 * 1024;
export const MAX_TESTS = 100;
const MAX_CODE_CHARS = 256 * 1024;

export const comparisonMode = z
  .enum(["exact", "trimmed", "tokens", "float"])
  .describe(
    "exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; " +
      "tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`",
  );
export type ComparisonMode = z.infer<typeof comparisonMode>;

export const visibility = z
  .enum(["public", "hidden"])
  .describe("public: the candidate sees input, expected and actual output; hidden: interviewers only");

const itemId = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only");

export const testCase = z.object({
  id: itemId.optional().describe("Stable id within the question; generated when missing"),
  name: text().trim().max(120).default(""),
  stdin: text().max(MAX_TEST_IO_CHARS).default(""),
  expected: text().max(MAX_TEST_IO_CHARS).describe("Expected standard output"),
  comparison: comparisonMode.default("trimmed"),
  tolerance: z
    .number()
    .min(0)
    .max(1)
    .default(1e-6)
    .describe("float mode: a number passes within this absolute or relative difference"),
  timeLimitMs: z.number().int().min(100).max(10_000).default(2_000),
  visibility: visibility.default("public"),
  seed: text()
    .max(MAX_TEST_IO_CHARS)
    .optional()
    .describe(
      "SQL questions: the schema and data (SQLite statements) this test's query runs against; " +
        "a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses",
    ),
});
export type TestCaseInput = z.input<typeof testCase>;
export type TestCase = z.infer<typeof testCase> & { id: string };

export const rubricItem = z.object({
  id: itemId.optional().describe("Stable id within the question; generated when missing"),
  title: text().trim().min(1).max(200),
  description: text().max(2_000).default(""),
});
export type RubricItem = z.infer<typeof rubricItem> & { id: string };

const tag = text()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[^,\s][^,]*$/, "no commas");

export const difficulty = z.enum(["easy", "medium", "hard"]);

/** What a client sends to create or replace a question (and what an export holds). */
export const questionInput = z.object({
  title: text().trim().min(1).max(200),
  prompt: text()
    .max(64 * 1024)
    .describe("Markdown; rendered sanitized (no script, no raw HTML)"),
  difficulty: difficulty.default("medium"),
  tags: z.array(tag).max(20).default([]),
  starterCode: z
    .partialRecord(languageId, text().max(MAX_CODE_CHARS))
    .default({})
    .describe("Starter code per language id"),
  tests: z.array(testCase).max(MAX_TESTS).default([]),
  referenceSolution: z
    .object({ language: languageId, code: text().max(MAX_CODE_CHARS) })
    .nullable()
    .default(null),
  rubric: z.array(rubricItem).max(30).default([]),
});
export type QuestionInput = z.input<typeof questionInput>;

const storedTest = testCase.extend({ id: itemId });
const storedRubricItem = rubricItem.extend({ id: itemId });

export const question = questionInput.extend({
  id: text(),
  tests: z.array(storedTest),
  rubric: z.array(storedRubricItem),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Question = z.infer<typeof question>;

/** A row of the list: enough to pick a question, nothing of its tests' content. */
export const questionSummary = z.object({
  id: text(),
  title: text(),
  difficulty,
  tags: z.array(text()),
  languages: z.array(text()).describe("Languages with starter code"),
  publicTests: z.number().int(),
  hiddenTests: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type QuestionSummary = z.infer<typeof questionSummary>;
