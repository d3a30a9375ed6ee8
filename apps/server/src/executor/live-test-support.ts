import type { LiveRun, LiveRunRequest } from "./live-run.ts";

/**
 * For tests: a live run with everything it printed so far, a way to wait for text to appear on that
 * screen, and a way to type. Shared by the sandbox's and the Docker executor's live-run tests.
 */
export function watchLive(
  executor: { startLive(request: LiveRunRequest, onOutput: (chunk: Uint8Array) => void): LiveRun },
  request: LiveRunRequest,
  defaultTimeoutMs = 30_000,
) {
  let screen = "";
  const waiters = new Set<() => void>();
  const decoder = new TextDecoder();
  const run = executor.startLive(request, (chunk) => {
    screen += decoder.decode(chunk, { stream: true });
    for (const check of waiters) check();
  });
  const waitFor = (text: string | RegExp, timeoutMs = defaultTimeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const matches = () => (typeof text === "string" ? screen.includes(text) : text.test(screen));
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${text}; screen: ${JSON.stringify(screen.slice(-500))}`));
      }, timeoutMs);
      const check = () => {
        if (!matches()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const type = (text: string) => run.input(new TextEncoder().encode(text));
  return { run, waitFor, type, screen: () => screen };
}
