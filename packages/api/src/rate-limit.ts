import { TRPCError } from "@trpc/server";
import type { Context } from "./trpc.ts";

/** An error whose HTTP answer carries `Retry-After`. */
export class RetryAfter extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`retry after ${retryAfterSeconds} s`);
    this.name = "RetryAfter";
  }
}

/** Counts one call against `key`; over `max` a minute it is refused with 429 and `Retry-After`. */
export async function enforceRateLimit(
  ctx: Pick<Context, "rateLimiter">,
  key: string,
  max: number,
  what: string,
): Promise<void> {
  const decision = await ctx.rateLimiter.hit(key, max, 60);
  if (!decision.allowed) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many ${what} (at most ${max} a minute); retry in ${decision.retryAfterSeconds} s`,
      cause: new RetryAfter(decision.retryAfterSeconds),
    });
  }
}
