import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/**
 * The shared terminal's frames on the room's WebSocket, beside y-protocols (types 0–3): message
 * type 10, then an op and one payload (bytes, or JSON for control). The server sends them only to
 * sockets that subscribed (op `subscribe`): a standard y-websocket client never does, so it never
 * sees a type it does not know (it would log "Unable to compute message").
 */
export const TERMINAL_MESSAGE = 10;

/** Client → server. */
export const ClientOp = {
  subscribe: 0,
  /** JSON `{ mode: "run" | "repl", cols, rows }`: runs the room's code in its language. */
  start: 1,
  /** Raw keystrokes (only from the keyboard holder). */
  input: 2,
  /** JSON `{ cols, rows }`. */
  resize: 3,
  /** Ctrl-C as a button: SIGINT to the program, even in raw mode. */
  interrupt: 4,
  /** Ends the run now. */
  stop: 5,
  /** JSON `{ to: connectionId }`: who may type. */
  handover: 6,
} as const;

/** Server → client. */
export const ServerOp = {
  /** JSON `TerminalState`: the run header and who holds the keyboard. */
  state: 16,
  /** Terminal output as the program wrote it. */
  output: 17,
  /** Clears the terminal and writes the payload: the current contents, for a new watcher or a new run. */
  reset: 18,
  /** JSON `{ message }`: why the last request was refused. */
  refused: 19,
  /** JSON `Who`: the subscriber itself, so that it knows when it holds the keyboard. */
  you: 20,
} as const;

export interface TerminalFrame {
  op: number;
  payload: Uint8Array;
}

export function encodeTerminalFrame(op: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, TERMINAL_MESSAGE);
  encoding.writeVarUint(encoder, op);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export const jsonFrame = (op: number, value: unknown) =>
  encodeTerminalFrame(op, textEncoder.encode(JSON.stringify(value)));

export function isTerminalFrame(frame: Uint8Array): boolean {
  return frame.length > 0 && frame[0] === TERMINAL_MESSAGE;
}

/** Decodes one terminal frame; throws on anything else (the socket is then closed as malformed). */
export function decodeTerminalFrame(frame: Uint8Array): TerminalFrame {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== TERMINAL_MESSAGE) throw new Error("not a terminal frame");
  const op = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the terminal frame");
  return { op, payload };
}

export function readJson(payload: Uint8Array): unknown {
  return JSON.parse(textDecoder.decode(payload));
}
