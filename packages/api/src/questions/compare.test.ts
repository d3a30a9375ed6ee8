import { expect, test } from "bun:test";
import { compareOutput } from "./compare.ts";

test("exact is byte for byte; trimmed forgives trailing spaces and blank lines, not leading ones", () => {
  expect(compareOutput("3\n", "3\n", "exact").passed).toBe(true);
  expect(compareOutput("3", "3\n", "exact").passed).toBe(false);
  expect(compareOutput("1 2  \n3\n\n\n", "1 2\n3", "trimmed").passed).toBe(true);
  expect(compareOutput("\r\n1\r\n", "\n1\n", "trimmed").passed).toBe(true);
  expect(compareOutput(" 1\n", "1\n", "trimmed")).toEqual({
    passed: false,
    diff: { line: 1, expected: "1", actual: " 1" },
  });
});

test("tokens ignore how whitespace is laid out; the diff names the first differing line", () => {
  expect(compareOutput("1  2\n3", "1 2 3\n", "tokens").passed).toBe(true);
  expect(compareOutput("1 2\n3 5\n", "1 2\n3 4\n", "tokens")).toEqual({
    passed: false,
    diff: { line: 2, expected: "3 4", actual: "3 5" },
  });
  expect(compareOutput("1\n", "1\n2\n", "tokens").diff).toEqual({
    line: 2,
    expected: "2",
    actual: "(end of output)",
  });
});

test("float: within an absolute or relative tolerance; words still compared exactly", () => {
  expect(compareOutput("0.3333333333\n", "0.333333\n", "float", 1e-4).passed).toBe(true);
  expect(compareOutput("0.34\n", "0.333333\n", "float", 1e-4).passed).toBe(false);
  expect(compareOutput("1000000.5\n", "1000000\n", "float", 1e-6).passed).toBe(true); // relative
  expect(compareOutput("1e-3 yes\n", "0.001 yes\n", "float", 1e-9).passed).toBe(true);
  expect(compareOutput("0.001 no\n", "0.001 yes\n", "float", 1).passed).toBe(false);
  expect(compareOutput("nan\n", "nan\n", "float", 1e-6).passed).toBe(true);
});

test("a 1 MiB expected output: equal passes, one byte short fails, the diff line is clipped", () => {
  const big = `${"a".repeat(1024 * 1024)}\n`;
  expect(compareOutput(big, big, "exact").passed).toBe(true);
  expect(compareOutput(big, big, "trimmed").passed).toBe(true);
  const short = compareOutput(big.slice(1), big, "exact");
  expect(short.passed).toBe(false);
  expect(short.diff?.expected.length).toBeLessThanOrEqual(201);
});
