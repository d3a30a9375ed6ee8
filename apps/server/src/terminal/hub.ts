import { type LanguageId, languageIds } from "@pairpad/api/execution/executor";
import { recordHistory } from "@pairpad/api/history/history";
import { toStorable } from "@pairpad/api/input/text";
import type { Clock, Logger, Participant } from "@pairpad/api/ports";
import { MAX_CODE_BYTES } from "@pairpad/api/router/code";
import { MAX_STDIN_BYTES } from "@pairpad/api/router/execute";
import { newId } from "@pairpad/api/session/ids";
import {
  ClientOp,
  decodeTerminalFrame,
  encodeTerminalFrame,
  jsonFrame,
  readJson,
  ServerOp,
} from "@pairpad/api/terminal/protocol";
import { idleState, type TerminalState, type Who } from "@pairpad/api/terminal/state";
import type { Db } from "@pairpad/db/client";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Bus } from "../bus/bus.ts";
import {
  type LiveMode,
  type LiveResult,
  type LiveRun,
  type LiveRunRequest,
  replLanguages,
} from "../executor/live-run.ts";
import { CloseCode } from "../rooms/close-codes.ts";
import type { Connection } from "../rooms/connection.ts";
import type { Room } from "../rooms/room.ts";
import { RefusedChange } from "../rooms/update-path.ts";
import { TerminalRecorder } from "./recorder.ts";
import { Scrollback } from "./scrollback.ts";

/** What the terminal needs from an executor: the local sandbox and the Docker executor both have it. */
export interface LiveExecutor {
  startLive(request: LiveRunRequest, onOutput: (chunk: Uint8Array) => void): LiveRun;
}

export interface TerminalHubOptions {
  nodeId: string;
  bus: Bus;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** Null: this node cannot run live (no executor given); a start is refused with the reason. */
  executor: LiveExecutor | null;
  /** Sends a frame to every socket of this node subscribed to a topic (Bun's pub/sub). */
  publishLocal(topic: string, frame: Uint8Array): void;
  /** Everyone in the session now, on every node. */
  participants(sessionId: string): Participant[];
  /** What late joiners get of a terminal's contents. Default 256 KiB. */
  scrollbackBytes?: number;
  /** Live runs at once on this node. Default 8. */
  maxLiveRuns?: number;
  /**
   * Live runs one client (by address) may have at once on this node, across its sessions, so one
   * client cannot take every live slot. Default: a quarter of `maxLiveRuns`, at least 1.
   */
  maxLiveRunsPerClient?: number;
  /** Output is sent to watchers at most this long after the program wrote it. Default 2 ms. */
  coalesceMs?: number;
  /**
   * Live runs a session may start in a minute on this node (RUNS_PER_MINUTE_PER_SESSION); past it a
   * start is refused with the wait. Default 30. Starting and stopping in a loop costs a sandbox each.
   */
  startsPerMinute?: number;
}

/** Messages between nodes on `terminal:<sessionId>`. */
const BusKind = { frame: 1, command: 2, sync: 3 } as const;

interface BusCommand {
  op: number;
  who: Who;
  json?: unknown;
}

const terminalChannel = (sessionId: string) => `terminal:${sessionId}`;
const terminalTopic = (sessionId: string) => `terminal:${sessionId}`;
const MAX_COLS = 500;
const MAX_ROWS = 200;
const HISTORY_OUTPUT_BYTES = 16 * 1024;
const textEncoder = new TextEncoder();
/** A live run's note (shown in the terminal and kept in its result) when the node's shutdown stopped it. */
export const SHUTDOWN_NOTE = "[stopped: the server is shutting down]";

/** One session's terminal as this node knows it: the header, the contents, and the run if it runs here. */
class SessionTerminal {
  state: TerminalState;
  readonly scrollback: Scrollback;
  run: LiveRun | null = null;
  /** Runs of ours that lost a simultaneous start to another node's. */
  readonly superseded = new WeakSet<LiveRun>();
  readonly watchers = new Set<Connection>();
  unsubscribe: Promise<() => Promise<void>> | null = null;
  pending: Uint8Array[] = [];
  pendingBytes = 0;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  flushedAt = 0;
  /** Where the run's output ends up in the history entry (the last bytes). */
  tail: Scrollback;
  /** Keystrokes the run took so far (each is recorded for the replay). */
  inputBytes = 0;

