import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { Env } from "../../server/src/env.ts";
import { type RunningServer, startServer } from "../../server/src/main.ts";
import { ensureWebBuild } from "../build.ts";
import { launchBrowser, screenshots } from "./browser.ts";

export interface Stack {
  server: RunningServer;
  browser: Browser;
  dataDir: string;
  /** Closes the browser, stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * What a browser test file starts with: the web client built, a server of its own on a fresh data
 * directory (PGlite) with `env` on top of the defaults, and Chromium.
 */
export async function startStack(env: Partial<Env> = {}): Promise<Stack> {
  await ensureWebBuild();
  mkdirSync(screenshots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "pairpad-e2e-"));
  const server = await startServer(
    { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: dataDir, ...env },
    {},
  );
  const browser = await launchBrowser();
  return {
    server,
    browser,
    dataDir,
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
