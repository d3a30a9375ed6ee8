import type { LanguageId, RunResult, RunStatus } from "../execution/executor.ts";
import type { Role } from "../ports.ts";

/** A batch run's statuses, and `interrupted`: the run was stopped by Ctrl-C or the stop button. */
export type LiveStatus = RunStatus | "interrupted";
/** A live run's result: a batch run's shape (its output went to the terminal, so `stdout` is empty). */
export type LiveResult = Omit<RunResult, "status"> & { status: LiveStatus };
/** A program, or an interactive interpreter with the code loaded. */
export type LiveMode = "run" | "repl";

/** A participant as the terminal names them: who ran, who holds the keyboard, who typed. */
export interface Who {
  connectionId: string;
  name: string;
  role: Role;
}

/** The shared run header every watcher shows; sent whole on each change (a few hundred bytes). */
export interface TerminalState {
  runId: string | null;
  /** The node the run executes on (commands from other nodes go there). */
  node: string | null;
  status: "idle" | "running" | "ended";
  mode: LiveMode | null;
  language: LanguageId | null;
  by: Who | null;
  /** Who may type; the runner unless the interviewer or the runner handed it over. */
  keyboard: Who | null;
  startedAt: number | null;
  endedAt: number | null;
  result: LiveResult | null;
  /** The runner's terminal size: watchers show the same screen at the same size. */
  cols: number;
  rows: number;
  /** Languages that can start a REPL here. */
  repl: readonly LanguageId[];
}

export function idleState(repl: readonly LanguageId[]): TerminalState {
  return {
    runId: null,
    node: null,
    status: "idle",
    mode: null,
    language: null,
    by: null,
    keyboard: null,
    startedAt: null,
    endedAt: null,
    result: null,
    cols: 80,
    rows: 24,
    repl,
  };
}
