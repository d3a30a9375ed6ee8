import { recordHistory } from "@pairpad/api/history/history";
import { toStorable } from "@pairpad/api/input/text";
import type { Clock, Logger } from "@pairpad/api/ports";
import { MAX_STDIN_BYTES } from "@pairpad/api/router/execute";
import { newId } from "@pairpad/api/session/ids";
import { ClientOp, encodeTerminalFrame, ServerOp } from "@pairpad/api/terminal/protocol";
import { idleState, type Who } from "@pairpad/api/terminal/state";
import type { Db } from "@pairpad/db/client";
import { type LiveResult, type LiveRun, type LiveRunRequest, replLanguages } from "../executor/live-run.ts";
import { parseSize, Refusal, type StartRequest } from "./admission.ts";
import { BusKind, type TerminalCluster } from "./cluster.ts";
import { authorize, type Command, handOver, type KeyboardContext } from "./keyboard.ts";
import type { TerminalRecorder } from "./recorder.ts";
import type { Resize, SessionTerminal } from "./session-terminal.ts";

/** What the terminal needs from an executor: the local sandbox and the Docker executor both have it. */
export interface LiveExecutor {
  startLive(request: LiveRunRequest, onOutput: (chunk: Uint8Array) => void): LiveRun;
}

/** A live run's note (shown in the terminal and kept in its result) when the node's shutdown stopped it. */
export const SHUTDOWN_NOTE = "[stopped: the server is shutting down]";

const textEncoder = new TextEncoder();
const json = (value: unknown) => textEncoder.encode(JSON.stringify(value));

export interface TerminalRunsOptions {
  nodeId: string;
  db: Db;
  logger: Logger;
  clock: Clock;
  cluster: TerminalCluster;
  recorder: TerminalRecorder;
  keyboard: KeyboardContext;
  /** A run of the terminal ended: the hub may forget it if nobody here watches. */
  ended(terminal: SessionTerminal): void;
}

/**
 * The live runs of this node's terminals, from start to end: the run's output to the watchers, the
 * controls it takes (keystrokes, resizes, Ctrl-C, stop, the keyboard's handover), its result in the
 * terminal, the recording and the session's history.
 */
export class TerminalRuns {
  /** Runs stopped because this node shuts down: their result says so. */
  private readonly stoppedByShutdown = new WeakSet<LiveRun>();
  /** History rows of ended runs being written (shutdown waits for them). */
  private readonly recording = new Set<Promise<unknown>>();

  constructor(private readonly options: TerminalRunsOptions) {}

  /**
   * Starts `start` in the terminal, admitted by the limits (`release` gives its slot back at the end):
   * the watchers' screens are cleared, the runner holds the keyboard.
   */
  begin(terminal: SessionTerminal, who: Who, start: StartRequest, now: number, release: () => void): void {
    const { executor, mode, language, code, cols, rows } = start;
    const runId = newId();
    terminal.run = null;
    terminal.scrollback.clear();
    terminal.tail.clear();
    terminal.inputBytes = 0;
    terminal.state = {
      ...idleState(replLanguages),
      runId,
      node: this.options.nodeId,
      status: "running",
      mode,
      language,
      by: who,
      keyboard: who,
      startedAt: now,
      cols,
      rows,
    };
    this.options.cluster.broadcast(terminal, encodeTerminalFrame(ServerOp.reset, new Uint8Array(0)));
    this.options.cluster.broadcastState(terminal);
    this.record(terminal, "start", who.name, json({ language, mode, cols, rows, code, by: who }));
    let run: LiveRun | null = null;
    const log = { sessionId: terminal.sessionId, runId };
    run = executor.startLive({ language, code, mode, cols, rows, log }, (chunk) => {
      if (!run || !terminal.superseded.has(run)) terminal.output.push(chunk);
    });
    terminal.run = run;
    void run.done.then((result) => {
      release();
      this.finish(terminal, run, result, code);
    });
  }

  /** A participant's command for the run of this node (from a socket here or over the bus). */
  control(terminal: SessionTerminal, command: Command, bytes?: Uint8Array): void {
    const run = terminal.run;
    if (!run) return;
    authorize(terminal, command, this.options.keyboard);
    switch (command.op) {
      case ClientOp.input:
        if (!bytes || bytes.byteLength === 0) return;
        // A batch run's stdin limit: every keystroke is recorded, so input is not free to send.
        if (terminal.inputBytes + bytes.byteLength > MAX_STDIN_BYTES) {
          throw new Refusal(`A run takes at most ${MAX_STDIN_BYTES / 1024 / 1024} MiB of input`);
        }
        terminal.inputBytes += bytes.byteLength;
        run.input(bytes);
        this.record(terminal, "input", command.who.name, bytes);
        return;
      case ClientOp.resize:
        terminal.resizes.offer({ ...parseSize(command.json), by: command.who.name });
        return;
      case ClientOp.interrupt:
        run.interrupt();
        return;
      case ClientOp.stop:
        run.stop();
        return;
      case ClientOp.handover:
        handOver(terminal, command.json, this.options.keyboard);
        return;
    }
  }

