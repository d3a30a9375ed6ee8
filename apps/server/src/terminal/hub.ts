import type { Clock, Logger, Participant } from "@pairpad/api/ports";
import {
  ClientOp,
  decodeTerminalFrame,
  encodeTerminalFrame,
  jsonFrame,
  readJson,
  ServerOp,
} from "@pairpad/api/terminal/protocol";
import type { TerminalState, Who } from "@pairpad/api/terminal/state";
import type { Db } from "@pairpad/db/client";
import type { Bus } from "../bus/bus.ts";
import { CloseCode } from "../rooms/close-codes.ts";
import type { Connection } from "../rooms/connection.ts";
import type { Room } from "../rooms/room.ts";
import { RefusedChange } from "../rooms/update-path.ts";
import { checkStart, type LiveRunLimitOptions, LiveRunLimits, Refusal } from "./admission.ts";
import { BusKind, type BusMessage, TerminalCluster } from "./cluster.ts";
import { authorize, type Command, type KeyboardContext } from "./keyboard.ts";
import { TerminalRecorder } from "./recorder.ts";
import { type LiveExecutor, TerminalRuns } from "./runs.ts";
import { SessionTerminal } from "./session-terminal.ts";

export { type LiveExecutor, SHUTDOWN_NOTE } from "./runs.ts";

export interface TerminalHubOptions extends LiveRunLimitOptions {
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
  /** Output is sent to watchers at most this long after the program wrote it. Default 2 ms. */
  coalesceMs?: number;
  /**
   * A run takes at most one resize per this long; of the resizes in between only the latest, at its
   * end. Default 50 ms: a window dragged by its edge resizes every frame.
   */
  resizeMs?: number;
}

/**
 * The shared terminals of this node's rooms. A run executes on the node whose socket started it;
 * its output and header go to this node's watchers through one Bun topic per session and to the
 * other nodes over the bus, where each node keeps a mirror (header and scrollback) for its own
 * watchers. Keystrokes and controls from a watcher on another node go over the bus to the run's node,
 * which decides whether that participant may do it.
 *
 * The parts: `admission.ts` decides who may start a run and counts the limits, `runs.ts` carries a run
 * from start to end, `keyboard.ts` says who may type and hand the keyboard over, `cluster.ts` carries
 * frames and commands between nodes, `session-terminal.ts` is one session's terminal on this node.
 */
export class TerminalHub {
  private readonly terminals = new Map<string, SessionTerminal>();
  private readonly recorder: TerminalRecorder;
  private readonly cluster: TerminalCluster;
  private readonly runs: TerminalRuns;
  private readonly limits: LiveRunLimits;
  private readonly keyboard: KeyboardContext;
  private closing = false;

