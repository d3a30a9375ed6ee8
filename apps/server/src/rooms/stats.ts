/** Counters for /metrics. */
export interface RoomStats {
  rooms: number;
  connections: number;
  remoteNodes: number;
  messagesIn: number;
  updatesIn: number;
  awarenessIn: number;
  updatesIgnored: number;
  updatesRefused: number;
  malformedFrames: number;
  /** Sockets closed for a frame over `maxPayloadBytes`. */
  framesTooLarge: number;
  /** Sockets closed for awareness over its limits (size or client ids). */
  awarenessRefused: number;
  rateLimited: number;
  slowConsumers: number;
  /** Updates not yet in the database: queued, or in the write in flight. */
  pendingUpdates: number;
  persistedUpdates: number;
  persistFailures: number;
  /** Rows the database refused (bad data): left out, logged once each, the others written. */
  rejectedRows: number;
  /** History rows dropped while the database was unreachable for long. */
  historyDropped: number;
  compactions: number;
  peerMessagesIn: number;
  peerMessagesOut: number;
}

/** The counting part of `RoomStats`, incremented where things happen; the rest is read on demand. */
export type RoomCounters = Omit<RoomStats, "rooms" | "connections" | "remoteNodes" | "pendingUpdates">;

export function newCounters(): RoomCounters {
  return {
    messagesIn: 0,
    updatesIn: 0,
    awarenessIn: 0,
    updatesIgnored: 0,
    updatesRefused: 0,
    malformedFrames: 0,
    framesTooLarge: 0,
    awarenessRefused: 0,
    rateLimited: 0,
    slowConsumers: 0,
    persistedUpdates: 0,
    persistFailures: 0,
    rejectedRows: 0,
    historyDropped: 0,
    compactions: 0,
    peerMessagesIn: 0,
    peerMessagesOut: 0,
  };
}
