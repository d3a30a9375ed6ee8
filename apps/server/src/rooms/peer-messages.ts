import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/**
 * Binary messages between nodes on the bus. Every message starts with its kind and the origin
 * node id, so a node skips its own. Yjs payloads cross as they are, never re-encoded as JSON.
 *
 * - `room:<sessionId>` (every node with the room loaded): update, awareness, sync request.
 * - `node:<nodeId>` (one node): sync reply, command, command reply.
 * - `rooms:control` (every node): presence and session closes, as JSON (see presence.ts).
 */
export const PeerKind = {
  update: 1,
  awareness: 2,
  /** A node that just loaded the room asks for what it misses: payload is its state vector. */
  syncRequest: 3,
  syncReply: 4,
  command: 5,
  reply: 6,
  /**
   * Anti-entropy between nodes that have the same room loaded (after a bus outage, messages are
   * lost): a node's state vector and a hash of its state vector and delete set. A node whose hash
   * differs sends back what the sender lacks (`catchUp`) and, unless the digest was itself an
   * answer, its own digest, so both sides end up with everything in one round trip.
   */
  digest: 7,
  /** An update that may repeat what the receiver has: only what is new reaches its clients. */
  catchUp: 8,
} as const;

/** Room-channel messages whose payload follows the header raw. */
export type RoomMessageKind =
  | typeof PeerKind.update
  | typeof PeerKind.awareness
  | typeof PeerKind.syncRequest
  | typeof PeerKind.catchUp;

export const roomChannel = (sessionId: string) => `room:${sessionId}`;
export const nodeChannel = (nodeId: string) => `node:${nodeId}`;
export const controlChannel = "rooms:control";

export type PeerMessage =
  | { kind: RoomMessageKind; origin: string; payload: Uint8Array }
  | {
      kind: typeof PeerKind.syncReply;
      origin: string;
      sessionId: string;
      update: Uint8Array;
      awareness: Uint8Array;
      /** The replier's state vector, so the requester can send back what the replier lacks. */
      stateVector: Uint8Array;
    }
  | { kind: typeof PeerKind.command | typeof PeerKind.reply; origin: string; body: unknown }
  | {
      kind: typeof PeerKind.digest;
      origin: string;
      stateVector: Uint8Array;
      hash: bigint;
      /** Sent in answer to another digest: not answered again. */
      answer: boolean;
    };

function header(kind: number, origin: string): encoding.Encoder {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, kind);
  encoding.writeVarString(encoder, origin);
  return encoder;
}

/** Room-channel messages: the payload follows the header raw. */
export function encodeRoomMessage(kind: RoomMessageKind, origin: string, payload: Uint8Array): Uint8Array {
  const encoder = header(kind, origin);
  encoding.writeUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncReply(
  origin: string,
  sessionId: string,
  update: Uint8Array,
  awareness: Uint8Array | null,
  stateVector: Uint8Array,
) {
  const encoder = header(PeerKind.syncReply, origin);
  encoding.writeVarString(encoder, sessionId);
  encoding.writeVarUint8Array(encoder, update);
  encoding.writeVarUint8Array(encoder, awareness ?? new Uint8Array(0));
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeDigest(origin: string, stateVector: Uint8Array, hash: bigint, answer: boolean) {
  const encoder = header(PeerKind.digest, origin);
  encoding.writeVarUint8Array(encoder, stateVector);
  encoding.writeBigUint64(encoder, hash);
  encoding.writeUint8(encoder, answer ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

export function encodeJsonMessage(
  kind: typeof PeerKind.command | typeof PeerKind.reply,
  origin: string,
  body: unknown,
) {
  const encoder = header(kind, origin);
  encoding.writeVarString(encoder, JSON.stringify(body));
  return encoding.toUint8Array(encoder);
}

export function decodePeerMessage(data: Uint8Array): PeerMessage {
  const decoder = decoding.createDecoder(data);
  const kind = decoding.readUint8(decoder);
  const origin = decoding.readVarString(decoder);
  switch (kind) {
    case PeerKind.update:
    case PeerKind.awareness:
    case PeerKind.syncRequest:
    case PeerKind.catchUp:
      return { kind, origin, payload: data.subarray(decoder.pos) };
    case PeerKind.digest: {
      const stateVector = decoding.readVarUint8Array(decoder);
      const hash = decoding.readBigUint64(decoder);
      return { kind, origin, stateVector, hash, answer: decoding.readUint8(decoder) === 1 };
    }
    case PeerKind.syncReply: {
      const sessionId = decoding.readVarString(decoder);
      const update = decoding.readVarUint8Array(decoder);
      const awareness = decoding.readVarUint8Array(decoder);
      const stateVector = decoding.readVarUint8Array(decoder);
      return { kind, origin, sessionId, update, awareness, stateVector };
    }
    case PeerKind.command:
    case PeerKind.reply:
      return { kind, origin, body: JSON.parse(decoding.readVarString(decoder)) };
    default:
      throw new Error(`unknown peer message kind ${kind}`);
  }
}
