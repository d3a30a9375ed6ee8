import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under `optional`, `default`, `prefault` and `nullable`. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (!["optional", "default", "prefault", "nullable"].includes(def.type) || !def.innerType) return current;
    current = def.innerType;
  }
}

/** Whether the procedure takes no input at all (`z.void()`). */
export function takesNoInput(schema: z.ZodType | undefined): boolean {
  return schema === undefined || defOf(unwrap(schema)).type === "void";
}

/** The keys of an object input and the kind of each (`number`, `string`, …). */
export function inputKeys(schema: z.ZodType | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  if (!schema) return keys;
  const shape = defOf(unwrap(schema)).shape;
  for (const [key, field] of Object.entries(shape ?? {})) keys.set(key, defOf(unwrap(field)).type);
  return keys;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * The query string as input. Only the input's own keys are read (others are ignored, as proxies and
 * caches add their own); a repeated key stays a list and is refused by the schema. Numbers are read
 * strictly as plain decimals (no `0x10`, `1e3`, spaces or signs in odd places) and booleans only as
 * `true`/`false`: anything else stays a string, which the schema then refuses by name.
 */
export function queryInput(schema: z.ZodType | undefined, search: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, kind] of inputKeys(schema)) {
    const values = search.getAll(key);
    if (values.length === 0) continue;
    if (values.length > 1) {
      input[key] = values;
      continue;
    }
    const value = values[0] ?? "";
    if (kind === "number" && DECIMAL.test(value)) input[key] = Number(value);
    else if (kind === "boolean" && (value === "true" || value === "false")) input[key] = value === "true";
    else input[key] = value;
  }
  return input;
}

/**
 * Whether a `Content-Type` says JSON: the media type compared without regard to case, parameters
 * allowed, a charset only if it is UTF-8. `application/jsonx` and `text/json` are not JSON.
 */
export function isJsonMediaType(header: string | null): boolean {
  if (!header) return false;
  const [essence = "", ...parameters] = header.split(";");
  if (essence.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") return true;
    return value.trim().replace(/^"|"$/g, "").toLowerCase() === "utf-8";
  });
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
