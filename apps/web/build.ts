import { existsSync } from "node:fs";
import { readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

const webDir = import.meta.dir;
const distDir = join(webDir, "dist");
/** What the build reads; a change to any of them makes `dist` stale. */
const inputs = [
  "src",
  "public",
  "index.html",
  "vite.config.ts",
  "package.json",
  // The replay runs the API's replayer in the browser.
  "../../packages/api/src/playback",
  "../../packages/api/src/documents/names.ts",
  // The shared terminal's protocol, spoken by the room page.
  "../../packages/api/src/terminal",
  "../../packages/db/src/history-kinds.ts",
];

async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestChange(join(path, entry)));
  }
  return newest;
}

/** True when `dist` is missing or older than any of the client's sources. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await stat(join(distDir, "index.html")).catch(() => null);
  if (!built) return true;
  const sources = await Promise.all(inputs.map((input) => newestChange(join(webDir, input))));
  return Math.max(...sources) > built.mtimeMs;
}

let pending: Promise<string> | null = null;

/**
 * Builds the web client into `apps/web/dist` when it is missing or stale, and returns that
 * directory. The build goes to a scratch directory first and replaces `dist` in one rename, so a
 * server reading `dist` never sees a half-written build.
 */
export function ensureWebBuild(): Promise<string> {
  pending ??= build().finally(() => {
    pending = null;
  });
  return pending;
}

async function build(): Promise<string> {
  if (!(await webBuildIsStale())) return distDir;
  const scratch = join(webDir, `.dist-${process.pid}-${Date.now()}`);
  const vite = Bun.spawn([process.execPath, "x", "vite", "build", "--outDir", scratch, "--emptyOutDir"], {
    cwd: webDir,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [code, out, err] = await Promise.all([
    vite.exited,
    new Response(vite.stdout).text(),
    new Response(vite.stderr).text(),
  ]);
  if (code !== 0) {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`vite build failed (exit ${code}):\n${err || out}`);
  }
  const old = `${distDir}.old-${process.pid}`;
  if (existsSync(distDir)) await rename(distDir, old);
  await rename(scratch, distDir);
  await rm(old, { recursive: true, force: true });
  return distDir;
}

if (import.meta.main) {
  const dir = await ensureWebBuild();
  console.log(`web client ready in ${dir}`);
}
