/**
 * The shared terminal in a real browser: the candidate runs an interactive program live and answers
 * its prompts in xterm; the interviewer's page shows the same screen.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import {
  CHROMIUM,
  hasChromium,
  LONG,
  type Participant,
  participant,
  screenshots,
  typeCode,
  until,
} from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the terminal browser test: ${CHROMIUM} is not installed`);

const PROGRAM = `for q in ["name", "age", "city"]:
    answer = input(q + "? ")
    print(q.upper(), "=", answer[::-1])
`;

/** The terminal's screen as xterm renders it (one element per row). */
const screen = async (page: Page) =>
  (await page.locator("[data-testid=terminal] .xterm-rows > div").allTextContents()).join("\n");

describe.skipIf(!hasChromium)("the shared terminal in the browser", () => {
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
    "the candidate answers an interactive program's prompts in xterm; the interviewer sees the same screen",
    async () => {
      const created = (await (
        await fetch(`${server.url}/api/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Live terminal", language: "python" }),
        })
      ).json()) as { candidateUrl: string; interviewerUrl: string };
      const candidatePath = new URL(created.candidateUrl).pathname;
      const interviewerUrl = new URL(created.interviewerUrl);

      await interviewer.page.goto(`${server.url}${interviewerUrl.pathname}${interviewerUrl.hash}`);
      const prompt = interviewer.page.getByLabel("Display name");
      await prompt.or(interviewer.page.locator(".connection[data-connection=connected]")).first().waitFor();
      if (await prompt.isVisible()) {
        await prompt.fill("Ada Interviewer");
        await interviewer.page.getByRole("button", { name: "Continue" }).click();
      }
      await candidate.page.goto(`${server.url}${candidatePath}`);
      await candidate.page.getByLabel("Display name").fill("Grace Candidate");
      await candidate.page.getByRole("button", { name: "Continue" }).click();
      for (const { page } of [interviewer, candidate]) {
        await page.locator(".connection[data-connection=connected]").waitFor();
      }

      await typeCode(candidate.page, PROGRAM);
      await candidate.page.getByTestId("terminal-tab").click();
      await candidate.page.getByTestId("run-live").click();

      // The run brings the terminal to the front for everyone, with the shared header.
      await interviewer.page.getByTestId("terminal").waitFor({ state: "visible" });
      await until(
        async () => {
          expect(await screen(candidate.page)).toContain("name? ");
          expect(await screen(interviewer.page)).toContain("name? ");
        },
        "the first prompt on both screens",
        30_000,
      );
      // The header and keyboard holder render from the run's state, on each page in its own time.
      await until(async () => {
        expect(await interviewer.page.getByTestId("terminal-header").textContent()).toContain(
          "Grace Candidate",
        );
        expect(await candidate.page.getByTestId("keyboard-holder").textContent()).toContain("You type");
        expect(await interviewer.page.getByTestId("keyboard-holder").textContent()).toContain(
          "Grace Candidate types",
        );
      }, "the run's header and keyboard holder on both pages");

      // Typing in the interviewer's terminal does nothing: the candidate holds the keyboard.
      await interviewer.page.getByTestId("terminal").click();
      await interviewer.page.keyboard.type("eve");

      await candidate.page.getByTestId("terminal").click();
      for (const answer of ["ada", "36", "london"]) {
        await candidate.page.keyboard.type(answer);
        await candidate.page.keyboard.press("Enter");
      }
      await until(
        async () => {
          expect(await screen(interviewer.page)).toContain("CITY = nodnol");
          expect(await interviewer.page.getByTestId("terminal-status").textContent()).toContain("Exited 0");
        },
        "the run's end on the interviewer's page",
        30_000,
      );
      const seen = await screen(interviewer.page);
      expect(seen).toContain("NAME = ada");
      expect(seen).toContain("AGE = 63");
      expect(seen).not.toContain("eve");
      // The candidate's xterm renders the same frames in its own time.
      await until(async () => {
        expect(await screen(candidate.page)).toBe(seen);
      }, "the same screen on the candidate's page");

      await candidate.page.screenshot({ path: join(screenshots, "terminal-candidate-1280x800.png") });
      await interviewer.page.screenshot({ path: join(screenshots, "terminal-interviewer-1280x800.png") });
      expect(candidate.problems).toEqual([]);
      expect(interviewer.problems).toEqual([]);

      // The replay plays the terminal in step with the code: nothing before the run, all of it after.
      const opener = await interviewer.context.newPage();
      await opener.goto(`${server.url}${interviewerUrl.pathname}${interviewerUrl.hash}`);
      const link = opener.getByRole("link", { name: /^Replay/ });
      await link.waitFor();
      const [replay] = await Promise.all([interviewer.context.waitForEvent("page"), link.click()]);
      await replay.setViewportSize({ width: 1280, height: 900 });
      const slider = replay.getByRole("slider", { name: "Replay position" });
      await slider.waitFor();
      await replay.getByTestId("replay-terminal").waitFor();
      const replayScreen = async () =>
        (await replay.locator("[data-testid=replay-terminal] .xterm-rows > div").allTextContents()).join(
          "\n",
        );
      await slider.focus();
      await replay.keyboard.press("End");
      await until(async () => {
        expect(await replayScreen()).toContain("CITY = nodnol");
        expect(await replay.getByTestId("replay-terminal-header").textContent()).toContain("Grace Candidate");
      }, "the whole run in the replay's terminal");
      await replay.screenshot({ path: join(screenshots, "terminal-replay-1280x900.png") });
      await replay.keyboard.press("Home");
      await until(async () => {
        expect(await replayScreen()).not.toContain("name?");
        expect(await replay.getByTestId("replay-terminal").textContent()).toContain("No live run yet");
      }, "no run at the start of the replay");
      await opener.close();
      await replay.close();
    },
    LONG,
  );

  test(
    "the interviewer takes the keyboard of the candidate's REPL and types in it; Stop ends it",
    async () => {
      // The REPL loads the editor's code first.
      await typeCode(candidate.page, "x = 6\n");
      await until(async () => {
        expect(await interviewer.page.locator(".cm-content").textContent()).toContain("x = 6");
      }, "the new code on the interviewer's page");
      await candidate.page.getByTestId("start-repl").click();
      await until(
        async () => {
          expect(await screen(interviewer.page)).toContain(">>>");
        },
        "the REPL's prompt on the interviewer's page",
        30_000,
      );
      const handover = interviewer.page.getByLabel("Hand the keyboard to");
      await handover.focus();
      await until(async () => {
        expect(await handover.locator("option").allTextContents()).toContain("Ada Interviewer (interviewer)");
      }, "the participants in the handover list");
      const option = handover.locator("option", { hasText: "Ada Interviewer (interviewer)" });
      await handover.selectOption((await option.getAttribute("value")) as string);
      await until(async () => {
        expect(await interviewer.page.getByTestId("keyboard-holder").textContent()).toContain("You type");
        expect(await candidate.page.getByTestId("keyboard-holder").textContent()).toContain(
          "Ada Interviewer types",
        );
      }, "the keyboard with the interviewer");
      await interviewer.page.getByTestId("terminal").click();
      await interviewer.page.keyboard.type("print(x * 7)");
      await interviewer.page.keyboard.press("Enter");
      await until(async () => {
        expect(await screen(candidate.page)).toContain("42");
      }, "the interviewer's line run in the REPL, on the candidate's page");
      await interviewer.page.screenshot({ path: join(screenshots, "terminal-repl-handover-1280x800.png") });
      await interviewer.page.getByRole("button", { name: "Stop" }).click();
      await until(async () => {
        expect(await candidate.page.getByTestId("terminal-status").textContent()).toContain("Interrupted");
      }, "the REPL stopped");
    },
    LONG,
  );
});
