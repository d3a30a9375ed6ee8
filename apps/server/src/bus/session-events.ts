import type { SessionEvent } from "@pairpad/api/events/events";
import type { SessionEvents } from "@pairpad/api/ports";
import type { Bus } from "./bus.ts";

type Listener = (event: SessionEvent & { id: string }) => void;

const REMEMBERED_PER_SESSION = 200;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Session events over the bus, so every node's subscribers see every event once. Each node
 * remembers the last events of the sessions it serves, so a reconnecting stream resumes.
 */
export class BusSessionEvents implements SessionEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly recent = new Map<string, Array<SessionEvent & { id: string }>>();
  private readonly unsubscribes = new Map<string, Promise<() => Promise<void>>>();
  private sequence = 0;

  constructor(private readonly bus: Bus) {}

  async publish(sessionId: string, event: SessionEvent): Promise<void> {
    // Ids sort by time across nodes; the node id and a counter keep them unique.
    const id = `${Date.now().toString(36).padStart(9, "0")}-${this.bus.nodeId}-${(this.sequence++).toString(36)}`;
    await this.bus.publish(`events:${sessionId}`, encoder.encode(JSON.stringify({ ...event, id })));
  }

  subscribe(sessionId: string, listener: Listener, lastEventId?: string): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
      this.unsubscribes.set(
        sessionId,
        this.bus.subscribe(`events:${sessionId}`, (payload) => this.deliver(sessionId, payload)),
      );
    }
    set.add(listener);
    if (lastEventId) {
      for (const event of this.recent.get(sessionId) ?? []) if (event.id > lastEventId) listener(event);
    }
    return () => {
      const current = this.listeners.get(sessionId);
      if (!current) return;
      current.delete(listener);
      if (current.size > 0) return;
      this.listeners.delete(sessionId);
      this.recent.delete(sessionId);
      const unsubscribe = this.unsubscribes.get(sessionId);
      this.unsubscribes.delete(sessionId);
      void unsubscribe?.then((stop) => stop());
    };
  }

  /** Resolves once this node receives the session's events (tests and SSE start-up use it). */
  async ready(sessionId: string): Promise<void> {
    await this.unsubscribes.get(sessionId);
  }

  private deliver(sessionId: string, payload: Uint8Array) {
    const event = JSON.parse(decoder.decode(payload)) as SessionEvent & { id: string };
    const recent = this.recent.get(sessionId) ?? [];
    recent.push(event);
    if (recent.length > REMEMBERED_PER_SESSION) recent.shift();
    this.recent.set(sessionId, recent);
    for (const listener of this.listeners.get(sessionId) ?? []) listener(event);
  }
}
