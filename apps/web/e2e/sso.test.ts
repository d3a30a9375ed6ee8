/**
 * Single sign-on in a real browser: the sign-in page offers it when the server has an OpenID
 * Connect provider (here a real `oidc-provider` on loopback, with its own sign-in and consent
 * forms); the first account signs in through it and lands on its dashboard; under SIGNUP=invite a
 * newcomer without an invitation comes back to the sign-in page with the reason.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { startIdentityProvider } from "../../server/src/testing-identity-provider.ts";
import { CHROMIUM, desktop, hasChromium, LONG, participant, phone, screenshots } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

const client = { clientId: "pairpad", clientSecret: "pairpad-client-secret-for-the-browser-test" };

describe.skipIf(!hasChromium)("single sign-on in the browser", () => {
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startIdentityProvider([
      { login: "ada", email: "ada@corp.example", name: "Ada Lovelace" },
      { login: "grace", email: "grace@corp.example", name: "Grace Hopper" },
    ]);
    stack = await startStack({
      SIGNUP: "invite",
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
    });
    ({ server, browser } = stack);
    await idp.registerClient({ ...client, redirectUri: `${server.url}/api/auth/callback/oidc` });
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
    await idp?.close();
  });

  /** The provider's development forms: sign in as `login`, then consent. */
  async function throughProvider(page: Page, login: string) {
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.locator('button[type="submit"]').click();
    // Then the consent form, the first time this account meets the client, or straight back.
    const consent = page.locator('input[name="prompt"][value="consent"]');
    await page.waitForFunction(
      (issuer) =>
        location.origin !== issuer || document.querySelector('input[name="prompt"][value="consent"]'),
      idp.issuer,
    );
    if (await consent.count()) await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === server.url);
  }

  test(
    "the first account signs in with SSO and lands on its dashboard",
    async () => {
      const { page } = await participant(browser);
      await page.goto(`${server.url}/signin`);
      const sso = page.getByRole("button", { name: "Sign in with SSO" });
      await sso.waitFor();
      await page.setViewportSize(phone);
      await page.screenshot({ path: join(screenshots, "signin-sso-390x844.png"), fullPage: true });
      await page.setViewportSize(desktop);
      await page.screenshot({ path: join(screenshots, "signin-sso-1280x800.png"), fullPage: true });
      await sso.click();
      await throughProvider(page, "ada");
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      expect(await page.locator(".workspace-user").textContent()).toBe("Ada Lovelace");
      expect(new URL(page.url()).pathname).toBe("/");
    },
    LONG,
  );

  test(
    "under SIGNUP=invite a newcomer without an invitation is sent back with the reason",
    async () => {
      const { page } = await participant(browser);
      await page.goto(`${server.url}/signin`);
      // Sign-up is by invitation: the page says so instead of offering an account.
      await page.getByText("Joining a team? Open the invitation link an admin gave you.").waitFor();
      expect(await page.getByRole("link", { name: "Create an account" }).count()).toBe(0);
      await page.getByRole("button", { name: "Sign in with SSO" }).click();
      await throughProvider(page, "grace");
      await page.getByRole("alert").filter({ hasText: "by invitation only" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/signin");
      expect(new URL(page.url()).searchParams.get("error")).toBe("SIGNUP_NEEDS_INVITATION");
    },
    LONG,
  );
});
