import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { testDatabaseTargets } from "@pairpad/db/testing";
import Redis from "ioredis";
import { LocalRateLimiter } from "./limits/rate-limiter.ts";
import { RecipientBudget } from "./mail/recipient-budget.ts";
import type { RunningServer } from "./main.ts";
import { cookieOf, eventually, metricValue } from "./testing.ts";
import { type MailServer, postAuth, startMailedServer } from "./testing-mail-server.ts";

const AUTH_SECRET = `budget-secret-${crypto.randomUUID()}`;
const PASSWORD = "correct horse battery";
const PER_HOUR = 5;
const SUPPRESSED_LOG =
  "account emails to one address past the hourly budget; the rest of its hour is not sent";
const redisUrl = process.env.REDIS_URL;

/** What a client can tell of an answer: status, headers and body, less what differs on every request. */
async function answerOf(response: Response) {
  const volatile = new Set(["date", "x-request-id"]);
  const headers = [...response.headers.entries()].filter(([name]) => !volatile.has(name));
  const body = JSON.parse(await response.text(), (key, value) =>
    ["id", "createdAt", "updatedAt"].includes(key) && typeof value === "string" ? `<${key}>` : value,
  );
  return { status: response.status, headers: Object.fromEntries(headers), body };
}

/** The account-email counter of a server's /metrics for one kind and outcome. */
const accountEmails = (server: { url: string }, kind: string, outcome: string) =>
  metricValue(server, "pairpad_account_emails_total", { kind, outcome });

