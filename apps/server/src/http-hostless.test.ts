import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { newSessionId } from "@pairpad/api/session/ids";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { RunningServer } from "./main.ts";
import { startTestServer } from "./testing.ts";

/** Writes `head` on a raw TCP socket and reads until the server closes it (HTTP/1.0 closes after one answer). */
async function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  const chunks: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open: (socket) => void socket.write(head),
        data: (_socket, data) => void chunks.push(data),
        close: () => resolve(),
        error: (_socket, error) => reject(error),
      },
    }).catch(reject);
  });
  const text = Buffer.concat(chunks).toString("utf8");
  const [statusLine = "", ...rest] = text.split("\r\n");
  const body = rest.slice(rest.indexOf("") + 1).join("\r\n");
  return { status: Number(statusLine.split(" ")[1]), body };
}

// HAProxy's default `option httpchk` sends `OPTIONS / HTTP/1.0` with no Host header; a path-only URL
// used to throw "Invalid URL" and answer 500 on every path, so such a balancer marked every node down.
for (const target of testDatabaseTargets()) {
  describe(`requests without a Host header (${target.name})`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(target);
    });
    afterAll(() => server.stop());

    test("health and readiness answer as usual over HTTP/1.0", async () => {
      const health = await rawRequest(server.port, "GET /healthz HTTP/1.0\r\n\r\n");
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: "ok" });
      const ready = await rawRequest(server.port, "GET /readyz HTTP/1.0\r\n\r\n");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: "ready" });
    });

    test("HAProxy's default check and the API answer, never 500", async () => {
      const check = await rawRequest(server.port, "OPTIONS / HTTP/1.0\r\n\r\n");
      expect(check.status).toBeLessThan(500);
      const languages = await rawRequest(server.port, "GET /api/languages HTTP/1.0\r\n\r\n");
      expect(languages.status).toBe(200);
      expect(JSON.parse(languages.body).languages.length).toBeGreaterThan(0);
      const missing = await rawRequest(
        server.port,
        `GET /api/sessions/${newSessionId()}?x=1 HTTP/1.0\r\n\r\n`,
      );
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body).code).toBe("NOT_FOUND");
    });

    test("a POST without Host reaches its procedure with its body", async () => {
      const body = JSON.stringify({ title: "No host", language: "python" });
      const created = await rawRequest(
        server.port,
        `POST /api/sessions HTTP/1.0\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
      expect(created.status).toBe(201);
      expect(JSON.parse(created.body).title).toBe("No host");
    });
  });
}
