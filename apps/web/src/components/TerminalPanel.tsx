import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import "./terminal.css";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { languageLabel } from "../editor/languages.ts";
import type { LiveResult, TerminalChannel, TerminalState } from "../room/TerminalChannel.ts";
import type { Api, Role } from "../trpc.ts";

const statusText: Record<LiveResult["status"], string> = {
  ok: "Exited 0",
  compile_error: "Compile error",
  runtime_error: "Runtime error",
  timeout: "Time limit",
  memory_limit: "Memory limit",
  output_limit: "Output limit",
  internal_error: "Sandbox error",
  interrupted: "Interrupted",
};

function elapsed(state: TerminalState, now: number): string {
  if (!state.startedAt) return "";
  const ms = (state.endedAt ?? now) - state.startedAt;
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The header everyone sees: who ran what, its status and time, and who holds the keyboard. */
function RunHeader({ state, mine }: { state: TerminalState | null; mine: boolean }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state?.status !== "running") return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [state?.status]);
  if (!state || state.status === "idle" || !state.language) {
    return (
      <span className="muted small">Run live or open a REPL: everyone here sees the same terminal.</span>
    );
  }
  const status = state.status === "running" ? "running" : (state.result?.status ?? "internal_error");
  const result = state.result;
  return (
    <div className="run-summary terminal-summary" data-testid="terminal-header">
      <span className={`status-pill status-${status}`} data-testid="terminal-status">
        {state.status === "running" ? "Running" : statusText[result?.status ?? "internal_error"]}
        {result && result.status !== "ok" && result.exitCode !== null ? ` (exit ${result.exitCode})` : ""}
        {result?.signal && result.status !== "ok" ? ` ${result.signal}` : ""}
      </span>
      <span>
        {state.by?.name ?? "Someone"} · {languageLabel(state.language)}
        {state.mode === "repl" ? " REPL" : ""} · {elapsed(state, now)}
      </span>
      {state.status === "running" && state.keyboard && (
        <span className="keyboard-holder" data-testid="keyboard-holder">
          ⌨ {mine ? "You type" : `${state.keyboard.name} types`}
        </span>
      )}
    </div>
  );
}

/**
 * The session's shared terminal (xterm.js): the runner types, everyone watches the same screen at
 * the runner's size. Interviewers (and the keyboard holder) can hand the keyboard to someone else.
 */
export function TerminalPanel({
  api,
  sessionId,
  channel,
  role,
  canRun,
  language,
}: {
  api: Api;
  sessionId: string;
  channel: TerminalChannel;
  role: Role;
  canRun: boolean;
  language: string;
}) {
  const view = useSyncExternalStore(channel.subscribe, channel.getView);
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const [people, setPeople] = useState<Array<{ connectionId: string; name: string; role: string }>>([]);
  const state = view.state;
  const holds = channel.holdsKeyboard;
  const running = state?.status === "running";

  useEffect(() => {
    if (!host.current) return;
    const term = new Terminal({
      cols: 80,
      rows: 24,
      fontSize: 13,
      fontFamily: '"JetBrains Mono", "Fira Code", ui-monospace, Menlo, Consolas, monospace',
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: "#0b0d12", foreground: "#e6e9f0", cursor: "#b8b0ff" },
    });
    const fitAddon = new FitAddon();
    term.loadAddon(fitAddon);
    term.open(host.current);
    terminal.current = term;
    fit.current = fitAddon;
    const detach = channel.attach({
      reset: (bytes) => {
        term.reset();
        if (bytes.byteLength > 0) term.write(bytes);
      },
      write: (bytes) => term.write(bytes),
    });
    const typing = term.onData((data) => channel.input(data));
    return () => {
      detach();
      typing.dispose();
      term.dispose();
      terminal.current = null;
    };
  }, [channel]);

  // The keyboard holder's terminal fits its panel and the program gets that size; the others
  // show the same screen at the same size.
  useEffect(() => {
    const term = terminal.current;
    if (!term || !state) return;
    const follow = () => {
      if (channel.holdsKeyboard) {
        const size = fit.current?.proposeDimensions();
        if (
          size &&
          size.cols > 1 &&
          size.rows > 0 &&
          (size.cols !== state.cols || size.rows !== state.rows)
        ) {
          term.resize(size.cols, size.rows);
          channel.resize(size.cols, size.rows);
        }
      } else if (term.cols !== state.cols || term.rows !== state.rows) {
        term.resize(state.cols, state.rows);
      }
    };
    follow();
    const observer = new ResizeObserver(follow);
    if (host.current) observer.observe(host.current);
    return () => observer.disconnect();
  }, [channel, state]);

  useEffect(() => {
    if (holds) terminal.current?.focus();
  }, [holds]);

  const start = (mode: "run" | "repl") => {
    const size = fit.current?.proposeDimensions();
    const cols = size && size.cols > 1 ? size.cols : 80;
    const rows = size && size.rows > 0 ? size.rows : 24;
    terminal.current?.resize(cols, rows);
    channel.start(mode, cols, rows);
    terminal.current?.focus();
  };

  const mayHandOver = running && (role === "interviewer" || holds);
  const loadPeople = () => {
    api.participants.list
      .query({ id: sessionId })
      .then((r) => setPeople(r.participants.filter((p) => p.role !== "observer")))
      .catch(() => setPeople([]));
  };
  const replAvailable = state?.repl.includes(language as never) ?? false;

  return (
    <section className="terminal-panel" aria-labelledby="terminal-title" data-testid="terminal-panel">
      <header className="output-header terminal-header">
        <h2 id="terminal-title" className="panel-title">
          Terminal
        </h2>
        <RunHeader state={state} mine={holds} />
        <span className="spacer" />
        {running &&
          (holds || role === "interviewer" || state?.by?.connectionId === view.me?.connectionId) && (
            <>
              <button
                type="button"
                className="button small"
                onClick={() => channel.interrupt()}
                title="Send Ctrl-C"
              >
                Ctrl-C
              </button>
              <button type="button" className="button small" onClick={() => channel.stop()}>
                Stop
              </button>
            </>
          )}
        {mayHandOver && (
          <select
            aria-label="Hand the keyboard to"
            value=""
            onFocus={loadPeople}
            onMouseDown={loadPeople}
            onChange={(e) => e.target.value && channel.handover(e.target.value)}
          >
            <option value="">Hand keyboard to…</option>
            {people.map((p) => (
              <option key={p.connectionId} value={p.connectionId}>
                {p.name} ({p.role}){p.connectionId === state?.keyboard?.connectionId ? " ⌨" : ""}
              </option>
            ))}
          </select>
        )}
        {canRun && !running && (
          <>
            <button
              type="button"
              className="button small"
              onClick={() => start("run")}
              data-testid="run-live"
            >
              ▶ Run live
            </button>
            {replAvailable && (
              <button
                type="button"
                className="button small"
                onClick={() => start("repl")}
                data-testid="start-repl"
              >
                REPL
              </button>
            )}
          </>
        )}
      </header>
      {view.refused && (
        <p className="run-error terminal-refused" role="alert">
          {view.refused}
        </p>
      )}
      <div
        className="terminal-host"
        ref={host}
        data-testid="terminal"
        data-keyboard={holds ? "mine" : "other"}
      />
    </section>
  );
}
