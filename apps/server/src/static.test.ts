import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStaticHandler } from "./static.ts";

const dist = mkdtempSync(join(tmpdir(), "pairpad-dist-"));
mkdirSync(join(dist, "assets"));
writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
writeFileSync(join(dist, "assets", "app.js"), "console.log(1)");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

test("the client's pages get index.html; files are served; anything else is not the app's", async () => {
  const serve = createStaticHandler(dist);
  for (const page of [
    "/",
    "/signin",
    "/signup",
    "/settings",
    "/verify-email",
    "/invite/AbCd_-12",
    "/sessions/x",
    "/watch/y",
  ]) {
    const response = serve(page);
    expect({ page, type: response?.headers.get("content-type") }).toEqual({
      page,
      type: "text/html; charset=utf-8",
    });
  }
  expect(await serve("/assets/app.js")?.text()).toBe("console.log(1)");
  expect(serve("/assets/app.js")?.headers.get("cache-control")).toContain("immutable");
  for (const other of ["/nope", "/settings/extra", "/signin-now", "/../etc/passwd"]) {
    expect({ other, response: serve(other) }).toEqual({ other, response: null });
  }
});