  constructor(
    readonly sessionId: string,
    scrollbackBytes: number,
  ) {
    this.state = idleState(replLanguages);
    this.scrollback = new Scrollback(scrollbackBytes);
    this.tail = new Scrollback(HISTORY_OUTPUT_BYTES);
  }

  get topic(): string {
    return terminalTopic(this.sessionId);
  }
}

class Refusal extends Error {}

/**
 * The shared terminals of this node's rooms. A run executes on the node whose socket started it;
 * its output and header go to this node's watchers through one Bun topic per session and to the
 * other nodes over the bus, where each node keeps a mirror (header and scrollback) for its own
 * watchers. Keystrokes and controls from a watcher on another node go over the bus to the run's node,
 * which decides whether that participant may do it.
 */
export class TerminalHub {
  private readonly terminals = new Map<string, SessionTerminal>();
  private readonly recorder: TerminalRecorder;
  private readonly scrollbackBytes: number;
  private readonly maxLiveRuns: number;
  private readonly maxLiveRunsPerClient: number;
  /** Live runs running on this node per client that started them. */
  private readonly liveByClient = new Map<string, number>();
  private readonly coalesceMs: number;
  private readonly startsPerMinute: number;
  /** When each session's recent live runs started on this node (the last minute's). */
  private readonly starts = new Map<string, number[]>();
  private liveRuns = 0;
  private closing = false;
  /** Runs stopped because this node shuts down: their result says so. */
  private readonly stoppedByShutdown = new WeakSet<LiveRun>();
  /** History rows of ended runs being written (shutdown waits for them). */
  private readonly recording = new Set<Promise<unknown>>();

  constructor(private readonly options: TerminalHubOptions) {
    this.recorder = new TerminalRecorder(options.db, options.logger);
    this.scrollbackBytes = options.scrollbackBytes ?? 256 * 1024;
    this.maxLiveRuns = options.maxLiveRuns ?? 8;
    this.maxLiveRunsPerClient = options.maxLiveRunsPerClient ?? Math.max(1, Math.ceil(this.maxLiveRuns / 4));
    this.coalesceMs = options.coalesceMs ?? 2;
    this.startsPerMinute = options.startsPerMinute ?? 30;
  }

  // ------------------------------------------------------------------ from this node's sockets