  constructor(private readonly options: TerminalHubOptions) {
    this.recorder = new TerminalRecorder(options.db, options.logger);
    this.cluster = new TerminalCluster(options);
    this.limits = new LiveRunLimits(options);
    this.keyboard = {
      nodeId: options.nodeId,
      participants: options.participants,
      broadcastState: (terminal) => this.cluster.broadcastState(terminal),
    };
    this.runs = new TerminalRuns({
      ...options,
      cluster: this.cluster,
      keyboard: this.keyboard,
      recorder: this.recorder,
      ended: (terminal) => this.maybeForget(terminal),
    });
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
        case ClientOp.handover:
          // Each handover is a header to every watcher on every node: a person's pace is enough.
          if (!conn.takeHandover(Date.now())) {
            throw new Refusal("Too many keyboard handovers; wait a moment and try again");
          }
          this.command(room.sessionId, { op, who, json: readJson(payload) });
          return;
        case ClientOp.resize:
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
    await this.runs.stopAll(this.terminals.values());
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

  /** Records written so far are stored (tests, shutdown). */
  flushRecords(): Promise<void> {
    return this.recorder.flush();
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
    const start = checkStart(conn, room, request, { closing: this.closing, executor: this.options.executor });
    const terminal = this.terminal(room.sessionId);
    if (terminal.state.status === "running") {
      throw new Refusal("A run is in progress in this terminal; stop it first");
    }
    const now = this.options.clock().getTime();
    const release = this.limits.admit(room.sessionId, conn.clientKey, now);
    this.runs.begin(terminal, who, start, now, release);
  }

  /** A control or keystrokes from a participant: carried out here if the run is here, else sent to its node. */
  private command(sessionId: string, command: Command, bytes?: Uint8Array): void {
    // Only where someone watches (or a run runs) does this node know the terminal.
    const terminal = this.terminals.get(sessionId);
    const state = terminal?.state;
    if (!terminal || !state || state.status !== "running" || !state.node) {
      if (command.op === ClientOp.input) return;
      throw new Refusal("Nothing is running in the terminal");
    }
    if (state.node === this.options.nodeId) {
      this.runs.control(terminal, command, bytes);
      return;
    }
    // Refused early where the answer is known here; the run's node decides again.
    authorize(terminal, command, this.keyboard);
    this.cluster.publish(terminal, BusKind.command, "", bytes ?? new Uint8Array(0), command);
  }

  // ------------------------------------------------------------------ from the other nodes

  private onBus(terminal: SessionTerminal, { kind, origin, body, data }: BusMessage): void {
    const here = terminal.state.node === this.options.nodeId;
    try {
      if (kind === BusKind.frame) this.applyMirror(terminal, data);
      else if (kind === BusKind.command && here) {
        this.runs.control(terminal, JSON.parse(body) as Command, data);
      } else if (kind === BusKind.sync && here) {
        terminal.output.flush();
        const contents = encodeTerminalFrame(ServerOp.reset, terminal.scrollback.contents());
        this.cluster.publish(terminal, BusKind.frame, origin, contents);
        this.cluster.publish(terminal, BusKind.frame, origin, jsonFrame(ServerOp.state, terminal.state));
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

  /** Another node's frame: applied to this node's copy of the terminal, then sent to its watchers here. */
  private applyMirror(terminal: SessionTerminal, frame: Uint8Array): void {
    const { op, payload } = decodeTerminalFrame(frame);
    if (op === ServerOp.state) {
      const state = readJson(payload) as TerminalState;
      if (terminal.run && state.node !== this.options.nodeId) {
        // Two nodes started a run at once: the earlier start (then the smaller id) keeps the terminal.
        if (!startedBefore(state, terminal.state)) return;
        this.runs.supersede(terminal);
      }
      terminal.state = state;
    } else if (op === ServerOp.output) terminal.scrollback.append(payload);
    else if (op === ServerOp.reset) terminal.scrollback.replace(payload);
    this.cluster.publishLocal(terminal, frame);
  }

  // ------------------------------------------------------------------ this node's terminals

  /** The session's terminal here, created (and joined to the bus, asking for the current contents) on first use. */
  private terminal(sessionId: string): SessionTerminal {
    const known = this.terminals.get(sessionId);
    if (known) return known;
    const terminal: SessionTerminal = new SessionTerminal(sessionId, {
      scrollbackBytes: this.options.scrollbackBytes ?? 256 * 1024,
      coalesceMs: this.options.coalesceMs ?? 2,
      resizeMs: this.options.resizeMs ?? 50,
      emit: (bytes) => this.runs.emit(terminal, bytes),
      resize: (resize) => this.runs.resize(terminal, resize),
    });
    this.terminals.set(sessionId, terminal);
    this.cluster.join(terminal, (message) => this.onBus(terminal, message));
    return terminal;
  }

  /** Nobody here watches and nothing runs here: the mirror goes (a new watcher asks for it again). */
  private maybeForget(terminal: SessionTerminal): void {
    if (terminal.watchers.size > 0 || terminal.run || this.closing) return;
    this.terminals.delete(terminal.sessionId);
    terminal.output.drop();
    terminal.resizes.cancel();
    void terminal.unsubscribe?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }
}

function startedBefore(a: TerminalState, b: TerminalState): boolean {
  if (a.status !== "running" || a.startedAt === null || b.startedAt === null) return false;
  return a.startedAt < b.startedAt || (a.startedAt === b.startedAt && (a.runId ?? "") < (b.runId ?? ""));
}
