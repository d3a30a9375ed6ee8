/**
 * Messages between the server nodes of one deployment: Redis pub/sub when REDIS_URL is set, an
 * in-process bus otherwise. Payloads are binary so Yjs updates cross without re-encoding.
 */
export interface Bus {
  /** This node's id, unique per process; messages carry it so a node can skip its own. */
  readonly nodeId: string;
  publish(channel: string, payload: Uint8Array): Promise<void>;
  /** Resolves once the subscription is active on the bus. */
  subscribe(channel: string, handler: (payload: Uint8Array) => void): Promise<() => Promise<void>>;
  /**
   * Calls `listener` each time the bus comes back after losing its connection: whatever was
   * published meanwhile is lost (pub/sub keeps nothing), so listeners catch up. Never called by a
   * bus that cannot lose messages.
   */
  onReconnect(listener: () => void): void;
  /** Cheap round trip, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