  /** A terminal frame from a room socket; throws on a malformed one (the socket is then closed). */
  onClient(conn: Connection, room: Room, message: Uint8Array): void {
    const { op, payload } = decodeTerminalFrame(message);
    const who: Who = { connectionId: conn.id, name: conn.actor, role: conn.role };
    try {
      switch (op) {
        case ClientOp.subscribe:
          // Each answer carries the scrollback (256 KiB): budgeted like the document's sync step 1.
          if (!conn.takeStateRequest(Date.now())) {
            throw new RefusedChange(CloseCode.rateLimited, "too many requests for the terminal's contents");
          }
          this.watch(conn, room.sessionId, who);
          return;
        case ClientOp.start:
          this.start(conn, room, who, readJson(payload));
          return;
        case ClientOp.input:
          this.command(room.sessionId, { op, who }, payload.slice());
          return;
        case ClientOp.resize:
        case ClientOp.handover:
          this.command(room.sessionId, { op, who, json: readJson(payload) });
          return;
        case ClientOp.interrupt:
        case ClientOp.stop:
          this.command(room.sessionId, { op, who });
          return;
        default:
          throw new Error(`unknown terminal op ${op}`);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      conn.ws?.send(jsonFrame(ServerOp.refused, { message: error.message }));
    }
  }

  /** A socket closed: it watches no more. */
  onLeave(conn: Connection): void {
    const terminal = this.terminals.get(conn.sessionId);
    if (!terminal?.watchers.delete(conn)) return;
    this.maybeForget(terminal);
  }

  /** The session was deleted, expired or ended: its run stops. */
  endSession(sessionId: string): void {
    this.terminals.get(sessionId)?.run?.stop();
  }

  /**
   * Shutdown: refuses new starts and stops the live runs of this node at once (a person is typing at
   * them: they cannot move to another node). Their watchers see each one ended, with the reason in
   * its result, while their sockets are still open; the history rows are written before this resolves.
   */
  async stopRuns(): Promise<void> {
    this.closing = true;
    const runs: Promise<unknown>[] = [];
    for (const terminal of this.terminals.values()) {
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

  async close(): Promise<void> {
    await this.stopRuns();
    await this.recorder.flush();
    for (const terminal of this.terminals.values()) {
      const unsubscribe = await terminal.unsubscribe?.catch(() => null);
      await unsubscribe?.().catch(() => {});
    }
    this.terminals.clear();
  }

  private watch(conn: Connection, sessionId: string, who: Who): void {
    const ws = conn.ws;
    if (!ws) return;
    const terminal = this.terminal(sessionId);
    terminal.watchers.add(conn);
    ws.subscribe(terminal.topic);
    ws.send(jsonFrame(ServerOp.you, who));
    ws.send(encodeTerminalFrame(ServerOp.reset, terminal.scrollback.contents()));
    ws.send(jsonFrame(ServerOp.state, terminal.state));
  }

  private start(conn: Connection, room: Room, who: Who, request: unknown): void {
    if (conn.role === "observer") throw new Refusal("Observers watch the terminal; they cannot run code");
    if (room.locked) throw new Refusal("The interview has ended; runs are closed");
    if (this.closing) throw new Refusal("The server is shutting down");
    const executor = this.options.executor;
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
    const terminal = this.terminal(room.sessionId);
    if (terminal.state.status === "running") {
      throw new Refusal("A run is in progress in this terminal; stop it first");
    }
    if (this.liveRuns >= this.maxLiveRuns) throw new Refusal("Too many live runs on this server; try again");
    const client = conn.clientKey;
    if ((this.liveByClient.get(client) ?? 0) >= this.maxLiveRunsPerClient) {
      throw new Refusal(
        `You already have ${this.maxLiveRunsPerClient} live run${this.maxLiveRunsPerClient === 1 ? "" : "s"} going (in this or another session); stop one first`,
      );
    }
    const now = this.options.clock().getTime();
    this.countStart(room.sessionId, now);
    this.liveRuns++;
    this.liveByClient.set(client, (this.liveByClient.get(client) ?? 0) + 1);
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
    this.broadcast(terminal, encodeTerminalFrame(ServerOp.reset, new Uint8Array(0)));
    this.broadcastState(terminal);
    this.record(terminal, "start", who.name, json({ language, mode, cols, rows, code, by: who }));
    let run: LiveRun | null = null;
    const log = { sessionId: room.sessionId, runId };
    run = executor.startLive({ language, code, mode, cols, rows, log }, (chunk) => {
      if (!run || !terminal.superseded.has(run)) this.output(terminal, chunk);
    });
    terminal.run = run;
    void run.done.then((result) => {
      const held = (this.liveByClient.get(client) ?? 1) - 1;
      if (held > 0) this.liveByClient.set(client, held);
      else this.liveByClient.delete(client);
      this.finish(terminal, run, result, code);
    });
  }

  // ------------------------------------------------------------------ the run's node

  private output(terminal: SessionTerminal, chunk: Uint8Array): void {
    terminal.pending.push(chunk.slice());
    terminal.pendingBytes += chunk.byteLength;
    // A keystroke's echo goes at once; a stream of output is sent every `coalesceMs` in one frame.
    const now = performance.now();
    if (
      terminal.pendingBytes >= 32 * 1024 ||
      (!terminal.flushTimer && now - terminal.flushedAt >= this.coalesceMs)
    ) {
      this.flushOutput(terminal);
    } else terminal.flushTimer ??= setTimeout(() => this.flushOutput(terminal), this.coalesceMs);
  }

  private flushOutput(terminal: SessionTerminal): void {
    clearTimeout(terminal.flushTimer);
    terminal.flushTimer = undefined;
    if (terminal.pending.length === 0) return;
    terminal.flushedAt = performance.now();
    const bytes =
      terminal.pending.length === 1 ? (terminal.pending[0] as Uint8Array) : Buffer.concat(terminal.pending);
    terminal.pending = [];
    terminal.pendingBytes = 0;
    this.emitOutput(terminal, bytes);
  }

  private emitOutput(terminal: SessionTerminal, bytes: Uint8Array): void {
    terminal.scrollback.append(bytes);
    terminal.tail.append(bytes);
    this.broadcast(terminal, encodeTerminalFrame(ServerOp.output, bytes));
    this.record(terminal, "output", null, bytes);
  }

  private finish(terminal: SessionTerminal, run: LiveRun, ended: LiveResult, code: string): void {
    this.liveRuns--;
    const result = this.stoppedByShutdown.has(run) ? { ...ended, stderr: SHUTDOWN_NOTE } : ended;
    if (terminal.superseded.has(run)) {
      this.maybeForget(terminal);
      return;
    }
    this.flushOutput(terminal);
    const notes = [result.status === "compile_error" ? result.compileOutput : undefined, result.stderr]
      .filter((text): text is string => Boolean(text))
      .join("\n");
    if (notes) {
      const text = `\r\n${notes.replace(/\r?\n/g, "\r\n")}\r\n`;
      this.emitOutput(terminal, textEncoder.encode(text));
    }
    if (terminal.run === run) terminal.run = null;
    const { runId, language, mode, by } = terminal.state;
    terminal.state = {
      ...terminal.state,
      status: "ended",
      endedAt: this.options.clock().getTime(),
      result,
    };
    this.broadcastState(terminal);
    this.record(terminal, "end", null, json(result));
    if (runId && language) {
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
    this.maybeForget(terminal);
  }

  /** A control or keystrokes from a participant: carried out here if the run is here, else sent to its node. */
  private command(sessionId: string, command: BusCommand, bytes?: Uint8Array): void {
    // Only where someone watches (or a run runs) does this node know the terminal.
    const terminal = this.terminals.get(sessionId);
    const state = terminal?.state;
    if (!terminal || !state || state.status !== "running" || !state.node) {
      if (command.op === ClientOp.input) return;
      throw new Refusal("Nothing is running in the terminal");
    }
    if (state.node === this.options.nodeId) {
      this.carryOut(terminal, command, bytes);
      return;
    }
    // Refused early where the answer is known here; the run's node decides again.
    this.authorize(terminal, command);
    this.publishBus(sessionId, BusKind.command, "", bytes ?? new Uint8Array(0), command);
  }

  private carryOut(terminal: SessionTerminal, command: BusCommand, bytes?: Uint8Array): void {
    const run = terminal.run;
    if (!run) return;
    this.authorize(terminal, command);
    const { who } = command;
    switch (command.op) {
      case ClientOp.input:
        if (!bytes || bytes.byteLength === 0) return;
        // A batch run's stdin limit: every keystroke is recorded, so input is not free to send.
        if (terminal.inputBytes + bytes.byteLength > MAX_STDIN_BYTES) {
          throw new Refusal(`A run takes at most ${MAX_STDIN_BYTES / 1024 / 1024} MiB of input`);
        }
        terminal.inputBytes += bytes.byteLength;
        run.input(bytes);
        this.record(terminal, "input", who.name, bytes);
        return;
      case ClientOp.resize: {
        const { cols, rows } = parseSize(command.json);
        run.resize(cols, rows);
        terminal.state = { ...terminal.state, cols, rows };
        this.broadcastState(terminal);
        this.record(terminal, "resize", who.name, json({ cols, rows }));
        return;
      }
      case ClientOp.interrupt:
        run.interrupt();
        return;
      case ClientOp.stop:
        run.stop();
        return;
      case ClientOp.handover: {
        const to = (command.json as { to?: unknown } | null)?.to;
        const target = this.options
          .participants(terminal.sessionId)
          .find((p) => p.connectionId === to && p.role !== "observer");
        if (!target) throw new Refusal("The keyboard goes to a candidate or interviewer in the session");
        terminal.state = {
          ...terminal.state,
          keyboard: { connectionId: target.connectionId, name: target.name, role: target.role },
        };
        this.broadcastState(terminal);
        return;
      }
    }
  }

  /**
   * Only the keyboard holder types and resizes; the holder, the runner and interviewers interrupt and
   * stop; interviewers and the holder hand the keyboard over. Observers do none of it. A holder who
   * reconnected (a new socket, same name and role) gets the keyboard back.
   */
  private authorize(terminal: SessionTerminal, { op, who }: BusCommand): void {
    if (who.role === "observer") throw new Refusal("Observers cannot type in the terminal");
    const { keyboard, by } = terminal.state;
    let holds = keyboard?.connectionId === who.connectionId;
    if (!holds && keyboard && keyboard.name === who.name && keyboard.role === who.role) {
      const present = this.options
        .participants(terminal.sessionId)
        .some((p) => p.connectionId === keyboard.connectionId);
      if (!present && terminal.state.node === this.options.nodeId) {
        terminal.state = { ...terminal.state, keyboard: who };
        this.broadcastState(terminal);
        holds = true;
      }
    }
    const interviewer = who.role === "interviewer";
    const runner = by?.connectionId === who.connectionId;
    switch (op) {
      case ClientOp.input:
      case ClientOp.resize:
        if (!holds) throw new Refusal("You do not hold the keyboard");
        return;
      case ClientOp.interrupt:
      case ClientOp.stop:
        if (!holds && !runner && !interviewer)
          throw new Refusal("Only the runner or the interviewer can stop the run");
        return;
      case ClientOp.handover:
        if (!holds && !interviewer)
          throw new Refusal("Only the interviewer or the keyboard holder hands the keyboard over");
        return;
    }
  }

  // ------------------------------------------------------------------ fan-out and the other nodes

  private broadcastState(terminal: SessionTerminal): void {
    this.broadcast(terminal, jsonFrame(ServerOp.state, terminal.state));
  }

  /** To this node's watchers, and to the other nodes' (who apply it to their mirror first). */
  private broadcast(terminal: SessionTerminal, frame: Uint8Array): void {
    this.options.publishLocal(terminal.topic, frame);
    this.publishBus(terminal.sessionId, BusKind.frame, "", frame);
  }

  private publishBus(
    sessionId: string,
    kind: number,
    target: string,
    data: Uint8Array,
    body?: unknown,
  ): void {
    const encoder = encoding.createEncoder();
    encoding.writeUint8(encoder, kind);
    encoding.writeVarString(encoder, this.options.nodeId);
    encoding.writeVarString(encoder, target);
    encoding.writeVarString(encoder, body === undefined ? "" : JSON.stringify(body));
    encoding.writeVarUint8Array(encoder, data);
    this.options.bus.publish(terminalChannel(sessionId), encoding.toUint8Array(encoder)).catch((error) => {
      this.options.logger.warn("terminal: bus publish failed", {
        sessionId,
        runId: this.terminals.get(sessionId)?.state.runId ?? undefined,
        error: String(error),
      });
    });
  }

  private onBus(terminal: SessionTerminal, message: Uint8Array): void {
    let kind: number;
    let origin: string;
    let target: string;
    let body: string;
    let data: Uint8Array;
    try {
      const decoder = decoding.createDecoder(message);
      kind = decoding.readUint8(decoder);
      origin = decoding.readVarString(decoder);
      target = decoding.readVarString(decoder);
      body = decoding.readVarString(decoder);
      data = decoding.readVarUint8Array(decoder);
    } catch (error) {
      this.options.logger.warn("terminal: unreadable bus message", {
        sessionId: terminal.sessionId,
        runId: terminal.state.runId ?? undefined,
        error: String(error),
      });
      return;
    }
    if (origin === this.options.nodeId || (target && target !== this.options.nodeId)) return;
    try {
      if (kind === BusKind.frame) this.applyMirror(terminal, data);
      else if (kind === BusKind.command && terminal.state.node === this.options.nodeId) {
        this.carryOut(terminal, JSON.parse(body) as BusCommand, data);
      } else if (kind === BusKind.sync && terminal.state.node === this.options.nodeId) {
        this.flushOutput(terminal);
        this.publishBus(
          terminal.sessionId,
          BusKind.frame,
          origin,
          encodeTerminalFrame(ServerOp.reset, terminal.scrollback.contents()),
        );
        this.publishBus(terminal.sessionId, BusKind.frame, origin, jsonFrame(ServerOp.state, terminal.state));
      }
    } catch (error) {
      // A refused command from another node: its own checks let it through, ours did not.
      if (!(error instanceof Refusal)) {
        this.options.logger.warn("terminal: bus message failed", {
          sessionId: terminal.sessionId,
          runId: terminal.state.runId ?? undefined,
          error: String(error),
        });
      }
    }
  }

  private applyMirror(terminal: SessionTerminal, frame: Uint8Array): void {
    const { op, payload } = decodeTerminalFrame(frame);
    if (op === ServerOp.state) {
      const state = readJson(payload) as TerminalState;
      if (terminal.run && state.node !== this.options.nodeId) {
        // Two nodes started a run at once: the earlier start (then the smaller id) keeps the terminal.
        if (!startedBefore(state, terminal.state)) return;
        this.supersede(terminal);
      }
      terminal.state = state;
    } else if (op === ServerOp.output) terminal.scrollback.append(payload);
    else if (op === ServerOp.reset) terminal.scrollback.replace(payload);
    this.options.publishLocal(terminal.topic, frame);
  }

  /** Our run lost a simultaneous start to another node's: it stops, unannounced, and we take that run's screen. */
  private supersede(terminal: SessionTerminal): void {
    const run = terminal.run;
    if (!run) return;
    terminal.superseded.add(run);
    terminal.run = null;
    run.stop();
    clearTimeout(terminal.flushTimer);
    terminal.flushTimer = undefined;
    terminal.pending = [];
    terminal.pendingBytes = 0;
    this.publishBus(terminal.sessionId, BusKind.sync, "", new Uint8Array(0));
  }

  /** The session's terminal here, created (and joined to the bus, asking for the current contents) on first use. */
  private terminal(sessionId: string): SessionTerminal {
    let terminal = this.terminals.get(sessionId);
    if (terminal) return terminal;
    const created = new SessionTerminal(sessionId, this.scrollbackBytes);
    this.terminals.set(sessionId, created);
    created.unsubscribe = this.options.bus.subscribe(terminalChannel(sessionId), (data) =>
      this.onBus(created, data),
    );
    created.unsubscribe
      .then(() => this.publishBus(sessionId, BusKind.sync, "", new Uint8Array(0)))
      .catch((error) =>
        this.options.logger.warn("terminal: bus subscribe failed", { sessionId, error: String(error) }),
      );
    terminal = created;
    return terminal;
  }

  /** Counts a start against the session's minute, or refuses it with how long to wait. */
  private countStart(sessionId: string, now: number): void {
    // Sessions whose last start is over a minute old are forgotten, now and then, so the map stays small.
    if (this.starts.size > 1_000) {
      for (const [id, times] of this.starts) if (now - (times.at(-1) ?? 0) >= 60_000) this.starts.delete(id);
    }
    const recent = (this.starts.get(sessionId) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= this.startsPerMinute) {
      const wait = Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
      this.starts.set(sessionId, recent);
      throw new Refusal(
        `Too many runs in this session (at most ${this.startsPerMinute} a minute); try again in ${wait} s`,
      );
    }
    recent.push(now);
    this.starts.set(sessionId, recent);
  }

  /** Nobody here watches and nothing runs here: the mirror goes (a new watcher asks for it again). */
  private maybeForget(terminal: SessionTerminal): void {
    if (terminal.watchers.size > 0 || terminal.run || this.closing) return;
    this.terminals.delete(terminal.sessionId);
    clearTimeout(terminal.flushTimer);
    void terminal.unsubscribe?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }

  private record(
    terminal: SessionTerminal,
    kind: "start" | "output" | "input" | "resize" | "end",
    actor: string | null,
    data: Uint8Array,
  ): void {
    const runId = terminal.state.runId;
    if (!runId) return;
    this.recorder.record({
      sessionId: terminal.sessionId,
      runId,
      kind,
      actor,
      data: data.slice(),
      createdAt: this.options.clock(),
    });
  }

  /** Records written so far are stored (tests, shutdown). */
  flushRecords(): Promise<void> {
    return this.recorder.flush();
  }
}

function startedBefore(a: TerminalState, b: TerminalState): boolean {
  if (a.status !== "running" || a.startedAt === null || b.startedAt === null) return false;
  return a.startedAt < b.startedAt || (a.startedAt === b.startedAt && (a.runId ?? "") < (b.runId ?? ""));
}

const json = (value: unknown) => textEncoder.encode(JSON.stringify(value));

function isLanguage(value: unknown): value is LanguageId {
  return typeof value === "string" && (languageIds as readonly string[]).includes(value);
}

function parseSize(value: unknown): { cols: number; rows: number } {
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