  /** A resize let through by the terminal's throttle: the program, the watchers and the recording get it. */
  resize(terminal: SessionTerminal, { cols, rows, by }: Resize): void {
    const run = terminal.run;
    if (!run) return;
    run.resize(cols, rows);
    terminal.state = { ...terminal.state, cols, rows };
    this.options.cluster.broadcastState(terminal);
    this.record(terminal, "resize", by, json({ cols, rows }));
  }

  /** Output of the run, batched by the terminal: to the screens, the history's tail and the recording. */
  emit(terminal: SessionTerminal, bytes: Uint8Array): void {
    terminal.scrollback.append(bytes);
    terminal.tail.append(bytes);
    this.options.cluster.broadcast(terminal, encodeTerminalFrame(ServerOp.output, bytes));
    this.record(terminal, "output", null, bytes);
  }

  /** Our run lost a simultaneous start to another node's: it stops, unannounced, and we take that run's screen. */
  supersede(terminal: SessionTerminal): void {
    const run = terminal.run;
    if (!run) return;
    terminal.superseded.add(run);
    terminal.run = null;
    run.stop();
    terminal.output.drop();
    terminal.resizes.cancel();
    this.options.cluster.publish(terminal, BusKind.sync, "", new Uint8Array(0));
  }

  /**
   * Shutdown: stops these terminals' runs at once; their watchers see each end, with the reason in its
   * result. Resolves once the runs' ends are announced and their history rows written.
   */
  async stopAll(terminals: Iterable<SessionTerminal>): Promise<void> {
    const runs: Promise<unknown>[] = [];
    for (const terminal of terminals) {
      if (terminal.run) {
        this.stoppedByShutdown.add(terminal.run);
        terminal.run.stop();
        runs.push(terminal.run.done);
      }
    }
    await Promise.all(runs);
    // Let the runs' endings be announced and recorded.
    await Bun.sleep(0);
    await Promise.all(this.recording);
  }

  private finish(terminal: SessionTerminal, run: LiveRun, ended: LiveResult, code: string): void {
    const result = this.stoppedByShutdown.has(run) ? { ...ended, stderr: SHUTDOWN_NOTE } : ended;
    if (terminal.superseded.has(run)) {
      this.options.ended(terminal);
      return;
    }
    terminal.output.flush();
    const notes = [result.status === "compile_error" ? result.compileOutput : undefined, result.stderr]
      .filter((text): text is string => Boolean(text))
      .join("\n");
    if (notes) {
      const text = `\r\n${notes.replace(/\r?\n/g, "\r\n")}\r\n`;
      this.emit(terminal, textEncoder.encode(text));
    }
    if (terminal.run === run) {
      terminal.run = null;
      terminal.resizes.cancel();
    }
    terminal.state = {
      ...terminal.state,
      status: "ended",
      endedAt: this.options.clock().getTime(),
      result,
    };
    this.options.cluster.broadcastState(terminal);
    this.record(terminal, "end", null, json(result));
    this.addToHistory(terminal, result, code);
    this.options.ended(terminal);
  }

  /** The ended run as one entry of the session's history, shaped like a batch run's. */
  private addToHistory(terminal: SessionTerminal, result: LiveResult, code: string): void {
    const { runId, language, mode, by } = terminal.state;
    if (!runId || !language) return;
    const stdout = new TextDecoder().decode(terminal.tail.contents());
    const recording = recordHistory(this.options, terminal.sessionId, "run", by?.name ?? null, {
      role: by?.role,
      runId,
      language,
      code: toStorable(code),
      live: true,
      mode,
      interrupted: result.status === "interrupted",
      // The history's run statuses are a batch run's.
      status: result.status === "interrupted" ? "runtime_error" : result.status,
      exitCode: result.exitCode,
      stdin: "",
      stdout: toStorable(stdout),
      stderr: toStorable(result.stderr),
      timeMs: result.timeMs,
    })
      .catch((error) =>
        this.options.logger.warn("live run could not be added to the history", {
          sessionId: terminal.sessionId,
          runId,
          error: String(error),
        }),
      )
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
  }

  private record(
    terminal: SessionTerminal,
    kind: "start" | "output" | "input" | "resize" | "end",
    actor: string | null,
    data: Uint8Array,
  ): void {
    const runId = terminal.state.runId;
    if (!runId) return;
    this.options.recorder.record({
      sessionId: terminal.sessionId,
      runId,
      kind,
      actor,
      data: data.slice(),
      createdAt: this.options.clock(),
    });
  }
}
