import { ClientOp, encodeTerminalFrame, ServerOp, TERMINAL_MESSAGE } from "@pairpad/api/terminal/protocol";
import type { LiveMode, TerminalState, Who } from "@pairpad/api/terminal/state";
import * as decoding from "lib0/decoding";
import type { Room } from "./Room.ts";

export type { LiveMode, LiveResult, TerminalState, Who } from "@pairpad/api/terminal/state";

export interface TerminalView {
  state: TerminalState | null;
  me: Who | null;
  refused: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const channels = new WeakMap<Room, TerminalChannel>();

/** The room's one terminal channel (a render may run twice; the socket's handler is set once). */
export function terminalOf(room: Room): TerminalChannel {
  let channel = channels.get(room);
  if (!channel) {
    channel = new TerminalChannel(room);
    channels.set(room, channel);
  }
  return channel;
}

/**
 * The session's shared terminal over the room's socket: a message type of our own beside
 * y-protocols. Subscribes on every (re)connect; the server then sends the current contents.
 */
export class TerminalChannel {
  private view: TerminalView = { state: null, me: null, refused: null };
  private readonly listeners = new Set<() => void>();
  /** The screen: `reset` clears it and writes, `output` writes. */
  private writer: { reset(bytes: Uint8Array): void; write(bytes: Uint8Array): void } | null = null;
  /** What arrived before a screen was attached (the first contents). */
  private backlog: Uint8Array[] = [];

  /** Use {@link terminalOf}. */
  constructor(private readonly room: Room) {
    const provider = room.provider;
    provider.messageHandlers[TERMINAL_MESSAGE] = (_encoder, decoder) => {
      const op = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      this.receive(op, payload);
    };
    provider.on("status", ({ status }) => {
      if (status === "connected") this.send(ClientOp.subscribe);
    });
    if (provider.wsconnected) this.send(ClientOp.subscribe);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getView = (): TerminalView => this.view;

  /** The xterm that shows the screen; gets what arrived so far. */
  attach(writer: { reset(bytes: Uint8Array): void; write(bytes: Uint8Array): void }): () => void {
    this.writer = writer;
    for (const chunk of this.backlog.splice(0)) writer.write(chunk);
    return () => {
      if (this.writer === writer) this.writer = null;
    };
  }

  get holdsKeyboard(): boolean {
    const { state, me } = this.view;
    return !!state && !!me && state.status === "running" && state.keyboard?.connectionId === me.connectionId;
  }

  start(mode: LiveMode, cols: number, rows: number) {
    this.update({ refused: null });
    this.sendJson(ClientOp.start, { mode, cols, rows });
  }

  input(text: string) {
    if (this.holdsKeyboard) this.send(ClientOp.input, encoder.encode(text));
  }

  resize(cols: number, rows: number) {
    if (this.holdsKeyboard) this.sendJson(ClientOp.resize, { cols, rows });
  }

  interrupt() {
    this.send(ClientOp.interrupt);
  }

  stop() {
    this.send(ClientOp.stop);
  }

  handover(to: string) {
    this.sendJson(ClientOp.handover, { to });
  }

  private sendJson(op: number, value: unknown) {
    this.send(op, encoder.encode(JSON.stringify(value)));
  }

  private send(op: number, payload: Uint8Array = new Uint8Array(0)) {
    const ws = this.room.provider.ws;
    if (ws && ws.readyState === WebSocket.OPEN)
      ws.send(encodeTerminalFrame(op, payload) as Uint8Array<ArrayBuffer>);
  }

  private receive(op: number, payload: Uint8Array) {
    switch (op) {
      case ServerOp.output:
        if (this.writer) this.writer.write(payload);
        else this.backlog.push(payload);
        break;
      case ServerOp.reset:
        this.backlog = [payload];
        if (this.writer) {
          this.backlog = [];
          this.writer.reset(payload);
        }
        break;
      case ServerOp.state:
        this.update({ state: JSON.parse(decoder.decode(payload)) as TerminalState });
        break;
      case ServerOp.you:
        this.update({ me: JSON.parse(decoder.decode(payload)) as Who });
        break;
      case ServerOp.refused:
        this.update({ refused: (JSON.parse(decoder.decode(payload)) as { message: string }).message });
        break;
    }
  }

  private update(patch: Partial<TerminalView>) {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }
}
