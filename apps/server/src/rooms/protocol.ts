import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** y-protocols message types, as the y-websocket client numbers them. */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** One decoded client frame. `update` and `awareness` are views into the frame. */
export type ClientMessage =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "step2"; update: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "query-awareness" };

/** Decodes one frame; throws on anything that is not a whole y-protocols message. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  let message: ClientMessage;
  if (type === MessageType.sync) {
    const sub = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (sub === SyncType.step1) message = { kind: "step1", stateVector: payload };
    else if (sub === SyncType.step2) message = { kind: "step2", update: payload };
    else if (sub === SyncType.update) message = { kind: "update", update: payload };
    else throw new Error(`unknown sync message ${sub}`);
  } else if (type === MessageType.awareness) {
    message = { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
  } else if (type === MessageType.queryAwareness) {
    message = { kind: "query-awareness" };
  } else {
    throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the message");
  return message;
}

function frame(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (sub !== null) encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Frame = (stateVector: Uint8Array) =>
  frame(MessageType.sync, SyncType.step1, stateVector);
export const syncStep2Frame = (update: Uint8Array) => frame(MessageType.sync, SyncType.step2, update);
export const updateFrame = (update: Uint8Array) => frame(MessageType.sync, SyncType.update, update);
export const awarenessFrame = (update: Uint8Array) => frame(MessageType.awareness, null, update);
