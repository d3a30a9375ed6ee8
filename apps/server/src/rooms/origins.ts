import * as Y from "yjs";
import type { Connection } from "./connection.ts";

/** Origin of a change made by the server itself (a directory call, reconciling on load). */
export class ServerChange {
  constructor(
    readonly actor: string | null,
    /** Whether a language change should update the session row, history and events. */
    readonly sideEffects: boolean,
  ) {}
}
/** Origin of updates that came from another node over the bus. */
export const fromPeer = Symbol("peer");
/** Origin of state read from the database. */
export const fromStorage = Symbol("storage");

/**
 * Where a change to a room's document came from: a client's connection, the server itself, another
 * node, or the database. Every transaction on a room's Y.Doc carries one of these as its origin.
 */
export type ChangeOrigin = Connection | ServerChange | typeof fromPeer | typeof fromStorage;

/**
 * Runs `change` (which must apply or transact with `origin`) and returns the update it made to the
 * document — only what was new to it — or null if it changed nothing. `origin: null` takes any
 * transaction's update (a scratch document of the server's own).
 */
export function captureUpdate(
  doc: Y.Doc,
  origin: ChangeOrigin | null,
  change: () => void,
): Uint8Array | null {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array, o: unknown) => {
    if (origin === null || o === origin) update = u;
  };
  doc.on("update", capture);
  try {
    change();
  } finally {
    doc.off("update", capture);
  }
  return update;
}

/** `Y.applyUpdate` with its origin, returning what was new to the document. */
export const applyCapturing = (doc: Y.Doc, update: Uint8Array, origin: ChangeOrigin) =>
  captureUpdate(doc, origin, () => Y.applyUpdate(doc, update, origin));
