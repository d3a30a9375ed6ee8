/**
 * Password reset in a real browser, with a real SMTP server on loopback: "Forgot password?" on the
 * sign-in page → the emailed link → a new password → signed in with it; the link works once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { RunningServer } from "../../server/src/main.ts";
import { resetLinkIn, signUpVerified, startMailServer } from "../../server/src/testing-mail-server.ts";
import { CHROMIUM, hasChromium, LONG, type Participant, participant, screenshots, until } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

const account = { name: "Ada Owner", email: "ada@reset.example", password: "correct horse battery" };
const newPassword = "a brand new passphrase";

/** Refusals the test asks for (the used link) are logged by Chromium as failed loads. */
const unexpected = (problem: string) =>
  !problem.includes("Failed to load resource: the server responded with a status of 40");

describe.skipIf(!hasChromium)("password reset in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let ada: Participant;

  beforeAll(async () => {
    mail = await startMailServer({ user: "pairpad", password: `pw-${crypto.randomUUID()}` });
    stack = await startStack({ SMTP_URL: mail.url, SMTP_FROM: "Pairpad <accounts@reset.example>" });
    server = stack.server;
    await signUpVerified(server, mail, account);
    ada = await participant(stack.browser);
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
    await mail?.close();
  });

  test(
    "forgot password → check your email → the link sets a new password once → sign in with it",
    async () => {
      const { page } = ada;
      const seen = mail.to(account.email).length;
      await page.goto(`${server.url}/signin`);
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
      await page.getByLabel("Email").fill(account.email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      await page.getByText(`If an account exists for ${account.email}, we sent it a link`).waitFor();
      await page.screenshot({ path: join(screenshots, "forgot-password-sent-1280x800.png") });

      const link = await until(() => {
        const found = mail.to(account.email).slice(seen).map(resetLinkIn).find(Boolean);
        if (!found) throw new Error("no reset email yet");
        return found;
      }, `reset email to ${account.email}`);
      expect(new URL(link).origin).toBe(new URL(server.url).origin);

      await page.goto(link);
      await page.getByRole("heading", { name: "Set a new password" }).waitFor();
      // The token does not stay in the address bar.
      expect(page.url()).toBe(`${server.url}/reset-password`);
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByRole("heading", { name: "Password changed" }).waitFor();
      await page.screenshot({ path: join(screenshots, "reset-password-done-1280x800.png") });

      // The same link a second time: refused, with a way to ask for a new one.
      const again = await stack.browser.newPage();
      await again.goto(link);
      await again.getByLabel("New password", { exact: true }).fill("yet another passphrase");
      await again.getByRole("button", { name: "Set new password" }).click();
      await again.getByText("This link does not work any more").waitFor();
      await again.getByRole("link", { name: "Email me a new link" }).waitFor();
      await again.close();

      await page.getByRole("link", { name: "Sign in" }).click();
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(newPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      expect(ada.problems.filter(unexpected)).toEqual([]);
    },
    LONG,
  );
});
