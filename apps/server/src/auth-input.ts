import { isStorable, TEXT_RULE } from "@pairpad/api/input/text";

/**
 * The path of the first string (value or key) in `value` that PostgreSQL cannot store, or null.
 * Walked with a stack of its own: a body of nested arrays is deeper than the call stack.
 */
function unstorablePath(value: unknown): string | null {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: "" }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === "string" && !isStorable(next.value)) return next.path || "(body)";
    if (next.value === null || typeof next.value !== "object") continue;
    for (const [key, item] of Object.entries(next.value)) {
      const path = next.path ? `${next.path}.${key}` : key;
      if (!isStorable(key)) return path;
      pending.push({ value: item, path });
    }
  }
  return null;
}

/**
 * The field of a request to better-auth's endpoints that holds NUL or an unpaired surrogate, or
 * null. Its own validation lets them through (a name, a slug, a logo, an invitation id), and then
 * PostgreSQL refuses the write with a 500, or the name is stored altered: refused whole before it runs,
 * as our procedures refuse them (`text()`).
 */
export function authInputProblem(url: URL, json: unknown): { field: string; message: string } | null {
  for (const [key, value] of url.searchParams) {
    if (!isStorable(key) || !isStorable(value)) return { field: key, message: `${key}: ${TEXT_RULE}` };
  }
  const field = unstorablePath(json);
  return field ? { field, message: `${field}: ${TEXT_RULE}` } : null;
}

/** The body as JSON when it is JSON; anything else is left for better-auth to refuse. */
export function jsonOf(body: Uint8Array, contentType: string | null): unknown {
  if (!contentType?.toLowerCase().includes("json") || body.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}
