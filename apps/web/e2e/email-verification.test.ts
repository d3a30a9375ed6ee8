/**
 * Email verification in a real browser, with a real SMTP server on loopback: sign up, "check your
 * email", a sign-in before confirming offers a new link, the emailed link confirms the address
 * (once), then sign in; an invitee signs up on the invitation's page and comes back to it to join.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { startMailServer, verificationLinkIn } from "../../server/src/testing-mail-server.ts";
import { CHROMIUM, hasChromium, LONG, type Participant, participant, screenshots, until } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

const owner = { name: "Ada Owner", email: "ada@verify.example", password: "correct horse battery" };
const invitee = { name: "Bob Invitee", email: "bob@verify.example", password: "staple battery horse" };

/** Refusals the test asks for (a sign-in before confirming, a used link) are logged by Chromium as failed loads. */
const unexpected = (problem: string) =>
  !problem.includes("Failed to load resource: the server responded with a status of 40");

describe.skipIf(!hasChromium)("email verification in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let ada: Participant;
  let bob: Participant;

  /** The verification link in the `nth` email to an address, once it arrives. */
  const linkTo = (address: string, nth: number) =>
    until(
      () => {
        const link = verificationLinkIn(mail.to(address)[nth] ?? ({} as never));
        if (!link) throw new Error(`no email ${nth + 1} to ${address} yet`);
        return link;
      },
      `verification email ${nth + 1} to ${address}`,
    );

  async function signIn(page: Page, account: { email: string; password: string }) {
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  beforeAll(async () => {
    mail = await startMailServer({ user: "pairpad", password: `pw-${crypto.randomUUID()}` });
    stack = await startStack({ SMTP_URL: mail.url, SMTP_FROM: "Pairpad <accounts@verify.example>" });
    server = stack.server;
    ada = await participant(stack.browser);
    bob = await participant(stack.browser);
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
    await mail?.close();
  });

  test(
    "sign up → check your email → (sign-in waits, a new link on request) → the link confirms once → sign in",
    async () => {
      const { page } = ada;
      await page.goto(`${server.url}/signup`);
      await page.getByText("We will email you a link to confirm your address.").waitFor();
      await page.getByLabel("Name").fill(owner.name);
      await page.getByLabel("Email").fill(owner.email);
      await page.getByLabel("Password").fill(owner.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      await page.getByText(`We sent a link to ${owner.email}.`).waitFor();
      await page.screenshot({ path: join(screenshots, "signup-check-email-1280x800.png") });
      const first = await linkTo(owner.email, 0);
      expect(new URL(first).origin).toBe(new URL(server.url).origin);

      // Signing in first: refused, saying why, with a new link on request.
      await page.goto(`${server.url}/signin`);
      await signIn(page, owner);
      await page.getByRole("heading", { name: "Confirm your email address" }).waitFor();
      await page.getByRole("button", { name: "Email me a new link" }).click();
      await page.getByText(`A new link is on its way to ${owner.email}.`).waitFor();
      const second = await linkTo(owner.email, 1);
      await page.screenshot({ path: join(screenshots, "signin-unconfirmed-1280x800.png") });

      await page.goto(second);
      await page.getByRole("heading", { name: "Address confirmed" }).waitFor();
      // The token does not stay in the address bar.
      expect(page.url()).toBe(`${server.url}/verify-email`);
      await page.goto(second);
      await page
        .getByText("This link was already used. If it confirmed your address, just sign in.")
        .waitFor();

      await page.getByRole("link", { name: "Sign in" }).click();
      await signIn(page, owner);
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      expect(ada.problems.filter(unexpected)).toEqual([]);
    },
    LONG,
  );

  test(
    "an invitee signs up on the invitation's page, confirms by the emailed link, signs in and joins",
    async () => {
      const created = await ada.page.request.post(`${server.url}/api/workspace/invitations`, {
        data: { email: invitee.email, role: "interviewer" },
      });
      expect(created.status()).toBe(201);
      const { link: invitation } = (await created.json()) as { link: string };

      const { page } = bob;
      await page.goto(invitation);
      await page.getByRole("heading", { name: "Join Workspace" }).waitFor();
      await page.getByLabel("Name").fill(invitee.name);
      await page.getByLabel("Password").fill(invitee.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();

      // The first email is the invitation; the second, the link to confirm the address.
      const link = await linkTo(invitee.email, 1);
      expect(new URL(link).searchParams.get("next")).toBe(new URL(invitation).pathname);
      await page.goto(link);
      await page.getByRole("heading", { name: "Address confirmed" }).waitFor();
      await page.getByRole("link", { name: "Sign in" }).click();
      await signIn(page, invitee);
      // Back on the invitation, signed in with its address.
      await page.getByRole("button", { name: "Join Workspace" }).click();
      await page.getByRole("heading", { name: "Interviews", exact: true }).waitFor();
      expect(bob.problems.filter(unexpected)).toEqual([]);
    },
    LONG,
  );
});
