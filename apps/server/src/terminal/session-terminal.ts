import { idleState, type TerminalState } from "@pairpad/api/terminal/state";
import { type LiveRun, replLanguages } from "../executor/live-run.ts";
import type { Connection } from "../rooms/connection.ts";
import { Scrollback } from "./scrollback.ts";

/** Where a run's output ends up in its history entry: the last bytes. */
const HISTORY_OUTPUT_BYTES = 16 * 1024;
/** Output waiting past this many bytes is sent at once. */
const FLUSH_BYTES = 32 * 1024;

export const terminalTopic = (sessionId: string) => `terminal:${sessionId}`;

/** One session's terminal as this node knows it: the header, the contents, and the run if it runs here. */
export class SessionTerminal {
  state: TerminalState = idleState(replLanguages);
  readonly scrollback: Scrollback;
  run: LiveRun | null = null;
  /** Runs of ours that lost a simultaneous start to another node's. */
  readonly superseded = new WeakSet<LiveRun>();
  readonly watchers = new Set<Connection>();
  unsubscribe: Promise<() => Promise<void>> | null = null;
  /** The run's output on its way to the watchers. */
  readonly output: OutputBatch;
  /** The keyboard holder's resizes on their way to the run. */
  readonly resizes: Throttle<Resize>;
  /** Where the run's output ends up in the history entry (the last bytes). */
  readonly tail = new Scrollback(HISTORY_OUTPUT_BYTES);
  /** Keystrokes the run took so far (each is recorded for the replay). */
  inputBytes = 0;

  constructor(
    readonly sessionId: string,
    options: {
      scrollbackBytes: number;
      coalesceMs: number;
      resizeMs: number;
      emit(bytes: Uint8Array): void;
      resize(resize: Resize): void;
    },
  ) {
    this.scrollback = new Scrollback(options.scrollbackBytes);
    this.output = new OutputBatch(options.coalesceMs, options.emit);
    this.resizes = new Throttle(options.resizeMs, options.resize);
  }

  get topic(): string {
    return terminalTopic(this.sessionId);
  }
}

/** A resize the keyboard holder asked for. */
export interface Resize {
  cols: number;
  rows: number;
  by: string;
}

/**
 * A run's output on its way to the watchers: a keystroke's echo goes at once; a stream of output is
 * sent every `coalesceMs` in one frame (or sooner, past `FLUSH_BYTES`), not one frame per write.
 */
export class OutputBatch {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushedAt = 0;

  constructor(
    private readonly coalesceMs: number,
    private readonly emit: (bytes: Uint8Array) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.byteLength;
    const now = performance.now();
    if (this.pendingBytes >= FLUSH_BYTES || (!this.timer && now - this.flushedAt >= this.coalesceMs)) {
      this.flush();
    } else this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
  }

  /** Sends what waits now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.flushedAt = performance.now();
    const bytes = this.pending.length === 1 ? (this.pending[0] as Uint8Array) : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(bytes);
  }

  /** Forgets what waits: it is not sent. */
  drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * At most one value applied per `intervalMs`: the first at once, and of those that come sooner only
 * the latest, when the interval ends. A window dragged by its edge sends a resize per frame; the
 * program, the watchers and the recording need only where it ends up.
 */
export class Throttle<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private appliedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly apply: (value: T) => void,
  ) {}

  offer(value: T): void {
    const wait = this.appliedAt + this.intervalMs - performance.now();
    if (wait <= 0 && !this.timer) {
      this.applyNow(value);
      return;
    }
    this.pending = { value };
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const pending = this.pending;
      this.pending = null;
      if (pending) this.applyNow(pending.value);
    }, wait);
  }

  /** Forgets a value still waiting. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
  }

  private applyNow(value: T): void {
    this.appliedAt = performance.now();
    this.apply(value);
  }
}
