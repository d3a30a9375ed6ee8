import type { ComparisonMode } from "./question.ts";

/** Where actual and expected output first part, as shown to whoever may see the test. */
export interface OutputDiff {
  /** 1-based line of the first difference. */
  line: number;
  expected: string;
  actual: string;
}

export interface Comparison {
  passed: boolean;
  diff?: OutputDiff;
}

const SHOWN_LINE_CHARS = 200;
const clip = (line: string) =>
  line.length > SHOWN_LINE_CHARS ? `${line.slice(0, SHOWN_LINE_CHARS)}…` : line;

/** Lines without the trailing whitespace of each and without trailing blank lines. */
function trimmedLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function numbersClose(a: string, b: string, tolerance: number): boolean {
  if (!NUMBER.test(a) || !NUMBER.test(b)) return a === b;
  const x = Number(a);
  const y = Number(b);
  const difference = Math.abs(x - y);
  return difference <= tolerance || difference <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

/** The first line where the two differ, for the diff shown with a wrong answer. */
function firstDifference(
  actual: string[],
  expected: string[],
  same: (a: string, e: string) => boolean,
): OutputDiff {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined || e === undefined || !same(a, e)) {
      return {
        line: i + 1,
        expected: e === undefined ? "(end of output)" : clip(e),
        actual: a === undefined ? "(end of output)" : clip(a),
      };
    }
  }
  return { line: length, expected: "", actual: "" };
}

/**
 * Judges a program's output. Linear in the output's size: a 1 MiB expected output is split and
 * compared once, never quadratically.
 */
export function compareOutput(
  actual: string,
  expected: string,
  mode: ComparisonMode,
  tolerance = 0,
): Comparison {
  if (mode === "exact") {
    if (actual === expected) return { passed: true };
    return {
      passed: false,
      diff: firstDifference(actual.split("\n"), expected.split("\n"), (a, e) => a === e),
    };
  }
  const actualLines = trimmedLines(actual);
  const expectedLines = trimmedLines(expected);
  if (mode === "trimmed") {
    const passed =
      actualLines.length === expectedLines.length &&
      actualLines.every((line, i) => line === expectedLines[i]);
    return passed
      ? { passed }
      : { passed, diff: firstDifference(actualLines, expectedLines, (a, e) => a === e) };
  }
  const tokensOf = (text: string) => text.split(/\s+/).filter(Boolean);
  const actualTokens = tokensOf(actual);
  const expectedTokens = tokensOf(expected);
  const same =
    mode === "float"
      ? (a: string, e: string) => numbersClose(a, e, tolerance)
      : (a: string, e: string) => a === e;
  const passed =
    actualTokens.length === expectedTokens.length &&
    actualTokens.every((token, i) => same(token, expectedTokens[i] ?? ""));
  if (passed) return { passed };
  // Show the line, compared token by token, so the diff reads like the output.
  const lineSame = (a: string, e: string) => {
    const x = tokensOf(a);
    const y = tokensOf(e);
    return x.length === y.length && x.every((t, i) => same(t, y[i] ?? ""));
  };
  return {
    passed,
    diff: firstDifference(
      actualLines.filter((l) => l.trim() !== ""),
      expectedLines.filter((l) => l.trim() !== ""),
      lineSame,
    ),
  };
}
