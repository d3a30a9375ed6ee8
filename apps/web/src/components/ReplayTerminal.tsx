import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import "./terminal.css";
import { useEffect, useRef, useState } from "react";
import { isLanguageId, languageLabel } from "../editor/languages.ts";
import { loadTerminalRuns, type RecordedRun, runAt } from "../playback/terminalRecording.ts";
import type { Api } from "../trpc.ts";

const text = new TextDecoder();

/**
 * The shared terminal as it was at the replay's time: the live run on screen then, with the output it
 * had printed so far (written forward as the replay plays; rewritten when it jumps back).
 */
export function ReplayTerminal({ api, sessionId, time }: { api: Api; sessionId: string; time: number }) {
  const [runs, setRuns] = useState<RecordedRun[] | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  /** What the terminal shows: which run, and how many of its output events. */
  const shown = useRef<{ runId: string | null; count: number }>({ runId: null, count: 0 });

  useEffect(() => {
    const abort = new AbortController();
    loadTerminalRuns(api, sessionId, abort.signal)
      .then(setRuns)
      .catch(() => setRuns([]));
    return () => abort.abort();
  }, [api, sessionId]);

  const hasRuns = (runs?.length ?? 0) > 0;
  useEffect(() => {
    if (!hasRuns || !host.current) return;
    const term = new Terminal({
      cols: 80,
      rows: 12,
      fontSize: 12,
      disableStdin: true,
      scrollback: 5000,
      theme: { background: "#0b0d12", foreground: "#e6e9f0" },
    });
    term.open(host.current);
    terminal.current = term;
    shown.current = { runId: null, count: 0 };
    return () => {
      term.dispose();
      terminal.current = null;
    };
  }, [hasRuns]);

  const run = runs ? runAt(runs, time) : null;
  useEffect(() => {
    const term = terminal.current;
    if (!term) return;
    const events = run?.output ?? [];
    let count = 0;
    while (count < events.length && (events[count]?.at ?? 0) <= time) count++;
    const current = shown.current;
    if (current.runId !== (run?.runId ?? null) || count < current.count) {
      term.reset();
      if (run) term.resize(run.cols, Math.min(run.rows, 24));
      current.runId = run?.runId ?? null;
      current.count = 0;
    }
    for (let i = current.count; i < count; i++) {
      const event = events[i];
      if (!event) continue;
      if (event.kind === "output") term.write(event.bytes);
      else if (event.kind === "resize") {
        const size = JSON.parse(text.decode(event.bytes)) as { cols: number; rows: number };
        term.resize(size.cols, Math.min(size.rows, 24));
      }
    }
    current.count = count;
  }, [run, time]);

  if (!hasRuns) return null;
  const ended = run?.endedAt !== null && run?.endedAt !== undefined && run.endedAt <= time;
  return (
    <section
      className="panel replay-terminal"
      aria-labelledby="replay-terminal-title"
      data-testid="replay-terminal"
    >
      <header className="output-header terminal-header">
        <h2 id="replay-terminal-title" className="panel-title">
          Terminal
        </h2>
        {run ? (
          <span className="run-summary" data-testid="replay-terminal-header">
            {run.by?.name ?? "Someone"} ·{" "}
            {run.language && isLanguageId(run.language) ? languageLabel(run.language) : run.language}
            {run.mode === "repl" ? " REPL" : ""} · {ended ? (run.result?.status ?? "ended") : "running"}
          </span>
        ) : (
          <span className="muted small">No live run yet at this point.</span>
        )}
      </header>
      <div className="terminal-host replay-terminal-host" ref={host} />
    </section>
  );
}
