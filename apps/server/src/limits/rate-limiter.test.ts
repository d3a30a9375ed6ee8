import { afterAll, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { eventually } from "../testing.ts";
import { LocalRateLimiter, RedisRateLimiter } from "./rate-limiter.ts";

const redisUrl = process.env.REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true }) : null;
afterAll(() => redis?.disconnect());

const limiters = [
  ["local", () => new LocalRateLimiter()],
  ...(redis
    ? [["redis", () => new RedisRateLimiter(redis, `pairpad:test:${crypto.randomUUID()}:`)] as const]
    : []),
] as const;

for (const [name, make] of limiters) {
  describe(`${name} rate limiter`, () => {
    test("allows up to the limit in a window, then refuses with a retry delay", async () => {
      const limiter = make();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.hit("client-a", 3, 60));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions[3]?.retryAfterSeconds).toBeGreaterThan(0);
      expect(decisions[3]?.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await limiter.hit("client-b", 3, 60)).allowed).toBe(true);
    });
  });
}

test("a window resets after it ends", async () => {
  const limiter = new LocalRateLimiter();
  expect((await limiter.hit("k", 1, 1)).allowed).toBe(true);
  const refused = await limiter.hit("k", 1, 1);
  expect(refused.allowed).toBe(false);
  expect(refused.retryAfterSeconds).toBe(1);
  await eventually(async () => expect((await limiter.hit("k", 1, 1)).allowed).toBe(true), 3000, 100);
});

test("the same key under different limits is counted separately", async () => {
  const limiter = new LocalRateLimiter();
  expect((await limiter.hit("k", 1, 60)).allowed).toBe(true);
  expect((await limiter.hit("k", 5, 60)).allowed).toBe(true);
  expect((await limiter.hit("k", 1, 60)).allowed).toBe(false);
});
