import { dirname, join, normalize } from "node:path";

/** Swagger UI, installed from npm and served from here: the docs page needs no CDN. */
const assetsDir = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
const allowed = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
]);

/** The page's script is a file of its own: the docs' Content-Security-Policy allows no inline script. */
function initScript(prefix: string): string {
  return `window.ui = SwaggerUIBundle({ url: "${prefix}/openapi.json", dom_id: "#ui", deepLinking: true, validatorUrl: null });\n`;
}

export function docsPage(prefix: string): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Pairpad API</title>
  <link rel="stylesheet" href="${prefix}/docs/assets/swagger-ui.css" />
</head>
<body>
  <div id="ui"></div>
  <script src="${prefix}/docs/assets/swagger-ui-bundle.js"></script>
  <script src="${prefix}/docs/assets/init.js"></script>
</body>
</html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

export function docsAsset(name: string, prefix: string): Response | null {
  if (name === "init.js") {
    return new Response(initScript(prefix), {
      headers: { "content-type": "text/javascript; charset=utf-8" },
    });
  }
  if (!allowed.has(name)) return null;
  const file = Bun.file(normalize(join(assetsDir, name)));
  return new Response(file, { headers: { "cache-control": "public, max-age=86400" } });
}
