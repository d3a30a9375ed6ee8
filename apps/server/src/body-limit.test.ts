/** Issue 10, findings 8 and 20: every client receives the JSON 413 of a body over the limit. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

/** Node's own `fetch` (undici), which fails with EPIPE when the server answers and closes mid-upload. */
async function nodeFetch(
  url: string,
  bytes: number,
): Promise<{ status?: number; body?: string; error?: string }> {
  const script = `
    const body = JSON.stringify({ code: "x".repeat(${bytes}) });
    fetch(${JSON.stringify(url)}, { method: "POST", headers: { "content-type": "application/json" }, body })
      .then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))
      .catch((e) => console.log(JSON.stringify({ error: String(e.cause?.code ?? e.cause ?? e) })));`;
  const child = Bun.spawn(["node", "-e", script], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(child.stdout).text();
  await child.exited;
  return JSON.parse(out.trim() || '{"error":"no output"}');
}

const hasNode = Bun.which("node") !== null;

for (const target of testDatabaseTargets()) {
  describe(`bodies over the limit (${target.name})`, () => {
    let server: RunningServer;
    let id = "";

    beforeAll(async () => {
      server = await startTestServer(target);
      const created = await fetch(`${server.url}/api/sessions`, { method: "POST" });
      id = ((await created.json()) as { id: string }).id;
    });
    afterAll(() => server.stop());

    test.skipIf(!hasNode)(
      "8: Node's fetch receives the 413 of a 5 MB upload instead of a broken pipe",
      async () => {
        for (let i = 0; i < 3; i++) {
          const answer = await nodeFetch(`${server.url}/api/sessions/${id}/code`, 5_000_000);
          expect(answer.error).toBeUndefined();
          expect(answer.status).toBe(413);
          expect(JSON.parse(answer.body ?? "{}")).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
        }
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      },
    );

    test("20: a body over 4 MiB gets the JSON error shape, declared or streamed", async () => {
      const declared = await fetch(`${server.url}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "big-one" },
        body: JSON.stringify({ title: "x".repeat(5 * 1024 * 1024) }),
      });
      expect(declared.status).toBe(413);
      expect(declared.headers.get("content-type")).toContain("application/json");
      expect(await declared.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE", requestId: "big-one" });

      const chunk = new Uint8Array(256 * 1024).fill(0x20);
      const streamed = await fetch(`${server.url}/trpc/session.create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 24; i++) controller.enqueue(chunk);
            controller.close();
          },
        }),
      });
      expect(streamed.status).toBe(413);
      expect(await streamed.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });
}
