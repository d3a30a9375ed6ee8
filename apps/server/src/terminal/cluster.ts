import type { Logger } from "@pairpad/api/ports";
import { jsonFrame, ServerOp } from "@pairpad/api/terminal/protocol";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Bus } from "../bus/bus.ts";
import type { SessionTerminal } from "./session-terminal.ts";

/** Messages between nodes on `terminal:<sessionId>`. */
export const BusKind = {
  /** A frame for the watchers: each node applies it to its mirror, then sends it to its own. */
  frame: 1,
  /** A participant's command (`body`: JSON) with its keystrokes (`data`), for the run's node. */
  command: 2,
  /** A node asks the run's node for the terminal's contents and header. */
  sync: 3,
} as const;

/** One message on the bus; `target` empty: for every node. */
export interface BusMessage {
  kind: number;
  origin: string;
  target: string;
  body: string;
  data: Uint8Array;
}

const terminalChannel = (sessionId: string) => `terminal:${sessionId}`;

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, message.kind);
  encoding.writeVarString(encoder, message.origin);
  encoding.writeVarString(encoder, message.target);
  encoding.writeVarString(encoder, message.body);
  encoding.writeVarUint8Array(encoder, message.data);
  return encoding.toUint8Array(encoder);
}

/** Throws on a message it cannot read. */
export function decodeBusMessage(bytes: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(bytes);
  return {
    kind: decoding.readUint8(decoder),
    origin: decoding.readVarString(decoder),
    target: decoding.readVarString(decoder),
    body: decoding.readVarString(decoder),
    data: decoding.readVarUint8Array(decoder),
  };
}

export interface TerminalClusterOptions {
  nodeId: string;
  bus: Bus;
  logger: Logger;
  /** Sends a frame to every socket of this node subscribed to a topic (Bun's pub/sub). */
  publishLocal(topic: string, frame: Uint8Array): void;
}

/**
 * How a terminal reaches the watchers on every node: this node's through one Bun topic per session,
 * the other nodes' over the bus, where each keeps a mirror (header and scrollback) for its own.
 * Commands and requests for the contents travel the same channel.
 */
export class TerminalCluster {
  constructor(private readonly options: TerminalClusterOptions) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** The terminal's header to every watcher. */
  broadcastState(terminal: SessionTerminal): void {
    this.broadcast(terminal, jsonFrame(ServerOp.state, terminal.state));
  }

  /** To this node's watchers, and to the other nodes' (who apply it to their mirror first). */
  broadcast(terminal: SessionTerminal, frame: Uint8Array): void {
    this.options.publishLocal(terminal.topic, frame);
    this.publish(terminal, BusKind.frame, "", frame);
  }

  /** A frame to this node's watchers only (one another node sent, already on its own). */
  publishLocal(terminal: SessionTerminal, frame: Uint8Array): void {
    this.options.publishLocal(terminal.topic, frame);
  }

  /** A message to the other nodes (`target`: one of them); a failure is logged, the terminal goes on. */
  publish(terminal: SessionTerminal, kind: number, target: string, data: Uint8Array, body?: unknown): void {
    const message = encodeBusMessage({
      kind,
      origin: this.options.nodeId,
      target,
      body: body === undefined ? "" : JSON.stringify(body),
      data,
    });
    this.options.bus.publish(terminalChannel(terminal.sessionId), message).catch((error) => {
      this.options.logger.warn("terminal: bus publish failed", {
        sessionId: terminal.sessionId,
        runId: terminal.state.runId ?? undefined,
        error: String(error),
      });
    });
  }

  /**
   * Joins the terminal's channel (its `unsubscribe` leaves it) and asks for its current contents.
   * `receive` gets the other nodes' messages for this node; unreadable ones are logged and dropped.
   */
  join(terminal: SessionTerminal, receive: (message: BusMessage) => void): void {
    const { sessionId } = terminal;
    terminal.unsubscribe = this.options.bus.subscribe(terminalChannel(sessionId), (bytes) => {
      let message: BusMessage;
      try {
        message = decodeBusMessage(bytes);
      } catch (error) {
        this.options.logger.warn("terminal: unreadable bus message", {
          sessionId,
          runId: terminal.state.runId ?? undefined,
          error: String(error),
        });
        return;
      }
      const { origin, target } = message;
      if (origin === this.options.nodeId || (target && target !== this.options.nodeId)) return;
      receive(message);
    });
    terminal.unsubscribe
      .then(() => this.publish(terminal, BusKind.sync, "", new Uint8Array(0)))
      .catch((error) =>
        this.options.logger.warn("terminal: bus subscribe failed", { sessionId, error: String(error) }),
      );
  }
}
