import { type LanguageId, languageIds } from "@pairpad/api/execution/executor";
import { MAX_CODE_BYTES } from "@pairpad/api/router/code";
import { Tally } from "@pairpad/api/tally";
import type { LiveMode } from "@pairpad/api/terminal/state";
import { replLanguages } from "../executor/live-run.ts";
import type { Connection } from "../rooms/connection.ts";
import type { Room } from "../rooms/room.ts";
import type { LiveExecutor } from "./runs.ts";

/** A request the terminal does not carry out; its message is shown to the participant who asked. */
export class Refusal extends Error {}

const MAX_COLS = 500;
const MAX_ROWS = 200;
const MINUTE_MS = 60_000;

/** A start that may run: what runs, in which mode, at which size, and what runs it. */
export interface StartRequest {
  executor: LiveExecutor;
  mode: LiveMode;
  language: LanguageId;
  code: string;
  cols: number;
  rows: number;
}

/**
 * Whether this participant may start this run in this room now, before any limit is counted: observers
 * and ended interviews cannot, nor can anyone while the server shuts down or has no live executor; the
 * request must name a mode and size, and the code must be one a run takes.
 */
export function checkStart(
  conn: Connection,
  room: Room,
  request: unknown,
  server: { closing: boolean; executor: LiveExecutor | null },
): StartRequest {
  if (conn.role === "observer") throw new Refusal("Observers watch the terminal; they cannot run code");
  if (room.locked) throw new Refusal("The interview has ended; runs are closed");
  if (server.closing) throw new Refusal("The server is shutting down");
  const executor = server.executor;
  if (!executor) throw new Refusal("This server cannot run code live (no executor for live runs)");
  const { mode, cols, rows } = parseStart(request);
  const language = room.language;
  if (!isLanguage(language)) throw new Refusal("The session has no language to run");
  if (mode === "repl" && !replLanguages.includes(language)) {
    throw new Refusal(`No REPL for ${language}; REPLs: ${replLanguages.join(", ")}`);
  }
  const code = room.text.toString();
  // As for a batch run: each start stores the code (recording, history) and writes it to a sandbox.
  if (Buffer.byteLength(code) > MAX_CODE_BYTES) {
    throw new Refusal(`The code is larger than ${MAX_CODE_BYTES / 1024} KiB, the most a run takes`);
  }
  return { executor, mode, language, code, cols, rows };
}

export interface LiveRunLimitOptions {
  /** Live runs at once on this node. Default 8. */
  maxLiveRuns?: number;
  /**
   * Live runs one client (by address) may have at once on this node, across its sessions, so one
   * client cannot take every live slot. Default: a quarter of `maxLiveRuns`, at least 1.
   */
  maxLiveRunsPerClient?: number;
  /**
   * Live runs a session may start in a minute on this node (RUNS_PER_MINUTE_PER_SESSION); past it a
   * start is refused with the wait. Default 30. Starting and stopping in a loop costs a sandbox each.
   */
  startsPerMinute?: number;
}

/**
 * How many live runs this node runs, per node, per client and per session's minute. Each is a sandbox
 * and a person's terminal, so past a limit a start is refused with what to do, never queued.
 */
export class LiveRunLimits {
  private readonly maxLiveRuns: number;
  private readonly maxPerClient: number;
  private readonly startsPerMinute: number;
  /** Live runs running on this node per client that started them (their total: the node's). */
  private readonly byClient = new Tally();
  /** When each session's recent live runs started on this node (the last minute's). */
  private readonly starts = new Map<string, number[]>();

  constructor(options: LiveRunLimitOptions) {
    this.maxLiveRuns = options.maxLiveRuns ?? 8;
    this.maxPerClient = options.maxLiveRunsPerClient ?? Math.max(1, Math.ceil(this.maxLiveRuns / 4));
    this.startsPerMinute = options.startsPerMinute ?? 30;
  }

  /** Counts a live run of `client` in `sessionId` starting `now`, or refuses it; the run's end releases it. */
  admit(sessionId: string, client: string, now: number): () => void {
    if (this.byClient.total >= this.maxLiveRuns)
      throw new Refusal("Too many live runs on this server; try again");
    if (this.byClient.get(client) >= this.maxPerClient) {
      const runs = `${this.maxPerClient} live run${this.maxPerClient === 1 ? "" : "s"}`;
      throw new Refusal(`You already have ${runs} going (in this or another session); stop one first`);
    }
    this.countStart(sessionId, now);
    return this.byClient.hold(client);
  }

  /** Counts a start against the session's minute, or refuses it with how long to wait. */
  private countStart(sessionId: string, now: number): void {
    // Sessions whose last start is over a minute old are forgotten, now and then, so the map stays small.
    if (this.starts.size > 1_000) {
      for (const [id, times] of this.starts)
        if (now - (times.at(-1) ?? 0) >= MINUTE_MS) this.starts.delete(id);
    }
    const recent = (this.starts.get(sessionId) ?? []).filter((at) => now - at < MINUTE_MS);
    if (recent.length >= this.startsPerMinute) {
      const wait = Math.max(1, Math.ceil((MINUTE_MS - (now - (recent[0] ?? now))) / 1000));
      this.starts.set(sessionId, recent);
      throw new Refusal(
        `Too many runs in this session (at most ${this.startsPerMinute} a minute); try again in ${wait} s`,
      );
    }
    recent.push(now);
    this.starts.set(sessionId, recent);
  }
}

/** A terminal size from a request: `{ cols, rows }` within what a terminal shows. */
export function parseSize(value: unknown): { cols: number; rows: number } {
  const { cols, rows } = (value ?? {}) as { cols?: unknown; rows?: unknown };
  if (!Number.isInteger(cols) || (cols as number) < 2 || (cols as number) > MAX_COLS) {
    throw new Refusal(`cols: an integer from 2 to ${MAX_COLS}`);
  }
  if (!Number.isInteger(rows) || (rows as number) < 1 || (rows as number) > MAX_ROWS) {
    throw new Refusal(`rows: an integer from 1 to ${MAX_ROWS}`);
  }
  return { cols: cols as number, rows: rows as number };
}

function parseStart(value: unknown): { mode: LiveMode; cols: number; rows: number } {
  const mode = (value as { mode?: unknown } | null)?.mode ?? "run";
  if (mode !== "run" && mode !== "repl") throw new Refusal('mode: "run" or "repl"');
  return { mode, ...parseSize({ cols: 80, rows: 24, ...(value as object) }) };
}

function isLanguage(value: unknown): value is LanguageId {
  return typeof value === "string" && (languageIds as readonly string[]).includes(value);
}
