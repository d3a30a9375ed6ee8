import type Redis from "ioredis";

/** An event of any channel, with the id it was published under. */
export type StoredEvent = { type: string; id: string };

/**
 * The last events of each session, shared by every node, so an event stream that reconnects to
 * another node (a rolling restart, a balancer's choice) resumes after its `Last-Event-ID` without
 * a gap. Without it each node remembers only what its own subscribers saw.
 */
export interface EventMemory {
  remember(sessionId: string, event: StoredEvent): Promise<void>;
  /** Remembered events after `lastEventId`, oldest first. */
  since(sessionId: string, lastEventId: string): Promise<StoredEvent[]>;
}

/** A capped Redis list per session, expiring an hour after its last event. */
export class RedisEventMemory implements EventMemory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perSession = 200,
    private readonly ttlSeconds = 3600,
  ) {}

  async remember(sessionId: string, event: StoredEvent): Promise<void> {
    const key = `${this.prefix}events:${sessionId}`;
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(event))
      .ltrim(key, -this.perSession, -1)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  async since(sessionId: string, lastEventId: string): Promise<StoredEvent[]> {
    const raw = await this.redis.lrange(`${this.prefix}events:${sessionId}`, 0, -1);
    return raw.map((line) => JSON.parse(line) as StoredEvent).filter((event) => event.id > lastEventId);
  }
}
