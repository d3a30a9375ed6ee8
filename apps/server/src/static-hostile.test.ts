/** Issue 10 on the paths that serve files: the web client's, the API document and the docs page. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testDatabaseTargets } from "@pairpad/db/testing";
import type { Server } from "bun";
import { createFetchHandler } from "./http.ts";
import type { RunningServer } from "./main.ts";
import { Metrics } from "./metrics/metrics.ts";
import { createStaticHandler } from "./static.ts";
import { startTestServer } from "./testing.ts";

const SECRET = "not for the web";

for (const target of testDatabaseTargets()) {
  describe(`files under hostile requests (${target.name})`, () => {
    let api: RunningServer;
    let web: Server<unknown>;
    let url: string;
    // A built client, with a file beside it that must never be served.
    const root = mkdtempSync(join(tmpdir(), "pairpad-static-"));
    const dist = join(root, "dist");

    beforeAll(async () => {
      mkdirSync(join(dist, "assets"), { recursive: true });
      writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
      writeFileSync(join(dist, "assets", "app.js"), "console.log(1)");
      writeFileSync(join(root, "secret.txt"), SECRET);
      api = await startTestServer(target);
      // The server's own handler, with the client's files served from `dist`.
      const handler = createFetchHandler({
        deps: api.deps,
        logger: api.deps.logger,
        metrics: new Metrics(),
        maxBodyBytes: api.env.MAX_BODY_BYTES,
        ready: async () => {},
        serveStatic: createStaticHandler(dist),
      });
      web = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        fetch: async (request, server) =>
          (await handler(request, server)) ?? new Response(null, { status: 500 }),
      });
      url = `http://127.0.0.1:${web.port}`;
    });
    afterAll(async () => {
      web.stop(true);
      await api.stop();
      rmSync(root, { recursive: true, force: true });
    });

    const files = [
      "/assets/app.js",
      "/signin",
      "/sessions/abc",
      "/api/openapi.json",
      "/api/docs",
      "/api/docs/assets/swagger-ui.css",
      "/api/docs/assets/init.js",
    ];

    test("files are read with GET and HEAD, OPTIONS says so; any other method is refused with 405", async () => {
      for (const path of files) {
        for (const method of ["GET", "HEAD"]) {
          const response = await fetch(`${url}${path}`, { method });
          expect({ path, method, status: response.status }).toEqual({ path, method, status: 200 });
        }
        const options = await fetch(`${url}${path}`, { method: "OPTIONS" });
        expect({ path, status: options.status }).toEqual({ path, status: 204 });
        expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        for (const method of ["POST", "PUT", "PATCH", "DELETE", "TRACE"]) {
          const response = await fetch(`${url}${path}`, {
            method,
            body: method === "TRACE" ? undefined : "x",
          });
          expect({ path, method, status: response.status }).toEqual({ path, method, status: 405 });
          expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
          // A TRACE answer has no body for fetch to read.
          if (method !== "TRACE") {
            expect(((await response.json()) as { code: string }).code).toBe("METHOD_NOT_SUPPORTED");
          }
        }
      }
    });

    test("encoded dots, slashes, backslashes, NUL and overlong UTF-8 reach nothing outside the files", async () => {
      const paths = [
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",
        "/assets/app.js%00",
        "/assets/%00/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/sessions/..%2f..%2f..%2fsecret.txt",
        "/api/docs/assets/..%2f..%2f..%2fsecret.txt",
        "/api/docs/assets/%2e%2e%2fpackage.json",
        "/api/docs/assets/swagger-ui.css%00",
        "/assets/%ff%fe",
      ];
      for (const path of paths) {
        const response = await fetch(`${url}${path}`);
        const body = await response.text();
        expect({ path, leaked: body.includes(SECRET), serverError: response.status >= 500 }).toEqual({
          path,
          leaked: false,
          serverError: false,
        });
        expect(body).not.toContain('"name": "swagger-ui-dist"');
      }
    });

    test("a forged Host never reaches the links a response carries", async () => {
      const response = await fetch(`${api.url}/api/sessions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          host: "evil.example",
          "x-forwarded-host": "evil.example",
        },
        body: "{}",
      });
      const created = (await response.json()) as Record<string, string>;
      expect(response.status).toBe(201);
      for (const link of ["candidateUrl", "observerUrl", "interviewerUrl"]) {
        expect(new URL(created[link] ?? "").host).toBe(`localhost:${api.port}`);
      }
    });
  });
}
