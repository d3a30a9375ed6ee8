import { languageLabel } from "../editor/languages.ts";
import { type LatestRun, statusLabels } from "../room/latestRun.ts";

const EMPTY = "Run the code to see its output here. Everyone in the room sees it.";

export function OutputPanel({
  run,
  error,
  empty = EMPTY,
}: {
  run: LatestRun | null;
  error: string | null;
  /** What the panel says before any run. */
  empty?: string;
}) {
  return (
    <section className="output" aria-labelledby="output-title">
      <header className="output-header">
        <h2 id="output-title" className="panel-title">
          Output
        </h2>
        <RunSummary run={run} />
      </header>
      <div
        className="output-body"
        aria-live="polite"
        aria-busy={run?.phase === "running"}
        data-testid="output"
      >
        {error && (
          <p className="run-error" role="alert">
            {error}
          </p>
        )}
        {!run && !error && <p className="muted">{empty}</p>}
        {run?.phase === "running" && <p className="muted">Running…</p>}
        {run?.phase === "finished" && (
          <>
            {run.result.compileOutput ? (
              <Stream kind="compile" label="Compiler output" text={run.result.compileOutput} />
            ) : null}
            {run.result.stdout ? (
              <Stream kind="stdout" label="Standard output" text={run.result.stdout} />
            ) : null}
            {run.result.stderr ? (
              <Stream kind="stderr" label="Standard error" text={run.result.stderr} />
            ) : null}
            {!run.result.stdout && !run.result.stderr && !run.result.compileOutput && (
              <p className="muted">The program printed nothing.</p>
            )}
            {run.result.truncated && <p className="muted small">Output was truncated.</p>}
          </>
        )}
      </div>
    </section>
  );
}

function RunSummary({ run }: { run: LatestRun | null }) {
  if (!run) return null;
  const who = run.by ?? "Someone";
  const when = run.at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  if (run.phase === "running") {
    return (
      <p className="run-summary" data-status="running">
        <span className="status-pill status-running">Running</span>
        <span>
          {who} · {languageLabel(run.language)}
        </span>
      </p>
    );
  }
  const { status, exitCode, timeMs } = run.result;
  return (
    <p className="run-summary" data-status={status}>
      <span className={`status-pill status-${status}`}>{statusLabels[status]}</span>
      <span>
        {who} · {languageLabel(run.language)} · {formatMs(timeMs)}
        {exitCode !== null && exitCode !== 0 ? ` · exit ${exitCode}` : ""} · <time>{when}</time>
      </span>
    </p>
  );
}

function formatMs(ms: number) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function Stream({ kind, label, text }: { kind: string; label: string; text: string }) {
  return (
    <figure className="stream-figure">
      <figcaption className="sr-only">{label}</figcaption>
      <pre className={`stream stream-${kind}`} data-stream={kind}>
        {text}
      </pre>
    </figure>
  );
}
