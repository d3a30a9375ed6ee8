import type { RateLimitDecision, RateLimiter } from "@pairpad/api/ports";
import type Redis from "ioredis";

/** Fixed windows counted in this process: right for a single node. */
export class LocalRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** Fixed windows in Redis, shared by every node. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "pairpad:rate:",
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const k = this.prefix + key;
    const result = await this.redis
      .multi()
      .incr(k)
      .pexpire(k, windowSeconds * 1000, "NX")
      .pttl(k)
      .exec();
    if (!result) throw new Error("Redis transaction aborted");
    const count = Number(result[0]?.[1]);
    const ttl = Number(result[2]?.[1]);
    return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }
}
