/**
 * Security headers on every answer. The policy allows only this origin: scripts from the bundles
 * (no inline script anywhere, the docs page included), images also as data URIs, connections (HTTP
 * and the room's WebSocket) to itself. Inline styles are allowed: y-codemirror.next writes a
 * `<style>` per remote caret colour, and CodeMirror and Swagger UI set style attributes; a style
 * cannot run code. No page may be framed (clickjacking), and no referrer leaves: a session's link
 * is its capability.
 */
const policy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function addSecurityHeaders(headers: Headers): void {
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "no-referrer");
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", policy);
}
