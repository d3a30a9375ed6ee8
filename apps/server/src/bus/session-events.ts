import type { SessionEvent } from "@pairpad/api/events/events";
import type { SessionEvents } from "@pairpad/api/ports";
import type { Bus } from "./bus.ts";
import type { EventMemory, StoredEvent } from "./event-memory.ts";

type Listener = (event: StoredEvent) => void;

const REMEMBERED_PER_SESSION = 200;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Session events over the bus, so every node's subscribers see every event once. Each node
 * remembers the last events of the sessions it serves, so a reconnecting stream resumes; with a
 * shared `memory` it resumes on any node.
 */
export class BusSessionEvents implements SessionEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly recent = new Map<string, Array<SessionEvent & { id: string }>>();
  private readonly unsubscribes = new Map<string, Promise<() => Promise<void>>>();
  private sequence = 0;

  constructor(
    private readonly bus: Bus,
    private readonly memory?: EventMemory,
  ) {}

  async publish(sessionId: string, event: SessionEvent): Promise<void> {
    // Ids sort by time across nodes; the node id and a counter keep them unique.
    const id = `${Date.now().toString(36).padStart(9, "0")}-${this.bus.nodeId}-${(this.sequence++).toString(36)}`;
    const stored = { ...event, id } as StoredEvent;
    // Remembered before it is sent: a stream resuming right now finds it in one place or the other.
    await this.memory?.remember(sessionId, stored);
    await this.bus.publish(`events:${sessionId}`, encoder.encode(JSON.stringify(stored)));
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
    const live = lastEventId && this.memory ? this.resume(sessionId, listener, lastEventId) : listener;
    set.add(live);
    if (lastEventId && !this.memory) {
      for (const event of this.recent.get(sessionId) ?? []) if (event.id > lastEventId) listener(event);
    }
    return () => {
      const current = this.listeners.get(sessionId);
      if (!current) return;
      current.delete(live);
      if (current.size > 0) return;
      this.listeners.delete(sessionId);
      this.recent.delete(sessionId);
      const unsubscribe = this.unsubscribes.get(sessionId);
      this.unsubscribes.delete(sessionId);
      void unsubscribe?.then((stop) => stop());
    };
  }

  /**
   * Replays what the shared memory holds after `lastEventId` once the live subscription is active,
   * holding live events back meanwhile; an event found in both is delivered once.
   */
  private resume(sessionId: string, listener: Listener, lastEventId: string): Listener {
    let held: StoredEvent[] | null = [];
    const replayed = new Set<string>();
    void (async () => {
      await this.ready(sessionId).catch(() => {});
      const missed = await this.memory?.since(sessionId, lastEventId).catch(() => []);
      for (const event of missed ?? []) {
        replayed.add(event.id);
        listener(event);
      }
      const queued = held ?? [];
      held = null;
      for (const event of queued) if (!replayed.has(event.id) && event.id > lastEventId) listener(event);
    })();
    return (event) => {
      if (held) held.push(event);
      else if (!replayed.has(event.id)) listener(event);
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
