/**
 * The connection indicator and offline edits when the server goes away and comes back on the same
 * port with the same data: a deploy or a crash, as a participant experiences it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { Env } from "../../server/src/env.ts";
import { type RunningServer, startServer } from "../../server/src/main.ts";
import { ensureWebBuild } from "../build.ts";
import {
  editorText,
  hasChromium,
  LONG,
  launchBrowser,
  type Participant,
  participant,
  textOf,
  typeCode,
  until,
} from "./browser.ts";

/** What a browser reports while the server is down; expected here, and nothing else is. */
const whileDown =
  /ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|WebSocket connection to/;

describe.skipIf(!hasChromium)("reconnecting in the browser", () => {
  let server: RunningServer | null = null;
  let settings: Partial<Env>;
  let dataDir: string;
  let browser: Browser;
  let candidate: Participant;

  beforeAll(async () => {
    await ensureWebBuild();
    dataDir = mkdtempSync(join(tmpdir(), "pairpad-e2e-reconnect-"));
    settings = { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: dataDir };
    server = await startServer(settings, {});
    settings.PORT = server.port;
    browser = await launchBrowser();
    candidate = await participant(browser);
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    "the indicator shows reconnecting while the server is away, and edits made meanwhile reach it",
    async () => {
      if (!server) throw new Error("no server");
      const created = (await (
        await fetch(`${server.url}/api/sessions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Reconnect", language: "python" }),
        })
      ).json()) as { id: string };
      const { page } = candidate;
      await page.addInitScript(() => localStorage.setItem("pairpad:name", "Grace Candidate"));
      await page.goto(`${server.url}/sessions/${created.id}`);
      await page.locator(".connection[data-connection=connected]").waitFor();
      await typeCode(page, "x = 1");
      await until(async () => {
        const code = (await (await fetch(`${server?.url}/api/sessions/${created.id}/code`)).json()) as {
          code: string;
        };
        expect(code.code).toBe("x = 1");
      }, "the first edit on the server");

      await server.stop();
      server = null;
      await page.locator(".connection[data-connection=reconnecting]").waitFor();
      expect(await textOf(page, ".connection")).toContain("Reconnecting");
      // Still editable offline: the change waits in the local document.
      await page.keyboard.insertText("\ny = 2");

      server = await startServer(settings, {});
      await page.locator(".connection[data-connection=connected]").waitFor({ timeout: 30_000 });
      await until(async () => {
        const code = (await (await fetch(`${server?.url}/api/sessions/${created.id}/code`)).json()) as {
          code: string;
        };
        expect(code.code).toBe("x = 1\ny = 2");
      }, "the offline edit on the server");
      expect(await editorText(page)).toBe("x = 1\ny = 2");
      expect(candidate.problems.filter((p) => !whileDown.test(p))).toEqual([]);
    },
    LONG,
  );
});
