import { createHmac } from "node:crypto";
import type { RateLimiter } from "@pairpad/api/ports";

const HOUR_SECONDS = 3600;

export interface RecipientBudgetSettings {
  /** The shared limiter (Redis with several nodes), so the budget holds whichever node sends. */
  rateLimiter: RateLimiter;
  /** Account emails one address may be sent an hour (ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS). */
  perHour: number;
  /** The same on every node (the auth secret): keys of one address agree between nodes. */
  secret: string;
}

/** What the budget says about one more email to an address. */
export type RecipientDecision = "send" | "suppress" | "suppress-first";

/**
 * Account emails to one address an hour, whoever asks and from wherever: the per-client limits
 * cannot stop many clients filling one inbox. Counted under a keyed hash of the address, so neither
 * the address nor a hash anyone could compute from a list of addresses reaches Redis.
 */
export class RecipientBudget {
  constructor(private readonly settings: RecipientBudgetSettings) {}

  /** `suppress-first`: the first refusal of this address's hour (worth one log line), else `suppress`. */
  async take(address: string): Promise<RecipientDecision> {
    const key = this.keyOf(address);
    const { rateLimiter, perHour } = this.settings;
    try {
      const decision = await rateLimiter.hit(`account-mail-to:${key}`, perHour, HOUR_SECONDS);
      if (decision.allowed) return "send";
      const first = await rateLimiter.hit(`account-mail-suppressed:${key}`, 1, HOUR_SECONDS);
      return first.allowed ? "suppress-first" : "suppress";
    } catch (error) {
      // Thrown on without the key, in case the store's message quotes it.
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(message.replaceAll(key, "[key]").slice(0, 300));
    }
  }

  /** The address as every node keys it: trimmed, lower case, HMAC'd with the shared secret. */
  keyOf(address: string): string {
    const normalized = address.trim().normalize("NFC").toLowerCase();
    return createHmac("sha256", this.settings.secret)
      .update(`account-email-recipient:${normalized}`)
      .digest("base64url");
  }
}
