/** Limits and timings of the room server; every field has a default (see `roomDefaults`). */
export interface RoomConfig {
  /** Largest WebSocket frame accepted; a larger one closes the socket with 4414 (permanent). */
  maxPayloadBytes: number;
  /** Cap on a document's encoded size; an update that would pass it is refused. */
  maxDocumentBytes: number;
  /** Connections per session across all nodes (as far as presence knows). */
  maxConnectionsPerSession: number;
  /** Of those, how many only the interviewer may take (at most all but one). */
  interviewerSlots: number;
  /** Awareness client ids one connection may set (a standard client sets one). */
  maxAwarenessClients: number;
  /** Size of one connection's awareness states (their JSON, in UTF-16 code units). */
  maxAwarenessBytes: number;
  /** Sustained messages per second per connection; bursts of `messageBurst` are allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Bytes a socket may have queued before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  /** How long an empty room stays loaded after its last client leaves. */
  unloadGraceMs: number;
  /** Incoming updates are appended to the update log at this interval (≤ 250 ms). */
  flushIntervalMs: number;
  /** Compact after this many updates since the last compaction ... */
  compactEvery: number;
  /** ... or after this long when there were any. */
  compactIntervalMs: number;
  /** One `edit` history entry per author per window at most. */
  editSummaryMs: number;
  /** Presence heartbeat between nodes; a node unheard for 3 heartbeats is forgotten. */
  presenceHeartbeatMs: number;
  /** A directory call forwarded to the node holding the room waits this long for its answer. */
  commandTimeoutMs: number;
  /**
   * Nodes that have the same room loaded compare digests of it this often (and whenever the bus
   * reconnects or another node is seen with the room), and send each other what is missing.
   */
  catchUpIntervalMs: number;
  /** `user-joined` waits this long for the client's awareness name before using the role. */
  joinAnnounceMs: number;
  /**
   * Sockets one client (address) may open a minute, across sessions and nodes (with the deps'
   * rate limiter); past it the upgrade is answered 429. Every socket costs a session lookup, a
   * join entry in the history and a fresh budget of state requests, so a reconnect loop must end.
   */
  connectsPerMinutePerClient: number;
}

export const roomDefaults: RoomConfig = {
  maxPayloadBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 8 * 1024 * 1024,
  maxConnectionsPerSession: 50,
  interviewerSlots: 2,
  maxAwarenessClients: 4,
  maxAwarenessBytes: 16 * 1024,
  messagesPerSecond: 100,
  messageBurst: 300,
  maxBufferedBytes: 4 * 1024 * 1024,
  unloadGraceMs: 30_000,
  flushIntervalMs: 200,
  compactEvery: 500,
  compactIntervalMs: 60_000,
  editSummaryMs: 30_000,
  presenceHeartbeatMs: 5_000,
  commandTimeoutMs: 2_000,
  joinAnnounceMs: 1_000,
  connectsPerMinutePerClient: 120,
  catchUpIntervalMs: 20_000,
};

export function resolveConfig(config: Partial<RoomConfig> = {}): RoomConfig {
  const resolved = { ...roomDefaults, ...config };
  // The durability promise (kill -9 loses at most the last second) needs frequent flushes.
  resolved.flushIntervalMs = Math.min(Math.max(resolved.flushIntervalMs, 10), 250);
  return resolved;
}
