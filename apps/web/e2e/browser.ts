/** Shared pieces of the browser tests: Debian's Chromium via playwright-core, and patient checks. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

export const screenshots = resolve(import.meta.dir, "../../../artifacts/screenshots");
export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };
export const LONG = 90_000;

/** Polls until `check` stops throwing: for outcomes that arrive over the network, instead of sleeps. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}: ${String(error)}`);
      await Bun.sleep(50);
    }
  }
}

export interface Participant {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

export async function participant(browser: Browser): Promise<Participant> {
  const context = await browser.newContext({ viewport: desktop });
  await reportPolicyViolations(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  return { context, page, problems };
}

/**
 * Every Content-Security-Policy violation becomes a console error (so it lands in `problems`), with
 * the directive and what was blocked, including those Chromium would only report.
 */
export async function reportPolicyViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
}

/** The editor's lines as text (CodeMirror renders one element per line). */
export const editorText = async (page: Page) =>
  (await page.locator(".cm-content .cm-line").allTextContents()).join("\n");
export const textOf = async (page: Page, selector: string) =>
  (await page.locator(selector).allTextContents()).join(" ");

/** Replaces the whole document by keyboard, as a person would. */
export async function typeCode(page: Page, code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/** Never downloads a browser: the system's Chromium, with quiet flags for CI. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
