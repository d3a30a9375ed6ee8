/**
 * The replay in a real browser: a session recorded through the real collaboration path (two
 * standard y-websocket providers, a run, a snapshot, a language switch), then opened by the
 * interviewer, scrubbed, played at 32× and restored at a point.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Replayer } from "@pairpad/api/playback/replayer";
import { decodeTimeline, type TimelinePage, type TimelineUpdate } from "@pairpad/api/playback/timeline";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RunningServer } from "../../server/src/main.ts";
import { connectProvider } from "../../server/src/testing.ts";
import {
  CHROMIUM,
  desktop,
  editorText,
  hasChromium,
  LONG,
  phone,
  screenshots,
  textOf,
  until,
} from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

if (!hasChromium) console.warn(`[e2e] skipping the browser tests: ${CHROMIUM} is not installed`);

/** What the writers held at an instant, once both sides agreed. */
interface Observation {
  at: number;
  code: string;
  language: string;
}

describe.skipIf(!hasChromium)("interview replay in the browser", () => {
  let server: RunningServer;
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];
  const writers: Array<ReturnType<typeof connectProvider>> = [];
  let session: { id: string; interviewerToken: string };
  const observed: Observation[] = [];
  /** The observation just before the run, and the run's output. */
  let atRun: Observation | null = null;
  let runStdout = "";
  let replay: Page;

  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${server.url}/api${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        "content-type": "application/json",
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  /** Every page of the context reports its errors here, popups included. */
  const watch = (page: Page) => {
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
    });
  };

  beforeAll(async () => {
    stack = await startStack();
    ({ server, browser } = stack);
    context = await browser.newContext({ viewport: desktop });
    context.on("page", watch);
    await context.addInitScript(() => {
      // Not in a popup's first about:blank, which has no storage.
      if (location.protocol.startsWith("http")) localStorage.setItem("pairpad:name", "Ivy Interviewer");
    });
  }, LONG);

  afterAll(async () => {
    for (const w of writers) w.provider.destroy();
    await stack?.stop();
  });

  test(
    "a session is recorded through the collaboration path: typing from two sides, a run, a snapshot, a language switch",
    async () => {
      const languages = (await (await api("/languages")).json()) as {
        languages: Array<{ id: string; available: boolean }>;
      };
      const pythonRuns = languages.languages.some((l) => l.id === "python" && l.available);
      session = (await (
        await api("/sessions", { body: { title: "Replay me", language: "python" } })
      ).json()) as {
        id: string;
        interviewerToken: string;
      };

      const carl = connectProvider(server, session.id, "Carl");
      const ivy = connectProvider(server, session.id, "Ivy", { token: session.interviewerToken });
      writers.push(carl, ivy);
      await until(
        () => expect(carl.provider.synced && ivy.provider.synced).toBe(true),
        "both writers synced",
      );

      const settle = async () => {
        await until(() => {
          expect(carl.text.toString()).toBe(ivy.text.toString());
          expect(carl.meta.get("language")).toBe(ivy.meta.get("language"));
        }, "both writers agree");
        // Apart from the neighbouring updates on the server's clock, on either side.
        await Bun.sleep(15);
        const observation = {
          at: Date.now(),
          code: carl.text.toString(),
          language: String(carl.meta.get("language")),
        };
        observed.push(observation);
        await Bun.sleep(15);
        return observation;
      };
      const type = async (writer: typeof carl, text: string, at = writer.text.length) => {
        for (const [i, ch] of [...text].entries()) {
          writer.text.insert(at + i, ch);
          await Bun.sleep(3);
        }
      };

      await type(carl, "def greet(name):\n");
      await settle();
      await type(ivy, "# say hello to everyone\n", 0);
      await settle();
      await type(carl, '    return f"hello, {name}"\n\nprint(greet("pairpad"))\n');
      atRun = await settle();

      if (pythonRuns) {
        const run = await api("/execute", {
          body: {
            language: "python",
            code: carl.text.toString(),
            stdin: "",
            sessionId: session.id,
            runBy: "Carl",
          },
        });
        const result = (await run.json()) as { status: string; stdout: string };
        expect(result).toMatchObject({ status: "ok", stdout: "hello, pairpad\n" });
        runStdout = result.stdout;
      } else {
        console.warn("[e2e] python cannot run here: the replay is recorded without a run");
      }
      expect((await api(`/sessions/${session.id}/code`, { body: { label: "python version" } })).status).toBe(
        200,
      );

      carl.meta.set("language", "javascript");
      await settle();
      carl.text.delete(0, carl.text.length);
      await settle();
      await type(carl, "function greet(name) {\n");
      await type(ivy, "// say hello to everyone\n", 0);
      await type(carl, '  return "hello, " + name;\n}\nconsole.log(greet("pairpad"));\n');
      await settle();

      // The recording is flushed shortly after; wait until it holds the last observation.
      const last = observed.at(-1);
      await until(async () => {
        const replayer = new Replayer(await timeline());
        expect(replayer.at(Date.now()).code).toBe(last?.code ?? "");
      }, "the recording to hold the final code");
    },
    LONG,
  );

  test(
    "the interviewer opens the replay from the session page; without the token it is refused",
    async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/sessions/${session.id}#token=${session.interviewerToken}`);
      const link = page.getByRole("link", { name: /^Replay/ });
      await link.waitFor();
      expect(await link.getAttribute("href")).toBe(`/sessions/${session.id}/playback`);
      const [popup] = await Promise.all([context.waitForEvent("page"), link.click()]);
      replay = popup;
      await replay.setViewportSize(desktop);
      await replay.getByRole("slider", { name: "Replay position" }).waitFor();
      await page.close();

      const stranger = await browser.newContext({ viewport: desktop });
      const refused = await stranger.newPage();
      await refused.goto(`${server.url}/sessions/${session.id}/playback`);
      await refused.getByRole("heading", { name: "Only the interviewer can replay this session" }).waitFor();
      await stranger.close();
    },
    LONG,
  );

  test(
    "scrubbing shows exactly the code the writers held at each point, coloured by author",
    async () => {
      const slider = replay.getByRole("slider", { name: "Replay position" });
      // It opens at the start, before anything was typed.
      expect(await editorText(replay)).toBe("");

      // Keystroke by keystroke with the keyboard: every state the writers agreed on goes by, in order.
      await slider.focus();
      await replay.keyboard.press("Home");
      const seen: string[] = [];
      const total = Number(await slider.getAttribute("max"));
      for (let guard = 0; guard < 2000; guard++) {
        seen.push(await editorText(replay));
        if (Number(await slider.inputValue()) >= total) break;
        await replay.keyboard.press("ArrowRight");
      }
      let next = 0;
      for (const text of seen) if (text === observed[next]?.code) next++;
      expect(next).toBe(observed.length);

      // The language marker: the code as it was then, highlighted as the new language.
      const languageMarker = replay.locator("button.event.marker-language");
      const afterSwitch = observed.find((o) => o.language === "javascript");
      // The recording may still be refreshing with the previous test's leave: click until it shows.
      await until(async () => {
        await languageMarker.click();
        expect(await editorText(replay)).toBe(afterSwitch?.code ?? "missing");
      }, "the code at the language marker");
      expect(await textOf(replay, "[data-testid=replay-language]")).toBe("JavaScript");
      expect(await replay.locator(".editor-host").getAttribute("data-language")).toBe("javascript");

      // A run marker on the timeline: the code that ran, and its output beside it.
      if (runStdout) {
        await replay.locator(".timeline-marker.marker-run").click();
        expect(await editorText(replay)).toBe(atRun?.code ?? "missing");
        expect(await textOf(replay, "[data-testid=replay-language]")).toBe("Python");
        await until(async () => {
          expect(await textOf(replay, "[data-testid=output] [data-stream=stdout]")).toBe(runStdout);
        }, "the run's output in the side panel");
        expect(await textOf(replay, ".replay-run .run-summary")).toContain("Carl");
      }

      // Both authors, in the editor and in the legend.
      const authors = await replay
        .locator(".cm-content .cm-authored")
        .evaluateAll((spans) => [...new Set(spans.map((s) => s.getAttribute("data-author")))].sort());
      expect(authors).toEqual(["Carl", "Ivy"]);
      expect(await textOf(replay, "ul.legend")).toContain("Carl");
      expect(await textOf(replay, "ul.legend")).toContain("Ivy");
      await replay.screenshot({ path: join(screenshots, "playback-1280x800.png") });
    },
    LONG,
  );

  test(
    "playing at 32× reaches the end and shows the final code",
    async () => {
      await replay.getByRole("slider", { name: "Replay position" }).focus();
      await replay.keyboard.press("Home");
      expect(await editorText(replay)).toBe("");
      await replay.getByRole("button", { name: "32 times speed" }).click();
      expect(await replay.getByRole("button", { name: "32 times speed" }).getAttribute("aria-pressed")).toBe(
        "true",
      );
      await replay.getByRole("button", { name: "Play", exact: true }).click();
      // At 32× with idle gaps skipped the whole session plays in a blink, so "Pause" may come and go
      // between two looks: wait for the end itself — the final code, and "Play" offered again.
      const final = observed.at(-1)?.code ?? "missing";
      await until(
        async () => expect(await editorText(replay)).toBe(final),
        "the replay to reach the end",
        LONG,
      );
      await replay.getByRole("button", { name: "Play", exact: true }).waitFor({ timeout: LONG });
      expect(await editorText(replay)).toBe(final);
      expect(await textOf(replay, "[data-testid=replay-language]")).toBe("JavaScript");
    },
    LONG,
  );

  test(
    "restore this version puts the replayed code back for everyone, recorded in history",
    async () => {
      await replay.locator("button.event.marker-snapshot").click();
      const version = atRun?.code ?? "missing";
      expect(await editorText(replay)).toBe(version);

      await replay.setViewportSize(phone);
      await replay.screenshot({ path: join(screenshots, "playback-390x844.png"), fullPage: true });
      await replay.setViewportSize(desktop);

      await replay.getByRole("button", { name: "Restore this version" }).click();
      await replay.getByRole("button", { name: "Restore for everyone" }).click();
      await replay.getByRole("status").filter({ hasText: "Everyone now has the code as of" }).waitFor();
      for (const writer of writers) {
        await until(() => {
          expect(writer.text.toString()).toBe(version);
          expect(writer.meta.get("language")).toBe("python");
        }, "the restored version at every writer");
      }
      const history = (await (
        await api(`/sessions/${session.id}/history?kind=restore`, { token: session.interviewerToken })
      ).json()) as { items: Array<{ kind: string; payload: { label?: string } }> };
      expect(history.items.map((h) => h.payload.label)).toEqual([expect.stringMatching(/^Replay /)]);
      // The replay reloads with the restore on its timeline.
      await replay.locator("button.event.marker-restore").waitFor();
      expect(problems).toEqual([]);
    },
    LONG,
  );

  async function timeline(): Promise<TimelineUpdate[]> {
    const updates: TimelineUpdate[] = [];
    let cursor: number | undefined;
    do {
      const query = cursor === undefined ? "" : `?cursor=${cursor}`;
      const response = await api(`/sessions/${session.id}/playback${query}`, {
        token: session.interviewerToken,
      });
      const page = (await response.json()) as TimelinePage;
      updates.push(...decodeTimeline(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return updates;
  }
});
