import type { RateLimitDecision, RateLimiter } from "@pairpad/api/ports";
import type Redis from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

/**
 * Fixed windows counted by rate-limiter-flexible, one limiter per (limit, window) pair the callers use (a
 * handful: runs per client, runs per session, sessions per client). The counting, expiry and Redis
 * atomicity are the library's; this only adapts it to the `RateLimiter` port.
 */
abstract class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  protected abstract create(points: number, duration: number, keyPrefix: string): RateLimiterAbstract;

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const id = `${limit}/${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create(limit, windowSeconds, `w${id}`);
      this.limiters.set(id, limiter);
    }
    try {
      const result = await limiter.consume(key, 1);
      return { allowed: true, retryAfterSeconds: retryAfter(result) };
    } catch (refusal) {
      // The library rejects with its result when the points are used up, and with an Error when the store fails.
      if (refusal instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: retryAfter(refusal) };
      throw refusal;
    }
  }
}

function retryAfter(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

/** Counted in this process: right for a single node. */
export class LocalRateLimiter extends FlexibleRateLimiter {
  protected create(points: number, duration: number, keyPrefix: string) {
    return new RateLimiterMemory({ points, duration, keyPrefix });
  }
}

/** Counted in Redis, shared by every node. */
export class RedisRateLimiter extends FlexibleRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "pairpad:rate:",
  ) {
    super();
  }

  protected create(points: number, duration: number, keyPrefix: string) {
    return new RateLimiterRedis({
      storeClient: this.redis,
      points,
      duration,
      keyPrefix: this.prefix + keyPrefix,
    });
  }
}
