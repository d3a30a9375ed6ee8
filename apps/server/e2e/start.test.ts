import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a newcomer's `bun run start` does, with no configuration: serve, then stop cleanly on SIGTERM. */
test("start serves health, the API docs and the web client, and shuts down gracefully on SIGTERM", async () => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  const child = Bun.spawn(["bun", join(import.meta.dir, "../src/start.ts")], {
    env: { ...env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: mkdtempSync(join(tmpdir(), "pairpad-start-")) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  let output = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done)
      throw new Error(`server exited before listening:\n${output}${await new Response(child.stderr).text()}`);
    output += new TextDecoder().decode(value);
    url = output.match(/"message":"listening","url":"([^"]+)"/)?.[1];
  }
  try {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${url}/api/docs`)).status).toBe(200);
    const page = await fetch(`${url}/sessions/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  } finally {
    child.kill("SIGTERM");
  }
  expect(await child.exited).toBe(0);
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    output += new TextDecoder().decode(value);
  }
  expect(output).toContain('"message":"stopped"');
  // Logs never carry secrets.
  expect(output).not.toMatch(/interviewerToken|authorization/i);
}, 120_000);
