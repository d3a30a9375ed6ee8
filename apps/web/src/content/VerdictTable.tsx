import type { RouterOutputs } from "../trpc.ts";

export type TestRun = RouterOutputs["testRun"]["run"];

const labels: Record<TestRun["verdict"], string> = {
  passed: "Passed",
  wrong_answer: "Wrong answer",
  time_limit: "Time limit",
  memory_limit: "Memory limit",
  runtime_error: "Runtime error",
  output_limit: "Output limit",
  compile_error: "Compile error",
  internal_error: "Internal error",
  not_run: "Not run",
};

const scopeTitles: Record<TestRun["scope"], string> = {
  public: "Public tests",
  hidden: "All tests (interviewers only)",
  reference: "Reference solution (interviewers only)",
};

/** One run's verdicts, per test: what it got, its time and memory, and for a wrong answer where it differs. */
export function VerdictTable({ run }: { run: TestRun }) {
  return (
    <section className={`verdicts verdicts-${run.scope}`} aria-label={scopeTitles[run.scope]}>
      <header className="verdicts-head">
        <strong>{scopeTitles[run.scope]}</strong>
        <span className={`verdict verdict-${run.verdict}`}>
          {run.verdict === "passed" ? "All passed" : labels[run.verdict]} · {run.passed}/{run.total}
        </span>
        {run.runBy && <span className="muted small">by {run.runBy}</span>}
      </header>
      {run.compileOutput && run.verdict === "compile_error" && (
        <pre className="compile-output">{run.compileOutput}</pre>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Verdict</th>
            <th scope="col">Time</th>
            <th scope="col">Memory</th>
          </tr>
        </thead>
        <tbody>
          {run.tests.map((test) => (
            <tr key={test.testId} data-verdict={test.verdict}>
              <td>
                {test.name || test.testId}
                {test.visibility === "hidden" && <span className="muted small"> (hidden)</span>}
              </td>
              <td>
                <span className={`verdict verdict-${test.verdict}`}>{labels[test.verdict]}</span>
                {test.diff && (
                  <div className="diff small">
                    line {test.diff.line}: expected <code>{test.diff.expected}</code>, got{" "}
                    <code>{test.diff.actual}</code>
                  </div>
                )}
              </td>
              <td>{test.verdict === "not_run" ? "–" : `${Math.round(test.timeMs)} ms`}</td>
              <td>{test.memoryKb ? `${Math.round(test.memoryKb / 1024)} MiB` : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
