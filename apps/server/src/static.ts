import { existsSync, statSync } from "node:fs";
import { join, normalize, sep } from "node:path";

/** The client's own pages (apps/web/src/router.ts): the browser gets `index.html` for them. */
const appPages = new Set(["/", "/signin", "/signup", "/settings", "/verify-email"]);
const appSections = ["/sessions/", "/watch/", "/invite/"];

/** Serves the built web client; unknown paths under the app's routes get `index.html`. */
export function createStaticHandler(distDir: string) {
  const root = normalize(distDir);
  const index = join(root, "index.html");
  return function serveStatic(pathname: string): Response | null {
    if (!existsSync(index)) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    const file = normalize(join(root, decoded));
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = file.includes(`${sep}assets${sep}`);
      return new Response(Bun.file(file), {
        headers: { "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache" },
      });
    }
    if (
      appPages.has(pathname.replace(/(.)\/$/, "$1")) ||
      appSections.some((section) => pathname.startsWith(section))
    ) {
      return new Response(Bun.file(index), {
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    return null;
  };
}
