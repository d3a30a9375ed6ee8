import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { cookieOf, signUp, startTestServer } from "./testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`accounts over HTTP (${target.name})`, () => {
    let server: RunningServer;
    const post = (path: string, body: unknown, cookie = "") =>
      fetch(`${server.url}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie },
        body: JSON.stringify(body),
      });
    const me = async (cookie: string) => {
      const response = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } });
      return (await response.json()) as { user: { email: string } } | null;
    };

    beforeAll(async () => {
      server = await startTestServer(target, { SIGNIN_ATTEMPTS_PER_MINUTE: 8 });
    });
    afterAll(() => server.stop());

    test("sign up, sign out, sign in, change password; the cookie is HTTP-only and SameSite=Lax", async () => {
      const response = await post("/sign-up/email", {
        email: "ada@example.com",
        password: "first password",
        name: "Ada",
      });
      expect(response.status).toBe(200);
      const setCookie = response.headers.getSetCookie().join("\n");
      expect(setCookie).toMatch(/pairpad\.session_token=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here; HTTPS public URLs get Secure
      const cookie = cookieOf(response);
      expect((await me(cookie))?.user.email).toBe("ada@example.com");

      expect((await post("/sign-out", {}, cookie)).status).toBe(200);
      expect(await me(cookie)).toBeNull();

      const signedIn = await post("/sign-in/email", { email: "ada@example.com", password: "first password" });
      expect(signedIn.status).toBe(200);
      const again = cookieOf(signedIn);
      const changed = await post(
        "/change-password",
        { currentPassword: "first password", newPassword: "second password", revokeOtherSessions: true },
        again,
      );
      expect(changed.status).toBe(200);
      expect(
        (await post("/sign-in/email", { email: "ada@example.com", password: "first password" })).status,
      ).toBe(401);
      expect(
        (await post("/sign-in/email", { email: "ada@example.com", password: "second password" })).status,
      ).toBe(200);
    });

    test("sign-up opens the new account's own workspace, which it owns; set-active agrees", async () => {
      const cookie = await signUp(server, { email: "hedy@example.com", name: "Hedy" });
      const found = (await (
        await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } })
      ).json()) as { session: { activeOrganizationId: string | null } };
      const me = (await (await fetch(`${server.url}/api/workspace/me`, { headers: { cookie } })).json()) as {
        organization: { id: string; name: string } | null;
        role: string | null;
      };
      expect(me.role).toBe("owner");
      expect(me.organization?.name).toBe("Hedy's workspace");
      expect(found.session.activeOrganizationId).toBe(me.organization?.id ?? "missing");
      const active = await post("/organization/set-active", { organizationId: me.organization?.id }, cookie);
      expect(active.status).toBe(200);
      expect(((await active.json()) as { id: string }).id).toBe(me.organization?.id ?? "missing");
    });

    test("a wrong password and an unknown email get the same 401", async () => {
      await signUp(server, { email: "grace@example.com", password: "right password" });
      const wrong = await post("/sign-in/email", { email: "grace@example.com", password: "wrong password" });
      const unknown = await post("/sign-in/email", {
        email: "nobody@example.com",
        password: "wrong password",
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
    });

    test("sign-in attempts are rate limited per client", async () => {
      let last = 0;
      for (let i = 0; i < 10; i++) {
        last = (await post("/sign-in/email", { email: "grace@example.com", password: `guess ${i}` })).status;
      }
      expect(last).toBe(429);
      const refused = await post("/sign-in/email", {
        email: "grace@example.com",
        password: "right password",
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    });
  });
}
