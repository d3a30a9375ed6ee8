/**
 * The question, its tests and the interviewer's private side in a real browser: the interviewer picks
 * a question, the candidate sees its prompt and starter code and runs the public tests (both see the
 * verdicts), the interviewer's hidden run and note never show on the candidate's page, and the replay
 * shows the note and the test markers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import {
  desktop,
  editorText,
  hasChromium,
  LONG,
  type Participant,
  participant,
  phone,
  screenshots,
  textOf,
  typeCode,
  until,
} from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

const HIDDEN = "HIDDEN-E2E-777";
const NOTE = "Spotted the off-by-one quickly";
const SUMMARY = "Calm, tested as she went";

describe.skipIf(!hasChromium)("question, tests and notes in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;
  let interviewer: Participant;
  let candidate: Participant;
  let session: { id: string; interviewerToken: string };
  let canRunPython = false;

  const api = async <T>(path: string, method: string, body: unknown, token?: string): Promise<T> => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    stack = await startStack();
    ({ server, browser } = stack);
    interviewer = await participant(browser);
    candidate = await participant(browser);
    await interviewer.context.addInitScript(() => localStorage.setItem("pairpad:name", "Ada Interviewer"));
    await candidate.context.addInitScript(() => localStorage.setItem("pairpad:name", "Grace Candidate"));
    const languages = await (await fetch(`${server.url}/api/languages`)).json();
    canRunPython = (languages as { languages: Array<{ id: string; available: boolean }> }).languages.some(
      (l) => l.id === "python" && l.available,
    );

    session = await api("/sessions", "POST", { title: "Sum loop", language: "python" });
    await api(
      "/questions",
      "POST",
      {
        title: "Add two numbers",
        prompt:
          "Read **two** integers and print their `sum`.\n\n- one line of input\n- one line of output\n\n" +
          "<script>window.__injected = 1</script><b>raw html</b> [bad](javascript:alert(1))",
        difficulty: "easy",
        starterCode: { python: "# read two numbers\n", javascript: "// read two numbers\n" },
        tests: [
          { name: "small", stdin: "1 2\n", expected: "3\n" },
          { name: "negative", stdin: "-5 2\n", expected: "-3\n" },
          {
            name: "secret",
            stdin: `${HIDDEN.length} 1\n`,
            expected: `${HIDDEN.length + 1}\n`,
            visibility: "hidden",
          },
        ],
        referenceSolution: {
          language: "python",
          code: `# ${HIDDEN}\na, b = map(int, input().split())\nprint(a + b)`,
        },
        rubric: [{ title: "Correctness" }],
      },
      session.interviewerToken,
    );
  }, LONG * 2);

  afterAll(async () => {
    await stack?.stop();
  });

  test(
    "the interviewer picks a question; the candidate sees the prompt, rendered safely, and the starter code",
    async () => {
      await interviewer.page.goto(`${server.url}/sessions/${session.id}#token=${session.interviewerToken}`);
      await candidate.page.goto(`${server.url}/sessions/${session.id}`);
      await interviewer.page.getByLabel("Question bank").fill("add two");
      await interviewer.page.getByRole("button", { name: "Use Add two numbers" }).click();

      for (const { page } of [interviewer, candidate]) {
        await page.getByRole("heading", { name: "Add two numbers" }).waitFor();
        await until(
          async () => expect(await editorText(page)).toBe("# read two numbers\n"),
          "the starter code",
        );
      }
      const { page } = candidate;
      expect(await page.locator(".markdown strong").textContent()).toBe("two");
      expect(await page.locator(".markdown li").count()).toBe(2);
      // Raw HTML is shown as text, never run or rendered; a javascript: link is no link.
      expect(await textOf(page, ".markdown")).toContain("<script>window.__injected = 1</script>");
      expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
      expect(await page.locator(".markdown b, .markdown script").count()).toBe(0);
      expect(await page.locator('.markdown a[href^="javascript"]').count()).toBe(0);
      expect(await page.getByRole("button", { name: "Question bank" }).count()).toBe(0);
      expect(await page.getByLabel("Question bank").count()).toBe(0);
      await page.screenshot({ path: join(screenshots, "question-candidate-1280x800.png") });
    },
    LONG,
  );

  test(
    "the candidate runs the public tests and both see the verdict table; the interviewer's hidden run stays private",
    async () => {
      if (!canRunPython) {
        console.warn("[e2e] python cannot run here: no verdicts to check");
        return;
      }
      await typeCode(candidate.page, "a, b = map(int, input().split())\nprint(a + b)\n");
      await candidate.page.getByRole("button", { name: "Run tests" }).click();
      for (const { page } of [candidate, interviewer]) {
        await until(
          async () =>
            expect(await textOf(page, ".verdicts-public .verdicts-head")).toContain("All passed · 2/2"),
          "the shared verdicts",
          60_000,
        );
      }

      await interviewer.page.getByRole("button", { name: "Run all tests (private)" }).click();
      await until(
        async () => expect(await textOf(interviewer.page, ".verdicts-hidden")).toContain("3/3"),
        "the hidden verdicts for the interviewer",
        60_000,
      );
      await interviewer.page.getByRole("button", { name: "Run reference (private)" }).click();
      await until(
        async () => expect(await textOf(interviewer.page, ".verdicts-reference")).toContain("3/3"),
        "the reference run for the interviewer",
        60_000,
      );
      // A later shared run reaches the candidate, so anything published before it would have too.
      await interviewer.page.getByRole("button", { name: "Run tests" }).click();
      await until(
        async () =>
          expect(await textOf(candidate.page, ".verdicts-public .verdicts-head")).toContain(
            "Ada Interviewer",
          ),
        "the interviewer's public run on the candidate's page",
        60_000,
      );
      expect(await candidate.page.locator(".verdicts-hidden, .verdicts-reference").count()).toBe(0);
      const html = await candidate.page.content();
      expect(html).not.toContain(HIDDEN);
      expect(html).not.toContain("secret");
      await interviewer.page.screenshot({ path: join(screenshots, "question-interviewer-1280x800.png") });
      await candidate.page.setViewportSize(phone);
      await candidate.page.screenshot({
        path: join(screenshots, "question-candidate-390x844.png"),
        fullPage: true,
      });
      await interviewer.page.setViewportSize(phone);
      await interviewer.page.screenshot({
        path: join(screenshots, "question-interviewer-390x844.png"),
        fullPage: true,
      });
      await candidate.page.setViewportSize(desktop);
      await interviewer.page.setViewportSize(desktop);
    },
    LONG * 2,
  );

  test(
    "the interviewer writes a note the candidate never sees; the replay shows the note and the test markers",
    async () => {
      // A second interviewer in the room sees the note arrive, live.
      const colleague = await interviewer.context.newPage();
      await colleague.goto(`${server.url}/sessions/${session.id}`);
      // Its notes loaded before the new one is written: what it shows next came live.
      await colleague.locator('.notes-list[aria-busy="false"]').waitFor({ state: "attached" });
      await interviewer.page.getByLabel("Private notes").fill(NOTE);
      await interviewer.page.getByRole("button", { name: "Add note" }).click();
      await until(
        async () => expect(await textOf(interviewer.page, ".notes-list")).toContain(NOTE),
        "the note listed",
      );
      await until(
        async () => expect(await textOf(colleague, ".notes-list")).toContain(NOTE),
        "the note on the other interviewer's page",
      );
      await colleague.close();
      expect(await candidate.page.content()).not.toContain(NOTE);
      expect(await candidate.page.getByLabel("Private notes").count()).toBe(0);

      const replay = await interviewer.context.newPage();
      await replay.goto(`${server.url}/sessions/${session.id}/playback`);
      await replay.getByRole("slider", { name: "Replay position" }).waitFor();
      await until(
        async () => expect(await textOf(replay, ".interviewer-markers")).toContain(`Note: ${NOTE}`),
        "the note on the replay",
      );
      if (canRunPython) {
        expect(await textOf(replay, ".interviewer-markers")).toContain("Hidden tests");
        expect(await textOf(replay, ".interviewer-markers")).toContain("Reference run");
        await until(
          async () =>
            expect(await textOf(replay, ".sidebar")).toContain(
              "Tests run by Grace Candidate (candidate): 2/2 passed",
            ),
          "the public test run marker",
        );
      }
      await replay.locator(".interviewer-markers .marker-note button").click();
      await replay.screenshot({ path: join(screenshots, "question-replay-1280x800.png") });
      await replay.setViewportSize(phone);
      await replay.screenshot({ path: join(screenshots, "question-replay-390x844.png"), fullPage: true });
      for (const who of [interviewer, candidate]) expect(who.problems).toEqual([]);
    },
    LONG,
  );

  test(
    "the interviewer fills the scorecard, never shown to the candidate; the printable report has it all",
    async () => {
      const page = interviewer.page;
      await page.setViewportSize(desktop);
      const form = page.getByRole("form", { name: "Scorecard" });
      await form.getByRole("group", { name: "Correctness" }).getByLabel("3 · Good").check();
      await form.getByLabel("Comment on Correctness").fill("Handles negatives");
      await form.getByLabel("Recommendation").selectOption("strong_yes");
      await form.getByLabel("Summary").fill(SUMMARY);
      await form.getByRole("button", { name: "Save scorecard" }).click();
      await form.getByText("Saved", { exact: true }).waitFor();
      expect(await candidate.page.content()).not.toContain(SUMMARY);
      expect(await candidate.page.getByRole("form", { name: "Scorecard" }).count()).toBe(0);

      // Saved for real: a fresh page shows it again.
      const report = await interviewer.context.newPage();
      await report.goto(`${server.url}/sessions/${session.id}/report`);
      await report.getByRole("heading", { name: "Sum loop" }).waitFor();
      const text = await textOf(report, ".report-main");
      for (const expected of [
        "Strong yes",
        "Correctness",
        "3 · Good",
        "Handles negatives",
        SUMMARY,
        NOTE,
        "Add two numbers",
        "Grace Candidate",
      ]) {
        expect(text).toContain(expected);
      }
      if (canRunPython) {
        expect(text).toContain("print(a + b)");
        expect(await report.locator(".verdicts-hidden").count()).toBeGreaterThan(0);
      }
      await report.screenshot({ path: join(screenshots, "report-1280x800.png"), fullPage: true });
      await report.emulateMedia({ media: "print" });
      await report.screenshot({ path: join(screenshots, "report-print.png"), fullPage: true });
      await report.emulateMedia({ media: "screen" });
      await report.setViewportSize(phone);
      await report.screenshot({ path: join(screenshots, "report-390x844.png"), fullPage: true });

      // The candidate's browser cannot open it: the export is the interviewer's.
      const stolen = await candidate.context.newPage();
      await stolen.goto(`${server.url}/sessions/${session.id}/report`);
      await stolen.getByRole("heading", { name: "Only interviewers can read the report" }).waitFor();
      expect(await stolen.content()).not.toContain(SUMMARY);
      for (const who of [interviewer, candidate]) expect(who.problems).toEqual([]);
    },
    LONG,
  );
});
