import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { authUsers } from "@pairpad/db/schema";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { signUp, startTestServer } from "./testing.ts";
import { Browser, startIdentityProvider } from "./testing-identity-provider.ts";

const client = { clientId: "pairpad", clientSecret: "pairpad-client-secret-for-the-test" };

for (const target of testDatabaseTargets()) {
  describe(`single sign-on through OpenID Connect (${target.name})`, () => {
    let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
    let server: RunningServer;

    beforeAll(async () => {
      idp = await startIdentityProvider([
        { login: "ada", email: "ada@corp.example", name: "Ada Lovelace" },
        { login: "grace", email: "grace@corp.example", name: "Grace Hopper" },
        { login: "linus", email: "linus@corp.example", name: "Linus" },
      ]);
      server = await startTestServer(target, {
        SIGNUP: "invite",
        SIGNIN_ATTEMPTS_PER_MINUTE: 1000,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: client.clientId,
        OIDC_CLIENT_SECRET: client.clientSecret,
      });
      await idp.registerClient({ ...client, redirectUri: `${server.url}/api/auth/callback/oidc` });
    });
    afterAll(async () => {
      await server.stop();
      await idp.close();
    });

    /** The sign-in page's button, then the provider's sign-in and consent forms, as a browser does. */
    async function signInWithSso(login: string) {
      const browser = new Browser();
      const start = await browser.request(`${server.url}/api/auth/sign-in/social`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        // As the web client's button sends it: refusals come back to the sign-in page by default.
        body: JSON.stringify({ provider: "oidc", callbackURL: "/" }),
      });
      expect(start.status).toBe(200);
      const { url } = (await start.json()) as { url: string };
      expect(url.startsWith(`${idp.issuer}/`)).toBe(true);
      const forms: string[] = [];
      const end = await browser.navigate(
        url,
        ({ fields }) => {
          forms.push(fields.prompt ?? "?");
          return fields.prompt === "login"
            ? { login, password: "any password" }
            : ({} as Record<string, string>);
        },
        // Back on one of Pairpad's pages: where the browser lands.
        (next) => next.origin === server.url && !next.pathname.startsWith("/api/auth/"),
      );
      return { landed: new URL(end.url), cookie: browser.cookieFor(server.url), forms };
    }

    const trpcQuery = async <T>(path: string, cookie: string): Promise<T> => {
      const response = await fetch(`${server.url}/trpc/${path}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return ((await response.json()) as { result: { data: T } }).result.data;
    };

    test("the instance says single sign-on is on", async () => {
      const info = await (await fetch(`${server.url}/api/instance`)).json();
      expect(info).toEqual({
        signup: "invite",
        sso: true,
        firstAccount: true,
        anonymousSessions: true,
        emailVerification: false,
      });
    });

    test("the first account comes from the provider and owns the workspace; its cookie works on tRPC and REST", async () => {
      const ada = await signInWithSso("ada");
      // The provider showed its own sign-in and consent pages; the browser ends on Pairpad's home.
      expect(ada.forms).toEqual(["login", "consent"]);
      expect(ada.landed.pathname).toBe("/");
      expect(ada.cookie).toMatch(/pairpad\.session_token=/);

      const me = await trpcQuery<{ kind: string; user: { email: string; name: string }; role: string }>(
        "workspace.me",
        ada.cookie,
      );
      expect(me).toMatchObject({
        kind: "member",
        user: { email: "ada@corp.example", name: "Ada Lovelace" },
        role: "owner",
      });
      // The sign-in opened her workspace (not left to a fallback).
      const session = (await (
        await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: ada.cookie } })
      ).json()) as { session: { activeOrganizationId: string | null } };
      expect(session.session.activeOrganizationId).toBeString();

      const made = await fetch(`${server.url}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: ada.cookie },
        body: JSON.stringify({ title: "SSO loop" }),
      });
      expect(made.status).toBe(201);
      const listed = (await (
        await fetch(`${server.url}/api/interviews`, { headers: { cookie: ada.cookie } })
      ).json()) as { items: Array<{ title: string; createdBy: { name: string } | null }> };
      expect(listed.items.map((i) => `${i.title} by ${i.createdBy?.name}`)).toEqual([
        "SSO loop by Ada Lovelace",
      ]);

      // Signing in again is the same account, not a second one.
      const again = await signInWithSso("ada");
      expect((await trpcQuery<{ user: { email: string } }>("workspace.me", again.cookie)).user.email).toBe(
        "ada@corp.example",
      );
      const users = await server.deps.db.select({ email: authUsers.email }).from(authUsers);
      expect(users.map((u) => u.email)).toEqual(["ada@corp.example"]);
    });

    test("SIGNUP=invite holds for SSO: a newcomer without an invitation is refused, with one joins", async () => {
      const refused = await signInWithSso("grace");
      expect(refused.landed.pathname).toBe("/signin");
      expect(refused.landed.searchParams.get("error")).toBe("SIGNUP_NEEDS_INVITATION");
      expect(refused.cookie).not.toMatch(/session_token/);

      const owner = await signInWithSso("ada");
      const invitation = (await (
        await fetch(`${server.url}/api/workspace/invitations`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: owner.cookie },
          body: JSON.stringify({ email: "grace@corp.example", role: "interviewer" }),
        })
      ).json()) as { id: string };
      const grace = await signInWithSso("grace");
      expect(grace.landed.pathname).toBe("/");
      const accepted = await fetch(`${server.url}/api/workspace/invitations/${invitation.id}/accept`, {
        method: "POST",
        headers: { cookie: grace.cookie },
      });
      expect(accepted.status).toBe(200);
      const members = (await (
        await fetch(`${server.url}/api/workspace/members`, { headers: { cookie: grace.cookie } })
      ).json()) as { members: Array<{ name: string; role: string }> };
      expect(members.members.map((m) => `${m.name}:${m.role}`)).toEqual([
        "Ada Lovelace:owner",
        "Grace Hopper:interviewer",
      ]);
    });

    test("email sign-up stays under the same policy beside SSO", async () => {
      await expect(signUp(server, { email: "linus@corp.example" })).rejects.toThrow(/403/);
    });
  });

  describe(`single sign-on whose provider is unreachable at start (${target.name})`, () => {
    test("the server starts, says SSO is off, and email sign-in still works", async () => {
      // A port that was just free: nothing answers there.
      const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
      const issuer = `http://127.0.0.1:${probe.port}`;
      await probe.stop(true);
      const server = await startTestServer(target, {
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: client.clientId,
        OIDC_CLIENT_SECRET: client.clientSecret,
      });
      try {
        const info = (await (await fetch(`${server.url}/api/instance`)).json()) as { sso: boolean };
        expect(info.sso).toBe(false);
        const start = await fetch(`${server.url}/api/auth/sign-in/social`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ provider: "oidc", callbackURL: "/" }),
        });
        expect(start.status).toBeGreaterThanOrEqual(400);
        expect(start.status).toBeLessThan(500);
        await signUp(server, { email: "first@corp.example" });
      } finally {
        await server.stop();
      }
    });
  });
}
