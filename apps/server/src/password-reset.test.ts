import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { sweepExpiredVerifications } from "@pairpad/api/auth/verifications";
import { authUsers, authVerifications } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { eq, inArray } from "drizzle-orm";
import { parseTrustedProxies } from "./client-address.ts";
import type { RunningServer } from "./main.ts";
import { cookieOf, eventually, startTestServer } from "./testing.ts";
import { Browser, startIdentityProvider } from "./testing-identity-provider.ts";
import {
  type MailServer,
  postAuth,
  resetLinkIn,
  signUpVerified,
  startMailedServer,
  startMailServer,
  verificationLinkIn,
} from "./testing-mail-server.ts";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";

for (const target of testDatabaseTargets()) {
  describe(`password reset by email (${target.name})`, () => {
    let mail: MailServer;
    let server: RunningServer;
    let logs: string[] = [];
    /** Every link, token and address mailed: none may reach a log line. */
    const secrets: string[] = [];
    let stop = async () => {};
    let clients = 0;
    /** Each test its own client address (TRUSTED_PROXIES=loopback), so per-client limits are its own. */
    const client = () => ({ "x-forwarded-for": `198.51.100.${++clients}` });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      postAuth(server, path, body, headers);
    const signIn = (email: string, password: string, headers = client()) =>
      post("/sign-in/email", { email, password }, headers);
    const requestReset = (email: string, headers = client()) =>
      post("/request-password-reset", { email }, headers);
    /** What the `/reset-password` page does with its link: the token and the new password to better-auth. */
    const resetByLink = (link: string, newPassword: string) =>
      post("/reset-password", { token: new URL(link).searchParams.get("token"), newPassword }, client());
    /** The session a cookie holds (null once it was signed out). */
    const sessionOf = async (cookie: string) =>
      (await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } })).json();
    /** The reset link in the first email to an address after `seen` emails to it. */
    const nextResetLink = (address: string, seen: number) =>
      eventually(() => {
        const link = mail.to(address).slice(seen).map(resetLinkIn).find(Boolean);
        if (!link) throw new Error(`no reset email to ${address}`);
        secrets.push(link, new URL(link).searchParams.get("token") ?? "", address);
        return link;
      });

    beforeAll(async () => {
      ({ mail, server, logs, stop } = await startMailedServer(target));
    });
    afterAll(() => stop());

    test("the emailed link sets a new password once, signs out every session, and the old password stops working", async () => {
      const instance = await (await fetch(`${server.url}/api/instance`)).json();
      expect(instance).toMatchObject({ passwordReset: true, emailVerification: true });
      const laptop = await signUpVerified(
        server,
        mail,
        { email: "ada@a.example", password: PASSWORD },
        client(),
      );
      const phone = cookieOf(await signIn("ada@a.example", PASSWORD));
      expect(await sessionOf(phone)).toMatchObject({ user: { email: "ada@a.example" } });
      const seen = mail.to("ada@a.example").length;

      // An address without an account gets the same answer (and no email).
      const unknown = await requestReset("nobody@a.example");
      const known = await requestReset("ada@a.example");
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(known.status);
      expect(await unknown.json()).toEqual(await known.json());
      const link = await nextResetLink("ada@a.example", seen);
      expect(mail.to("nobody@a.example")).toEqual([]);
      const email = mail.to("ada@a.example")[seen];
      expect(email?.subject).toBe("Reset your Pairpad password");
      expect(link.startsWith(`${server.env.PUBLIC_URL}/reset-password?token=`)).toBe(true);
      expect(String(email?.html)).toContain(`href="${link}"`);

      // A mail scanner fetching the link spends nothing: it is a page, the reset is a POST.
      await fetch(link);
      // The sign-up rules: too short is refused, and the link still works after.
      const short = await resetByLink(link, "short");
      expect(short.status).toBe(400);
      expect(await short.json()).toMatchObject({ code: "PASSWORD_TOO_SHORT" });
      expect((await resetByLink(link, "x".repeat(129))).status).toBe(400);

      const done = await resetByLink(link, NEW_PASSWORD);
      expect(done.status).toBe(200);
      // Resetting opens no session: signing in does.
      expect(cookieOf(done)).toBe("");
      expect(await sessionOf(laptop)).toBeNull();
      expect(await sessionOf(phone)).toBeNull();

      const again = await resetByLink(link, "yet another passphrase");
      expect(again.status).toBe(400);
      expect(await again.json()).toMatchObject({ code: "INVALID_TOKEN" });
      expect((await signIn("ada@a.example", PASSWORD)).status).toBe(401);
      expect((await signIn("ada@a.example", "yet another passphrase")).status).toBe(401);
      const signedIn = await signIn("ada@a.example", NEW_PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(await sessionOf(cookieOf(signedIn))).toMatchObject({ user: { email: "ada@a.example" } });
    });

    test("an expired link is refused and changes nothing", async () => {
      await signUpVerified(server, mail, { email: "bob@b.example", password: PASSWORD }, client());
      const seen = mail.to("bob@b.example").length;
      expect((await requestReset("bob@b.example")).status).toBe(200);
      const link = await nextResetLink("bob@b.example", seen);
      expect(mail.to("bob@b.example")[seen]?.text).toContain("The link works once, until");
      // The row keeps a hash of better-auth's identifier, never the token: a minute past its end.
      const token = new URL(link).searchParams.get("token") ?? "";
      const stored = createHash("sha256").update(`reset-password:${token}`).digest("base64url");
      const [row] = await server.deps.db
        .select()
        .from(authVerifications)
        .where(inArray(authVerifications.identifier, [stored, `reset-password:${token}`]));
      expect(row?.identifier).toBe(stored);
      await server.deps.db
        .update(authVerifications)
        .set({ expiresAt: new Date(Date.now() - 60_000) })
        .where(inArray(authVerifications.identifier, [stored]));

      const late = await resetByLink(link, NEW_PASSWORD);
      expect(late.status).toBe(400);
      expect(await late.json()).toMatchObject({ code: "INVALID_TOKEN" });
      expect((await signIn("bob@b.example", NEW_PASSWORD)).status).toBe(401);
      expect((await signIn("bob@b.example", PASSWORD)).status).toBe(200);
    });

    test("reset emails share the per-client budget of sign-ups", async () => {
      const headers = client();
      for (let i = 0; i < 3; i++) expect((await requestReset("carl@c.example", headers)).status).toBe(200);
      const limited = await requestReset("carl@c.example", headers);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBeTruthy();
      expect((await requestReset("carl@c.example")).status).toBe(200);
    });

    test("an address squatted by an unverified sign-up: the owner's existing-account email resets it, and the account is theirs", async () => {
      const victim = "vera@v.example";
      const attacker = client();
      const squatted = await post(
        "/sign-up/email",
        { email: victim, password: "attacker's password", name: "Vera" },
        attacker,
      );
      expect(squatted.status).toBe(200);
      // The squatter's verification link went to the owner's mailbox; they do not open it.
      await eventually(() => {
        if (!verificationLinkIn(mail.to(victim)[0] ?? ({} as never))) throw new Error("no email yet");
      });
      secrets.push(verificationLinkIn(mail.to(victim)[0] ?? ({} as never)));

      // The owner signs up: answered as any sign-up, and mailed that the address has an account.
      const owner = client();
      const seen = mail.to(victim).length;
      const signedUp = await post(
        "/sign-up/email",
        { email: victim, password: PASSWORD, name: "Vera" },
        owner,
      );
      expect(signedUp.status).toBe(200);
      const link = await nextResetLink(victim, seen);
      const notice = mail.to(victim)[seen];
      expect(notice?.subject).toBe("Someone tried to sign up to Pairpad with your address");
      expect(notice?.text).toContain(`${server.env.PUBLIC_URL}/signin`);
      expect(String(notice?.html)).toContain(`href="${link}"`);
      expect((await signIn(victim, PASSWORD, owner)).status).toBe(401);

      expect((await resetByLink(link, PASSWORD)).status).toBe(200);
      const signedIn = await signIn(victim, PASSWORD, owner);
      expect(signedIn.status).toBe(200);
      expect(await sessionOf(cookieOf(signedIn))).toMatchObject({
        user: { email: victim, emailVerified: true },
      });
      const attempt = await signIn(victim, "attacker's password", attacker);
      expect(attempt.status).toBe(401);
      expect(cookieOf(attempt)).toBe("");
    });

    test("the sweep deletes expired verification rows (used-link marks included) and keeps live ones", async () => {
      const now = new Date();
      const row = (id: string, identifier: string, offsetMs: number) => ({
        id,
        identifier,
        value: "x",
        expiresAt: new Date(now.getTime() + offsetMs),
        createdAt: now,
        updatedAt: now,
      });
      const ids = ["sweep-live", "sweep-used-live", "sweep-expired", "sweep-used-expired"];
      await server.deps.db
        .insert(authVerifications)
        .values([
          row("sweep-live", "reset-hash-live", 3_600_000),
          row("sweep-used-live", "email-verification-used:live", 86_400_000),
          row("sweep-expired", "reset-hash-expired", -1000),
          row("sweep-used-expired", "email-verification-used:old", -1000),
        ]);
      expect(await sweepExpiredVerifications(server.deps.db, now)).toBeGreaterThanOrEqual(2);
      const left = await server.deps.db
        .select({ id: authVerifications.id })
        .from(authVerifications)
        .where(inArray(authVerifications.id, ids));
      expect(left.map((r) => r.id).sort()).toEqual(["sweep-live", "sweep-used-live"]);
    });

    test("without a mail server the option is not offered and the endpoint says why", async () => {
      const plain = await startTestServer(target, { TRUSTED_PROXIES: parseTrustedProxies("loopback") });
      try {
        const instance = await (await fetch(`${plain.url}/api/instance`)).json();
        expect(instance).toMatchObject({ passwordReset: false, emailVerification: false });
        const refused = await fetch(`${plain.url}/api/auth/request-password-reset`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: plain.url },
          body: JSON.stringify({ email: "ada@a.example" }),
        });
        expect(refused.status).toBe(404);
        expect(await refused.json()).toMatchObject({ code: "PASSWORD_RESET_UNAVAILABLE" });
      } finally {
        await plain.stop();
      }
    });

    test("no link, token or address of these emails reached a log line", () => {
      const logged = logs.join("");
      expect(logged).toContain('"request"');
      expect(secrets.length).toBeGreaterThan(5);
      for (const secret of secrets.filter(Boolean)) {
        expect({ secret, logged: logged.includes(secret) }).toEqual({ secret, logged: false });
      }
    });
  });
}

