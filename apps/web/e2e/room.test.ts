/**
 * The interview room in a real browser: Debian's Chromium driven by playwright-core, two browser
 * contexts (interviewer and candidate) on one session of a real server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { decodeTimeline, type TimelinePage } from "@pairpad/api/playback/timeline";
import type { Browser, Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { connectProvider } from "../../server/src/testing.ts";
import {
  CHROMIUM,
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

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

/** The participants panel as [name, role label] pairs: what a person reads there. */
const participantsOf = (page: Page) =>
  page
    .locator("ul.participants li")
    .evaluateAll((items) =>
      items.map((li) => [
        li.querySelector(".participant-name")?.textContent,
        li.querySelector(".role")?.textContent,
      ]),
    );

describe.skipIf(!hasChromium)("interview room in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;
  let interviewer: Participant;
  let candidate: Participant;
  let sessionPath = "";
  const interviewerSockets: string[] = [];
  /** A language this server can run (the first of these that is available), or null. */
  let runnable: { id: "python" | "javascript"; code: string } | null = null;

  beforeAll(async () => {
    stack = await startStack();
    ({ server, browser } = stack);
    interviewer = await participant(browser);
    interviewer.page.on("websocket", (ws) => interviewerSockets.push(ws.url()));
    candidate = await participant(browser);
    // Both browsers start with the same cursor colour: the room must tell them apart.
    for (const { context } of [interviewer, candidate]) {
      await context.addInitScript(() => localStorage.setItem("pairpad:color", "#0090ff"));
    }

    const languages = (await (await fetch(`${server.url}/api/languages`)).json()) as {
      languages: Array<{ id: string; available: boolean }>;
    };
    const available = new Set(languages.languages.filter((l) => l.available).map((l) => l.id));
    if (available.has("python"))
      runnable = { id: "python", code: 'name = input()\nprint(f"hello, {name}")\n' };
    else if (available.has("javascript")) {
      runnable = {
        id: "javascript",
        code: 'const name = require("fs").readFileSync(0, "utf8").trim();\nconsole.log("hello, " + name);\n',
      };
    }
  }, LONG);

  afterAll(async () => {
    await stack?.stop();
  });

  test(
    "the landing page creates a session and shows the interviewer and candidate links",
    async () => {
      const { page } = interviewer;
      await page.goto(server.url);
      await page.getByRole("heading", { name: "Coding interviews, together in real time" }).waitFor();
      await page.getByLabel("Title").fill("Two sum, warm-up");
      await page.getByLabel("Language").selectOption(runnable?.id ?? "python");
      await page.getByLabel("Your name").fill("Ada Interviewer");
      await page.screenshot({ path: join(screenshots, "landing-1280x800.png") });
      await page.getByRole("button", { name: "Create session" }).click();

      const interviewerLink = await page.getByLabel("Interviewer link", { exact: true }).inputValue();
      const candidateLink = await page.getByLabel("Candidate link", { exact: true }).inputValue();
      expect(interviewerLink).toContain("#token=");
      expect(candidateLink).toMatch(/\/sessions\/[A-Za-z0-9_-]{22}$/);
      expect(await page.getByRole("button", { name: /^Copy (interviewer|candidate) link$/ }).count()).toBe(2);
      sessionPath = new URL(candidateLink).pathname;

      await page.setViewportSize(phone);
      await page.screenshot({ path: join(screenshots, "landing-created-390x844.png"), fullPage: true });
      await page.getByRole("button", { name: "Create another" }).click();
      await page.screenshot({ path: join(screenshots, "landing-390x844.png"), fullPage: true });
      await page.setViewportSize(desktop);

      // The interviewer opens the link with the token in the fragment; it leaves the address bar.
      await page.goto(`${server.url}${new URL(interviewerLink).pathname}${new URL(interviewerLink).hash}`);
      await page.getByRole("heading", { name: "Interviewer controls" }).waitFor();
      expect(new URL(page.url()).hash).toBe("");
    },
    LONG,
  );

  test(
    "the candidate names themself; typing appears on the other side with a named remote caret",
    async () => {
      const { page } = candidate;
      await page.goto(`${server.url}${sessionPath}`);
      await page.getByLabel("Display name").fill("Grace Candidate");
      await page.getByRole("button", { name: "Continue" }).click();
      await page.locator(".connection[data-connection=connected]").waitFor();
      await interviewer.page.locator(".connection[data-connection=connected]").waitFor();

      // Both see both, with their roles.
      for (const { page: p } of [interviewer, candidate]) {
        await until(async () => {
          const list = await textOf(p, "ul.participants");
          expect(list).toContain("Ada Interviewer");
          expect(list).toContain("Grace Candidate");
          expect(list).toContain("Interviewer");
          expect(list).toContain("Candidate");
        }, "both participants listed");
      }

      await until(async () => {
        const colors = await interviewer.page
          .locator("ul.participants .avatar")
          .evaluateAll((avatars) => avatars.map((a) => getComputedStyle(a).backgroundColor));
        expect(colors).toHaveLength(2);
        expect(colors[0]).not.toBe(colors[1]);
      }, "two different cursor colours");

      await typeCode(interviewer.page, "def solve(nums, target):\n    seen = {}");
      await until(async () => {
        expect(await editorText(candidate.page)).toContain("seen = {}");
      }, "the interviewer's text in the candidate's editor");
      const caret = candidate.page.locator(".cm-ySelectionCaret");
      await caret.first().waitFor();
      expect(await caret.locator(".cm-ySelectionInfo").first().textContent()).toBe("Ada Interviewer");

      await candidate.page.locator(".cm-content").click();
      await candidate.page.keyboard.press("ControlOrMeta+End");
      await candidate.page.keyboard.insertText("\n    # candidate was here");
      await until(async () => {
        expect(await editorText(interviewer.page)).toContain("# candidate was here");
      }, "the candidate's text in the interviewer's editor");
      await until(async () => {
        const names = await interviewer.page.locator(".cm-ySelectionInfo").allTextContents();
        expect(names).toContain("Grace Candidate");
      }, "the candidate's named caret for the interviewer");
    },
    LONG,
  );

  test(
    "a language switch reaches everyone",
    async () => {
      await candidate.page.getByLabel("Language").selectOption("java");
      await until(async () => {
        expect(await interviewer.page.getByLabel("Language").inputValue()).toBe("java");
        expect(await interviewer.page.locator(".editor-host").getAttribute("data-language")).toBe("java");
      }, "java on the interviewer's side");
      await interviewer.page.getByLabel("Language").selectOption(runnable?.id ?? "python");
      await until(async () => {
        expect(await candidate.page.getByLabel("Language").inputValue()).toBe(runnable?.id ?? "python");
      }, "the language back on the candidate's side");
    },
    LONG,
  );

  test(
    "the interviewer's socket carries a ticket, never the interviewer token",
    async () => {
      const rooms = interviewerSockets.filter((url) => url.includes("/ws/sessions/"));
      expect(rooms.length).toBeGreaterThan(0);
      for (const url of rooms) {
        expect(url).toContain("ticket=");
        expect(url).not.toContain("token=");
      }
    },
    LONG,
  );

  test(
    "an observer follows along read-only through its own link and shows up as an observer",
    async () => {
      const sessionId = sessionPath.replace("/sessions/", "");
      const { observerUrl } = (await (await fetch(`${server.url}/api/sessions/${sessionId}`)).json()) as {
        observerUrl: string;
      };
      const observerPath = new URL(observerUrl).pathname;
      // The observer link is its own capability: the candidate link is not in it.
      expect(observerPath).toStartWith("/watch/");
      expect(observerPath).not.toContain(sessionId);
      const observer = await participant(browser);
      await observer.page.goto(`${server.url}${observerPath}`);
      await observer.page.getByLabel("Display name").fill("Olive Observer");
      await observer.page.getByRole("button", { name: "Continue" }).click();
      await observer.page.locator('.cm-content[aria-readonly="true"]').waitFor();
      await until(async () => {
        expect(await editorText(observer.page)).toContain("# candidate was here");
      }, "the shared code for the observer");
      expect(await observer.page.getByRole("button", { name: /Run/ }).count()).toBe(0);
      // Typing on the observer page changes nothing, there or for the others.
      const code = async () =>
        ((await (await fetch(`${server.url}/api/sessions/${sessionId}/code`)).json()) as { code: string })
          .code;
      const before = await code();
      await observer.page.locator(".cm-content").click();
      await observer.page.keyboard.type("observer typing");
      expect(await editorText(observer.page)).not.toContain("observer typing");
      // Nothing on the observer's page leads to the session id.
      expect(await observer.page.content()).not.toContain(sessionId);
      await until(async () => {
        expect(await textOf(interviewer.page, "ul.participants")).toContain("Olive ObserverObserver");
      }, "the observer in the interviewer's list");
      expect(await code()).toBe(before);
      await observer.context.close();
      await until(async () => {
        expect(await textOf(interviewer.page, "ul.participants")).not.toContain("Olive Observer");
      }, "the observer gone from the list");
      expect(observer.problems).toEqual([]);

      // A link made before observer ids (the candidate link plus `?role=observer`) still only watches.
      const old = await participant(browser);
      await old.page.goto(`${server.url}${sessionPath}?role=observer`);
      await old.page.getByText("as an observer").waitFor();
      await old.page.getByLabel("Display name").fill("Otto Oldlink");
      await old.page.getByRole("button", { name: "Continue" }).click();
      await old.page.locator('.cm-content[aria-readonly="true"]').waitFor();
      await old.page.getByText("You are observing").waitFor();
      await until(async () => {
        expect(await editorText(old.page)).toContain("# candidate was here");
      }, "the shared code for the old link");
      expect(await old.page.getByRole("button", { name: /Run/ }).count()).toBe(0);
      await until(async () => {
        expect(await participantsOf(interviewer.page)).toContainEqual(["Otto Oldlink", "Observer"]);
        expect(await participantsOf(old.page)).toContainEqual(["Otto Oldlink (you)", "Observer"]);
      }, "the old link's observer listed as an observer");
      const shown = await editorText(old.page);
      await old.page.locator(".cm-content").click();
      await old.page.keyboard.type("old link typing");
      expect(await editorText(old.page)).toBe(shown);
      // A change from the interviewer goes round the server and back: by then nothing of the typing came.
      await interviewer.page.locator(".cm-content").click();
      await interviewer.page.keyboard.press("ControlOrMeta+End");
      await interviewer.page.keyboard.insertText("\n# after the old link typed");
      await until(async () => {
        expect(await editorText(old.page)).toContain("# after the old link typed");
      }, "the interviewer's change at the old link");
      expect(await editorText(interviewer.page)).not.toContain("old link typing");
      expect(await code()).not.toContain("old link typing");
      await old.context.close();
      expect(old.problems).toEqual([]);
    },
    LONG,
  );

  test(
    "a candidate claiming the interviewer's name and role is listed as a candidate and replayed apart",
    async () => {
      const sessionId = sessionPath.replace("/sessions/", "");
      // Not the web client: a raw y-websocket client on the candidate link, announcing itself as the
      // interviewer under the interviewer's own name.
      const impostor = connectProvider(server, sessionId, "Ada Interviewer");
      impostor.provider.awareness.setLocalStateField("user", {
        name: "Ada Interviewer",
        color: "#30a46c",
        role: "interviewer",
      });
      try {
        await until(async () => {
          const named = (await participantsOf(interviewer.page)).filter(([name]) =>
            name?.startsWith("Ada Interviewer"),
          );
          expect(named).toEqual([
            ["Ada Interviewer (you)", "Interviewer"],
            ["Ada Interviewer", "Candidate"],
          ]);
        }, "the impostor listed as a candidate");
        impostor.text.insert(impostor.text.length, "\n# written by the impostor");
        await until(async () => {
          expect(await editorText(interviewer.page)).toContain("# written by the impostor");
        }, "the impostor's text at the interviewer");
        const snapshot = await fetch(`${server.url}/api/sessions/${sessionId}/code`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ label: "impostor's", author: "Ada Interviewer" }),
        });
        expect(snapshot.status).toBe(200);
        // The replay loads the recording once: wait until the impostor's edit is in it.
        const token = await interviewer.page.evaluate(
          (id) => localStorage.getItem(`pairpad:token:${id}`),
          sessionId,
        );
        await until(async () => {
          const page = (await (
            await fetch(`${server.url}/api/sessions/${sessionId}/playback?limit=20000`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json()) as TimelinePage;
          expect(
            decodeTimeline(page).some((u) => u.role === "candidate" && u.actor === "Ada Interviewer"),
          ).toBe(true);
        }, "the impostor's edit in the recording");

        const replay = await interviewer.context.newPage();
        replay.on("pageerror", (error) => interviewer.problems.push(`replay pageerror: ${error.message}`));
        await replay.goto(`${server.url}/sessions/${sessionId}/playback`);
        const slider = replay.getByRole("slider", { name: "Replay position" });
        await slider.waitFor();
        // Two authors with one name: the legend and the editor keep them apart by the server's role.
        await until(async () => {
          const legend = await replay
            .locator('ul.legend li[data-author="Ada Interviewer"] .legend-name')
            .allTextContents();
          expect(legend.sort()).toEqual(["Ada Interviewer · Candidate", "Ada Interviewer · Interviewer"]);
        }, "both authors named Ada Interviewer in the legend");
        await slider.focus();
        await replay.keyboard.press("End");
        await until(async () => {
          expect(await editorText(replay)).toContain("# written by the impostor");
        }, "the replay at the end");
        const colours = await replay
          .locator('.cm-content .cm-authored[data-author="Ada Interviewer"]')
          .evaluateAll(
            (spans) =>
              new Set(spans.map((s) => (s as HTMLElement).style.getPropertyValue("--author-color"))).size,
          );
        expect(colours).toBe(2);
        expect(await textOf(replay, ".sidebar")).toContain("saved by Ada Interviewer (candidate)");
        await replay.close();
      } finally {
        impostor.provider.destroy();
      }
      await until(async () => {
        const named = (await participantsOf(interviewer.page)).filter(([name]) => name?.startsWith("Ada"));
        expect(named).toEqual([["Ada Interviewer (you)", "Interviewer"]]);
      }, "the impostor gone from the list");
    },
    LONG,
  );

  test(
    "the interviewer renames the session and extends its expiry; the candidate sees the new title",
    async () => {
      const { page } = interviewer;
      await page.getByLabel("Session title").fill("Two sum, final round");
      await page.getByRole("button", { name: "Rename" }).click();
      await candidate.page.getByRole("heading", { name: "Two sum, final round" }).waitFor();
      const expiry = async () =>
        Date.parse((await page.locator(".expiry time").getAttribute("datetime")) ?? "");
      const before = await expiry();
      expect(await textOf(page, ".expiry time")).toBe("in 24 h");
      await page.getByRole("button", { name: "Extend expiry by 24 hours" }).click();
      await until(async () => {
        expect((await expiry()) - before).toBeGreaterThan(23 * 3_600_000);
      }, "the later expiry");
      expect(await textOf(page, ".expiry time")).toMatch(/^in 4[78] h$/);
    },
    LONG,
  );

  test(
    "Run shows the same output to both participants",
    async () => {
      if (!runnable) {
        throw new Error("This server can run neither Python nor JavaScript; the executor is not available");
      }
      await typeCode(interviewer.page, runnable.code);
      await until(async () => {
        expect(await editorText(candidate.page)).toContain("hello, ");
      }, "the program on the candidate's side");
      await candidate.page.getByLabel("Input (stdin)").fill("Grace");
      // The candidate runs with the keyboard shortcut from inside the editor.
      await candidate.page.locator(".cm-content").click();
      await candidate.page.keyboard.press("Control+Enter");
      for (const { page } of [candidate, interviewer]) {
        await until(
          async () => {
            expect(await textOf(page, "[data-testid=output]")).toContain("hello, Grace");
            const summary = await textOf(page, ".run-summary");
            expect(summary).toContain("Grace Candidate");
            expect(summary).toContain("Finished");
          },
          "the run's output",
          60_000,
        );
      }
      await interviewer.page.screenshot({ path: join(screenshots, "session-1280x800.png") });
      await candidate.page.setViewportSize(phone);
      await candidate.page.screenshot({ path: join(screenshots, "session-390x844.png") });
      await candidate.page.screenshot({
        path: join(screenshots, "session-390x844-full.png"),
        fullPage: true,
      });
      await candidate.page.setViewportSize(desktop);
    },
    LONG,
  );

  test(
    "a restored snapshot reaches both editors",
    async () => {
      const original = "def first_version():\n    return 1";
      await typeCode(interviewer.page, original);
      await until(async () => {
        expect(await editorText(candidate.page)).toContain("first_version");
      }, "the first version on the candidate's side");
      // The candidate saves it; the interviewer's list picks it up from the event.
      await candidate.page.getByLabel("Snapshot label").fill("First version");
      await candidate.page.getByRole("button", { name: "Save snapshot" }).click();
      await interviewer.page.getByRole("button", { name: "Restore snapshot First version" }).waitFor();

      await typeCode(candidate.page, "def rewritten():\n    return 2");
      await until(async () => {
        expect(await editorText(interviewer.page)).toContain("rewritten");
      }, "the rewrite on the interviewer's side");

      await interviewer.page.getByRole("button", { name: "Restore snapshot First version" }).click();
      for (const { page } of [interviewer, candidate]) {
        await until(async () => {
          const text = await editorText(page);
          expect(text).toContain("first_version");
          expect(text).not.toContain("rewritten");
        }, "the restored code");
      }
      // Only the interviewer may restore.
      expect(await candidate.page.getByRole("button", { name: /^Restore snapshot/ }).count()).toBe(0);
    },
    LONG,
  );

  test(
    "ending the interview locks both editors",
    async () => {
      await interviewer.page.getByRole("button", { name: "End interview" }).click();
      await interviewer.page.getByRole("button", { name: "End now" }).click();
      for (const { page } of [interviewer, candidate]) {
        await page.locator('.cm-content[aria-readonly="true"]').waitFor();
        await page.getByText("The interview has ended. The code is read-only for everyone.").waitFor();
      }
      const before = await editorText(candidate.page);
      await candidate.page.locator(".cm-content").click();
      await candidate.page.keyboard.type("should not appear");
      expect(await editorText(candidate.page)).toBe(before);
      expect(await candidate.page.getByRole("button", { name: /Run/ }).count()).toBe(0);
      await interviewer.page.screenshot({ path: join(screenshots, "session-ended-1280x800.png") });
    },
    LONG,
  );

  test(
    "deleting the session shows both participants a clear screen",
    async () => {
      await interviewer.page.getByRole("button", { name: "Delete session" }).click();
      await interviewer.page.getByRole("button", { name: "Delete for good" }).click();
      for (const { page } of [interviewer, candidate]) {
        await page.getByRole("heading", { name: "This session was deleted" }).waitFor();
      }
      await candidate.page.screenshot({ path: join(screenshots, "session-deleted-1280x800.png") });
    },
    LONG,
  );

  test(
    "an unknown session shows the not-found screen",
    async () => {
      const visitor = await participant(browser);
      await visitor.page.goto(`${server.url}/sessions/AAAAAAAAAAAAAAAAAAAAAA`);
      await visitor.page.getByRole("heading", { name: "Session not found" }).waitFor();
      // The browser reports the API's 404 on the console; nothing else may go wrong.
      expect(visitor.problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
      await visitor.context.close();
    },
    LONG,
  );

  test("no uncaught errors in either page", () => {
    expect(interviewer.problems).toEqual([]);
    expect(candidate.problems).toEqual([]);
  });
});
