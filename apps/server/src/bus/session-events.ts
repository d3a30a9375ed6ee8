import type { SessionEvent } from "@pairpad/api/events/events";
import type { EventChannel } from "@pairpad/api/ports";
import type { Bus } from "./bus.ts";
import type { EventMemory } from "./event-memory.ts";

type Event = { type: string };
type Stored<E extends Event> = E & { id: string };

const REMEMBERED_PER_SESSION = 200;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Session events over the bus, so every node's subscribers see every event once. Each node
 * remembers the last events of the sessions it serves, so a reconnecting stream resumes; with a
 * shared `memory` it resumes on any node. `channel` names the bus topic and memory key: the
 * interviewers' channel is another instance, whose events never reach the public one's subscribers.
 */
export class BusSessionEvents<E extends Event = SessionEvent> implements EventChannel<E> {
  private readonly listeners = new Map<string, Set<(event: Stored<E>) => void>>();
  private readonly recent = new Map<string, Array<Stored<E>>>();
  private readonly unsubscribes = new Map<string, Promise<() => Promise<void>>>();
  /** Events this node published to sessions it has listeners for, by id, until they reach them. */
  private readonly inTransit = new Map<string, string>();
  private readonly arrivals = new Set<() => void>();
  private sequence = 0;

  constructor(
    private readonly bus: Bus,
    private readonly memory?: EventMemory,
    private readonly channel = "events",
  ) {}

  /** The bus topic, and the key the shared memory keeps the session's recent events under. */
  private topic(sessionId: string): string {
    return `${this.channel}:${sessionId}`;
  }

  private memoryKey(sessionId: string): string {
    // The public channel keeps its historical key; others get their own.
    return this.channel === "events" ? sessionId : `${sessionId}.${this.channel}`;
  }

  async publish(sessionId: string, event: E): Promise<void> {
    // Ids sort by time across nodes; the node id and a counter keep them unique.
    const id = `${Date.now().toString(36).padStart(9, "0")}-${this.bus.nodeId}-${(this.sequence++).toString(36)}`;
    const stored: Stored<E> = { ...event, id };
    if (this.listeners.has(sessionId)) this.inTransit.set(id, sessionId);
    try {
      // Remembered before it is sent: a stream resuming right now finds it in one place or the other.
      await this.memory?.remember(this.memoryKey(sessionId), stored);
      await this.bus.publish(this.topic(sessionId), encoder.encode(JSON.stringify(stored)));
    } catch (error) {
      this.arrived(id);
      throw error;
    }
  }

  /**
   * Resolves once every event this node has published so far has reached this node's listeners of
   * its session (or they all left): over Redis its own events come back by a round trip. A message
   * the bus loses never arrives: callers bound the wait.
   */
  async delivered(): Promise<void> {
    const awaited = [...this.inTransit.keys()];
    const done = () => awaited.every((id) => !this.inTransit.has(id));
    if (done()) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        this.arrivals.delete(check);
        resolve();
      };
      this.arrivals.add(check);
    });
  }

  private arrived(id: string): void {
    if (!this.inTransit.delete(id)) return;
    for (const check of [...this.arrivals]) check();
  }

  subscribe(sessionId: string, listener: (event: Stored<E>) => void, lastEventId?: string): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
      this.unsubscribes.set(
        sessionId,
        this.bus.subscribe(this.topic(sessionId), (payload) => this.deliver(sessionId, payload)),
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
      for (const [id, session] of this.inTransit) if (session === sessionId) this.arrived(id);
      const unsubscribe = this.unsubscribes.get(sessionId);
      this.unsubscribes.delete(sessionId);
      void unsubscribe?.then((stop) => stop());
    };
  }

  /**
   * Replays what the shared memory holds after `lastEventId` once the live subscription is active,
   * holding live events back meanwhile; an event found in both is delivered once.
   */
  private resume(
    sessionId: string,
    listener: (event: Stored<E>) => void,
    lastEventId: string,
  ): (event: Stored<E>) => void {
    let held: Array<Stored<E>> | null = [];
    const replayed = new Set<string>();
    void (async () => {
      await this.ready(sessionId).catch(() => {});
      const missed = (await this.memory?.since(this.memoryKey(sessionId), lastEventId).catch(() => [])) as
        | Array<Stored<E>>
        | undefined;
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
    const event = JSON.parse(decoder.decode(payload)) as Stored<E>;
    const recent = this.recent.get(sessionId) ?? [];
    recent.push(event);
    if (recent.length > REMEMBERED_PER_SESSION) recent.shift();
    this.recent.set(sessionId, recent);
    for (const listener of this.listeners.get(sessionId) ?? []) listener(event);
    this.arrived(event.id);
  }
}