for (const target of testDatabaseTargets()) {
  describe(`account emails to one address an hour (${target.name})`, () => {
    // Real Redis when there is one: the budget is the shared limiter's, whichever node sends.
    const prefix = `pairpad-test-${crypto.randomUUID()}:`;
    const redisEnv = redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: prefix } : {};
    let mail: MailServer;
    let server: RunningServer;
    let logs: string[] = [];
    let stop = async () => {};
    let clients = 0;
    /** Every request its own client (TRUSTED_PROXIES=loopback): the per-client limits never bite. */
    const client = () => ({ "x-forwarded-for": `192.0.2.${++clients}` });
    const victim = `vic-${target.name}@v.example`;

    const signUp = (srv: { url: string }, email: string, password = PASSWORD) =>
      postAuth(srv, "/sign-up/email", { email, password, name: "Vic" }, client());
    const resend = (email: string) => postAuth(server, "/send-verification-email", { email }, client());
    const requestReset = (email: string) => postAuth(server, "/request-password-reset", { email }, client());
    const mailsTo = (address: string, count: number) =>
      eventually(() => {
        expect(mail.to(address).length).toBe(count);
      });

    beforeAll(async () => {
      ({ mail, server, logs, stop } = await startMailedServer(target, {
        AUTH_SECRET,
        ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: PER_HOUR,
        ...redisEnv,
      }));
    });
    afterAll(() => stop());

    test("an address gets 5 emails from many clients, then none, with answers exactly as before", async () => {
      // Under the budget: a sign-up, a new link, a taken-address sign-up, a reset, another taken one.
      const fresh = await signUp(server, victim);
      expect(fresh.status).toBe(200);
      await mailsTo(victim, 1);
      const resentBefore = await answerOf(await resend(victim));
      expect(resentBefore.status).toBe(200);
      await mailsTo(victim, 2);
      const takenFirst = await signUp(server, victim, "another password 1");
      expect(takenFirst.status).toBe(200);
      await mailsTo(victim, 3);
      const resetBefore = await answerOf(await requestReset(victim));
      expect(resetBefore.status).toBe(200);
      await mailsTo(victim, 4);
      const takenBefore = await answerOf(await signUp(server, victim, "another password 2"));
      await mailsTo(victim, PER_HOUR);
      expect(mail.to(victim).map((m) => m.subject)).toEqual([
        "Confirm your email address for Pairpad",
        "Confirm your email address for Pairpad",
        "Someone tried to sign up to Pairpad with your address",
        "Reset your Pairpad password",
        "Someone tried to sign up to Pairpad with your address",
      ]);

      // Past it, each way of asking answers as it did, and nothing more reaches the inbox.
      const takenAfter = await answerOf(await signUp(server, victim, "another password 3"));
      const resentAfter = await answerOf(await resend(victim));
      const resetAfter = await answerOf(await requestReset(victim));
      expect(takenAfter).toEqual(takenBefore);
      expect(takenAfter.body).toMatchObject({ token: null, user: { email: victim } });
      expect(resentAfter).toEqual(resentBefore);
      expect(resetAfter).toEqual(resetBefore);
      // Counted once each was decided (the reset's email is not awaited by its answer).
      await eventually(async () => {
        expect({
          existing: await accountEmails(server, "existing-account", "suppressed"),
          verification: await accountEmails(server, "verification", "suppressed"),
          reset: await accountEmails(server, "password-reset", "suppressed"),
        }).toEqual({ existing: 1, verification: 1, reset: 1 });
      });
      expect(mail.to(victim).length).toBe(PER_HOUR);
      expect(await accountEmails(server, "existing-account", "sent")).toBe(2);

      // Another address is not held back by this one's budget.
      const other = `other-${target.name}@o.example`;
      expect((await signUp(server, other)).status).toBe(200);
      await mailsTo(other, 1);
      expect(mail.to(other)[0]?.subject).toBe("Confirm your email address for Pairpad");
      expect(cookieOf(takenFirst)).toBe("");
    });

    test("suppression is logged once for the address's hour, and neither the address nor a hash of it is logged or stored", async () => {
      expect((await signUp(server, victim, "another password 4")).status).toBe(200);
      await eventually(async () => {
        expect(await accountEmails(server, "existing-account", "suppressed")).toBe(2);
      });
      const warnings = logs.filter((line) => line.includes(SUPPRESSED_LOG));
      expect(warnings.length).toBe(1);
      expect(JSON.parse(warnings[0] ?? "{}")).toMatchObject({ level: "warn", kind: "existing-account" });

      const keyed = new RecipientBudget({
        rateLimiter: new LocalRateLimiter(),
        perHour: PER_HOUR,
        secret: AUTH_SECRET,
      }).keyOf(victim);
      const local = victim.split("@")[0] ?? victim;
      const forbidden = [
        victim,
        local,
        keyed,
        createHash("sha256").update(victim).digest("hex"),
        createHash("sha256").update(victim).digest("base64url"),
      ];
      const logged = logs.join("");
      expect(logged).toContain('"request"');
      for (const secret of forbidden) {
        expect({ secret, logged: logged.includes(secret) }).toEqual({ secret, logged: false });
      }
      if (!redisUrl) return;
      // In Redis the count is kept under the keyed hash, never under the address.
      const redis = new Redis(redisUrl);
      try {
        const keys = await redis.keys(`${prefix}*`);
        expect(keys.some((key) => key.includes(keyed))).toBe(true);
        expect(keys.filter((key) => key.includes(local) || key.includes("@"))).toEqual([]);
      } finally {
        redis.disconnect();
      }
    });

    test.skipIf(!redisUrl)("another node sharing Redis keeps the same budget for the address", async () => {
      const second = await startMailedServer(target, {
        AUTH_SECRET,
        ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS: PER_HOUR,
        ...redisEnv,
      });
      try {
        // A new account on that node's database, so a verification email: held back all the same.
        const answer = await signUp(second.server, victim);
        expect(answer.status).toBe(200);
        await eventually(async () => {
          expect(await accountEmails(second.server, "verification", "suppressed")).toBe(1);
        });
        expect(second.mail.to(victim)).toEqual([]);
        // Noted once for the hour across nodes: this node does not log it again.
        expect(second.logs.filter((line) => line.includes(SUPPRESSED_LOG))).toEqual([]);
        // Its other addresses are mailed as usual.
        const other = `third-${target.name}@t.example`;
        expect((await signUp(second.server, other)).status).toBe(200);
        await eventually(() => {
          expect(second.mail.to(other).length).toBe(1);
        });
      } finally {
        await second.stop();
      }
    });
  });
}
