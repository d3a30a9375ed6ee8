import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { createEmailVerificationToken } from "better-auth/api";
import { parseTrustedProxies } from "./client-address.ts";
import type { RunningServer } from "./main.ts";
import { cookieOf, eventually, startTestServer } from "./testing.ts";
import {
  type MailServer,
  postAuth,
  signUpVerified,
  startMailedServer,
  verificationLinkIn,
  verifyByLink,
} from "./testing-mail-server.ts";

const AUTH_SECRET = `verify-secret-${crypto.randomUUID()}`;
const PASSWORD = "correct horse battery";

for (const target of testDatabaseTargets()) {
  describe(`email verification (${target.name})`, () => {
    let mail: MailServer;
    let server: RunningServer;
    let logs: string[] = [];
    /** Every link and token mailed: none may reach a log line. */
    const secrets: string[] = [];
    let stop = async () => {};
    let clients = 0;
    /** Each test its own client address (TRUSTED_PROXIES=loopback), so per-client limits are its own. */
    const client = () => ({ "x-forwarded-for": `203.0.113.${++clients}` });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      postAuth(server, path, body, headers);
    const signUp = (email: string, headers: Record<string, string>, password = PASSWORD) =>
      post("/sign-up/email", { email, password, name: email.split("@")[0] }, headers);
    const signIn = (email: string, headers: Record<string, string>, password = PASSWORD) =>
      post("/sign-in/email", { email, password }, headers);
    /** The newest verification link mailed to an address after `seen` emails to it. */
    const nextLink = (address: string, seen: number) =>
      eventually(() => {
        const link = mail.to(address).slice(seen).map(verificationLinkIn).find(Boolean);
        if (!link) throw new Error(`no verification email to ${address}`);
        secrets.push(link, new URL(link).searchParams.get("token") ?? "", address);
        return link;
      });

    beforeAll(async () => {
      ({ mail, server, logs, stop } = await startMailedServer(target, { AUTH_SECRET }));
    });
    afterAll(() => stop());

    test("a sign-up is mailed a link to PUBLIC_URL; signing in waits for it; opened, it verifies once", async () => {
      const headers = client();
      expect(server.env.EMAIL_VERIFICATION).toBe("required");
      const instance = await (await fetch(`${server.url}/api/instance`)).json();
      expect(instance).toMatchObject({ emailVerification: true });

      const signedUp = await signUp("ada@a.example", headers);
      expect(signedUp.status).toBe(200);
      // No session before the address is proven.
      expect(cookieOf(signedUp)).toBe("");
      expect(await signedUp.json()).toMatchObject({
        token: null,
        user: { email: "ada@a.example", emailVerified: false },
      });
      const link = await nextLink("ada@a.example", 0);
      const [email] = mail.to("ada@a.example");
      expect(email?.subject).toBe("Confirm your email address for Pairpad");
      expect(email?.from?.value).toEqual([{ address: "accounts@pairpad.example", name: "Pairpad" }]);
      expect(link.startsWith(`${server.env.PUBLIC_URL}/verify-email?token=`)).toBe(true);
      expect(String(email?.html)).toContain(`href="${link.replaceAll("&", "&amp;")}"`);

      const early = await signIn("ada@a.example", headers);
      expect(early.status).toBe(403);
      expect(cookieOf(early)).toBe("");
      expect(await early.json()).toMatchObject({ code: "EMAIL_NOT_VERIFIED" });

      const verified = await verifyByLink(server, link);
      expect(verified.status).toBe(200);
      expect(await verified.json()).toMatchObject({ status: true });
      // Verifying opens no session: the password does.
      expect(cookieOf(verified)).toBe("");

      const again = await verifyByLink(server, link);
      expect(again.status).toBe(401);
      expect(await again.json()).toMatchObject({ code: "TOKEN_USED" });

      const signedIn = await signIn("ada@a.example", headers);
      expect(signedIn.status).toBe(200);
      const me = await fetch(`${server.url}/api/workspace/me`, { headers: { cookie: cookieOf(signedIn) } });
      expect(await me.json()).toMatchObject({ kind: "member", user: { email: "ada@a.example" } });
    });

    test("refused for an unverified address, sign-in points to a new link, which is limited per client", async () => {
      const headers = client();
      expect((await signUp("bob@b.example", headers)).status).toBe(200);
      const first = await nextLink("bob@b.example", 0);
      const resent = await post("/send-verification-email", { email: "bob@b.example" }, headers);
      expect(resent.status).toBe(200);
      // Made in the same second as the first, the new link may be the same token: either works once.
      const second = await nextLink("bob@b.example", 1);
      expect(second.startsWith(first.split("?")[0] ?? "")).toBe(true);
      expect((await verifyByLink(server, second)).status).toBe(200);
      expect((await signIn("bob@b.example", headers)).status).toBe(200);

      // Sign-ups and links asked for share one budget per client (3 a minute here): the fourth waits.
      expect((await post("/send-verification-email", { email: "bob@b.example" }, headers)).status).toBe(200);
      const limited = await post("/send-verification-email", { email: "bob@b.example" }, headers);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBeTruthy();
      // Another client is not held back by this one.
      expect((await post("/send-verification-email", { email: "bob@b.example" }, client())).status).toBe(200);
    });

    test("signing up with a taken address answers as a new sign-up would, and emails the owner instead", async () => {
      const owner = client();
      expect((await signUp("cleo@c.example", owner)).status).toBe(200);
      await nextLink("cleo@c.example", 0);
      const mailsBefore = mail.to("cleo@c.example").length;

      const intruder = client();
      const fresh = await signUp("dora@d.example", intruder, "another password 1");
      const taken = await signUp("cleo@c.example", intruder, "another password 1");
      expect(taken.status).toBe(fresh.status);
      expect(cookieOf(taken)).toBe("");
      const freshBody = (await fresh.json()) as { token: unknown; user: Record<string, unknown> };
      const takenBody = (await taken.json()) as { token: unknown; user: Record<string, unknown> };
      expect(Object.keys(takenBody).sort()).toEqual(Object.keys(freshBody).sort());
      expect(Object.keys(takenBody.user).sort()).toEqual(Object.keys(freshBody.user).sort());
      expect(takenBody).toMatchObject({
        token: null,
        user: { email: "cleo@c.example", emailVerified: false },
      });

      const notice = await eventually(() => {
        const found = mail.to("cleo@c.example")[mailsBefore];
        if (!found) throw new Error("no notice yet");
        return found;
      });
      expect(notice.subject).toBe("Someone tried to sign up to Pairpad with your address");
      expect(notice.text).toContain(`${server.env.PUBLIC_URL}/signin`);
      expect(verificationLinkIn(notice)).toBe("");
      // The intruder's password opens nothing; the owner's account is as it was.
      expect((await signIn("cleo@c.example", intruder, "another password 1")).status).toBe(401);
      // A name that would be refused for a new address is refused for a taken one too.
      const badName = await post(
        "/sign-up/email",
        { email: "cleo@c.example", password: PASSWORD, name: "   " },
        client(),
      );
      const badNameFresh = await post(
        "/sign-up/email",
        { email: "eve@e.example", password: PASSWORD, name: "   " },
        client(),
      );
      expect(badName.status).toBe(400);
      expect(badNameFresh.status).toBe(400);
    });

    test("an expired or altered link is refused, saying which", async () => {
      const headers = client();
      expect((await signUp("finn@f.example", headers)).status).toBe(200);
      const link = await nextLink("finn@f.example", 0);
      const token = new URL(link).searchParams.get("token") ?? "";
      // better-auth's own token maker, with a lifetime that ended a minute ago.
      const expired = await createEmailVerificationToken(AUTH_SECRET, "finn@f.example", undefined, -60);
      const late = await verifyByLink(server, `${server.url}/verify-email?token=${expired}`);
      expect(late.status).toBe(401);
      expect(await late.json()).toMatchObject({ code: "TOKEN_EXPIRED" });
      const altered = await verifyByLink(server, `${server.url}/verify-email?token=${token.slice(0, -2)}xx`);
      expect(altered.status).toBe(401);
      expect(await altered.json()).toMatchObject({ code: "INVALID_TOKEN" });
      expect((await signIn("finn@f.example", headers)).status).toBe(403);
    });

    test("an invitation is accepted only by a verified account with its address", async () => {
      const owner = await signUpVerified(server, mail, { email: "gail@g.example", name: "Gail" }, client());
      const invited = await fetch(`${server.url}/api/workspace/invitations`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: owner },
        body: JSON.stringify({ email: "hal@h.example", role: "interviewer" }),
      });
      expect(invited.status).toBe(201);
      const { id } = (await invited.json()) as { id: string };
      const accept = (cookie: string) =>
        fetch(`${server.url}/api/workspace/invitations/${id}/accept`, {
          method: "POST",
          headers: { cookie },
        });

      // Someone else's verified account may not take it.
      const other = await signUpVerified(server, mail, { email: "ivy@i.example" }, client());
      expect((await accept(other)).status).toBe(403);
      // Unverified, the invitee has no session to accept with; verified, joins.
      const headers = client();
      expect((await signUp("hal@h.example", headers)).status).toBe(200);
      expect((await signIn("hal@h.example", headers)).status).toBe(403);
      expect((await verifyByLink(server, await nextLink("hal@h.example", 0))).status).toBe(200);
      const signedIn = await signIn("hal@h.example", headers);
      expect(signedIn.status).toBe(200);
      const joined = await accept(cookieOf(signedIn));
      expect(joined.status).toBe(200);
    });

    test("SIGNUP=invite still says so, for a new and a taken address alike; an invited one is mailed its link", async () => {
      const invite = await startTestServer(target, {
        SIGNUP: "invite",
        TRUSTED_PROXIES: parseTrustedProxies("loopback"),
        SMTP_URL: mail.url,
        SMTP_FROM: "Pairpad <accounts@pairpad.example>",
      });
      try {
        // The first account is always made: it owns the server's workspace.
        const owner = await signUpVerified(invite, mail, { email: "kim@k.example" }, client());
        const attempt = async (email: string) => {
          const response = await fetch(`${invite.url}/api/auth/sign-up/email`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: invite.url, ...client() },
            body: JSON.stringify({ email, password: PASSWORD, name: "Someone" }),
          });
          return { status: response.status, body: (await response.json()) as { code?: string } };
        };
        const fresh = await attempt("lou@l.example");
        const taken = await attempt("kim@k.example");
        expect(fresh).toMatchObject({ status: 403, body: { code: "SIGNUP_NEEDS_INVITATION" } });
        expect(taken).toEqual(fresh);

        const invited = await fetch(`${invite.url}/api/workspace/invitations`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: owner },
          body: JSON.stringify({ email: "lou@l.example", role: "interviewer" }),
        });
        expect(invited.status).toBe(201);
        const seen = mail.to("lou@l.example").length;
        expect((await attempt("lou@l.example")).status).toBe(200);
        expect(await nextLink("lou@l.example", seen)).toContain("/verify-email?token=");
      } finally {
        await invite.stop();
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
