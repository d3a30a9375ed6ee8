/**
 * Issue 10, finding 20: the web app and the API docs run under their Content-Security-Policy in
 * Chromium without a single violation (landing page, interview room on both sides, replay, docs).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { CHROMIUM, hasChromium, LONG, type Participant, participant, typeCode, until } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the CSP tests: ${CHROMIUM} is not installed`);

describe.skipIf(!hasChromium)("Content-Security-Policy in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;
  let interviewer: Participant;
  let candidate: Participant;

  beforeAll(async () => {
    stack = await startStack();
    ({ server, browser } = stack);
    interviewer = await participant(browser);
    candidate = await participant(browser);
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
  });

  test(
    "the app, the room on both sides, the replay and the docs: no violation",
    async () => {
      const home = await fetch(server.url);
      expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(home.headers.get("x-frame-options")).toBe("DENY");

      await interviewer.page.goto(server.url);
      await interviewer.page.getByLabel("Your name").fill("Ada");
      await interviewer.page.getByRole("button", { name: "Create session" }).click();
      const link = await interviewer.page.getByLabel("Interviewer link", { exact: true }).inputValue();
      const url = new URL(link);
      await interviewer.page.goto(`${server.url}${url.pathname}${url.hash}`);
      await interviewer.page.getByRole("heading", { name: "Interviewer controls" }).waitFor();
      await interviewer.page.locator(".connection[data-connection=connected]").waitFor();

      await candidate.page.goto(`${server.url}${url.pathname}`);
      await candidate.page.getByLabel("Display name").fill("Grace");
      await candidate.page.getByRole("button", { name: "Continue" }).click();
      await candidate.page.locator(".connection[data-connection=connected]").waitFor();
      await typeCode(candidate.page, "print('under policy')");
      await until(async () => {
        const text = await interviewer.page.locator(".cm-content").textContent();
        expect(text).toContain("under policy");
      }, "the candidate's text at the interviewer");
      // The remote caret is styled from the awareness colour, inline in the page.
      await interviewer.page.locator(".cm-ySelectionCaret").first().waitFor();

      // The replay is at /playback (its zod schemas once probed `new Function`, refused by the policy).
      await interviewer.page.goto(`${server.url}${url.pathname}/playback${url.hash}`);
      await interviewer.page.getByRole("slider", { name: "Replay position" }).waitFor();

      await interviewer.page.goto(`${server.url}/api/docs`);
      await interviewer.page.locator(".swagger-ui .opblock").first().waitFor();
      await interviewer.page.locator(".swagger-ui .opblock").first().click();

      const violations = [...interviewer.problems, ...candidate.problems].filter((p) =>
        /CSP violation|Content Security Policy/.test(p),
      );
      expect(violations).toEqual([]);
    },
    LONG,
  );
});