for (const target of testDatabaseTargets()) {
  describe(`password reset of a single sign-on account (${target.name})`, () => {
    const client = { clientId: "pairpad", clientSecret: "pairpad-client-secret-for-the-test" };
    let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
    let mail: MailServer;
    let server: RunningServer;

    beforeAll(async () => {
      idp = await startIdentityProvider([{ login: "ada", email: "ada@corp.example", name: "Ada Lovelace" }]);
      mail = await startMailServer({ user: "pairpad", password: `pw-${crypto.randomUUID()}` });
      server = await startTestServer(target, {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: client.clientId,
        OIDC_CLIENT_SECRET: client.clientSecret,
        SMTP_URL: mail.url,
        SMTP_FROM: "Pairpad <accounts@pairpad.example>",
      });
      await idp.registerClient({ ...client, redirectUri: `${server.url}/api/auth/callback/oidc` });
    });
    afterAll(async () => {
      await server.stop();
      await mail.close();
      await idp.close();
    });

    test("is answered as any other request, and emailed to use single sign-on, with no link that would add a password", async () => {
      const browser = new Browser();
      const start = await browser.request(`${server.url}/api/auth/sign-in/social`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ provider: "oidc", callbackURL: "/" }),
      });
      const { url } = (await start.json()) as { url: string };
      await browser.navigate(
        url,
        ({ fields }) =>
          fields.prompt === "login" ? { login: "ada", password: "any" } : ({} as Record<string, string>),
        (next) => next.origin === server.url && !next.pathname.startsWith("/api/auth/"),
      );
      const [ada] = await server.deps.db
        .select({ id: authUsers.id })
        .from(authUsers)
        .where(eq(authUsers.email, "ada@corp.example"));
      expect(ada).toBeDefined();

      const ask = (email: string) =>
        fetch(`${server.url}/api/auth/request-password-reset`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ email }),
        });
      const unknown = await ask("nobody@corp.example");
      const sso = await ask("ada@corp.example");
      expect(sso.status).toBe(200);
      expect(await sso.json()).toEqual(await unknown.json());
      const notice = await eventually(() => {
        const found = mail.to("ada@corp.example")[0];
        if (!found) throw new Error("no email yet");
        return found;
      });
      expect(notice.subject).toBe("Your Pairpad account signs in with single sign-on");
      expect(resetLinkIn(notice)).toBe("");
      // The token better-auth made for it is withdrawn.
      const tokens = await server.deps.db
        .select({ id: authVerifications.id })
        .from(authVerifications)
        .where(eq(authVerifications.value, ada?.id ?? ""));
      expect(tokens).toEqual([]);

      // Someone signing up with the address: the owner is told, without a reset link either.
      const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ email: "ada@corp.example", password: PASSWORD, name: "Ada" }),
      });
      expect(signUp.status).toBe(200);
      const taken = await eventually(() => {
        const found = mail.to("ada@corp.example")[1];
        if (!found) throw new Error("no email yet");
        return found;
      });
      expect(taken.subject).toBe("Someone tried to sign up to Pairpad with your address");
      expect(resetLinkIn(taken)).toBe("");
    });
  });
}
