import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { signUp, startTestServer } from "./testing.ts";

const quiet = { SIGNIN_ATTEMPTS_PER_MINUTE: 1000 };

for (const target of testDatabaseTargets()) {
  describe(`instance policy (${target.name})`, () => {
    const call = (
      server: RunningServer,
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: unknown,
    ) =>
      fetch(`${server.url}/api${path}`, {
        method,
        headers: { "content-type": "application/json", origin: server.url, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const signUpStatus = async (server: RunningServer, email: string) => {
      const response = await call(
        server,
        "POST",
        "/auth/sign-up/email",
        {},
        {
          email,
          password: "correct horse battery",
          name: email.split("@")[0],
        },
      );
      return {
        status: response.status,
        body: (await response.json()) as { code?: string; message?: string },
      };
    };

    describe("SIGNUP=invite, ANONYMOUS_SESSIONS=false", () => {
      let server: RunningServer;
      let owner: string;
      let key: string;
      beforeAll(async () => {
        server = await startTestServer(target, { ...quiet, SIGNUP: "invite", ANONYMOUS_SESSIONS: false });
        owner = await signUp(server, { email: "owner@a.example", name: "Owner" });
        const created = await call(server, "POST", "/workspace/api-keys", { cookie: owner }, { name: "ats" });
        key = ((await created.json()) as { key: string }).key;
      });
      afterAll(() => server.stop());

      test("the instance tells the sign-in page its policy", async () => {
        expect(await (await call(server, "GET", "/instance")).json()).toEqual({
          signup: "invite",
          sso: false,
          firstAccount: false,
          anonymousSessions: false,
          emailVerification: false,
        });
      });

      test("sign-up is refused without an invitation and accepted with one", async () => {
        const refused = await signUpStatus(server, "stranger@b.example");
        expect(refused.status).toBe(403);
        expect(refused.body.message).toMatch(/invitation/);
        const invited = await call(
          server,
          "POST",
          "/workspace/invitations",
          { cookie: owner },
          { email: "carol@a.example", role: "interviewer" },
        );
        const { id } = (await invited.json()) as { id: string };
        expect((await signUpStatus(server, "carol@a.example")).status).toBe(200);
        // The address is taken by the invitation, not by any other: a stranger is still refused.
        expect((await signUpStatus(server, "stranger@b.example")).status).toBe(403);
        const carol = await fetch(`${server.url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ email: "carol@a.example", password: "correct horse battery" }),
        });
        const cookie = carol.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ");
        expect((await call(server, "POST", `/workspace/invitations/${id}/accept`, { cookie })).status).toBe(
          200,
        );
        const me = (await (await call(server, "GET", "/workspace/me", { cookie })).json()) as {
          role: string;
        };
        expect(me.role).toBe("interviewer");
      });

      test("anonymous sessions are refused with a clear message; members and API keys create", async () => {
        const anonymous = await call(server, "POST", "/sessions", {}, { title: "Quick" });
        expect(anonymous.status).toBe(401);
        expect(((await anonymous.json()) as { message: string }).message).toMatch(
          /workspace members and API keys only/,
        );
        expect(
          (await call(server, "POST", "/sessions", { cookie: owner }, { title: "By a member" })).status,
        ).toBe(201);
        expect(
          (await call(server, "POST", "/sessions", { authorization: `Bearer ${key}` }, { title: "By a key" }))
            .status,
        ).toBe(201);
      });

      test("running code outside a session needs a member or a key; a candidate runs inside a live session", async () => {
        const run = { language: "javascript", code: "console.log(6 * 7)" };
        const anonymous = await call(server, "POST", "/execute", {}, run);
        expect(anonymous.status).toBe(401);
        expect(((await anonymous.json()) as { message: string }).message).toMatch(/member or an API key/);
        // Past the policy: what the sandbox answers (a result, or 503 where it cannot run here).
        for (const headers of [{ cookie: owner }, { "x-api-key": key }] as Array<Record<string, string>>) {
          expect([200, 503]).toContain((await call(server, "POST", "/execute", headers, run)).status);
        }
        const session = (await (
          await call(server, "POST", "/sessions", { cookie: owner }, { title: "Live" })
        ).json()) as { id: string };
        // The candidate has only the link.
        expect([200, 503]).toContain(
          (await call(server, "POST", "/execute", {}, { ...run, sessionId: session.id })).status,
        );
      });
    });

    describe("SIGNUP=closed", () => {
      let server: RunningServer;
      beforeAll(async () => {
        server = await startTestServer(target, { ...quiet, SIGNUP: "closed" });
      });
      afterAll(() => server.stop());

      test("the first account is made and owns the workspace; every later sign-up is refused", async () => {
        const firstAccount = async () =>
          ((await (await call(server, "GET", "/instance")).json()) as { firstAccount: boolean }).firstAccount;
        expect(await firstAccount()).toBe(true);
        const first = await signUp(server, { email: "first@a.example" });
        expect(await firstAccount()).toBe(false);
        const me = (await (await call(server, "GET", "/workspace/me", { cookie: first })).json()) as {
          role: string;
        };
        expect(me.role).toBe("owner");
        const refused = await signUpStatus(server, "second@a.example");
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({
          code: "SIGNUP_CLOSED",
          message: "Sign-up is closed on this server",
        });
        // Not even with an invitation: closed means closed.
        await call(server, "POST", "/workspace/invitations", { cookie: first }, { email: "third@a.example" });
        expect((await signUpStatus(server, "third@a.example")).status).toBe(403);
        // Anonymous sessions stay on by default.
        expect((await call(server, "POST", "/sessions", {}, { title: "Quick" })).status).toBe(201);
      });
    });
  });
}
