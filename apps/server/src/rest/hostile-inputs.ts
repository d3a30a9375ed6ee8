/**
 * Hostile requests generated from an OpenAPI document: for every operation, its parameters and
 * body broken one way at a time (wrong types, boundaries, NUL and unpaired surrogates, prototype
 * names, non-object and malformed bodies, deep and huge JSON, encoded slashes, media types). Each
 * says whether the server must refuse it (`invalid`) or only answer it as documented. For tests.
 */

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  format?: string;
};
type Parameter = { name: string; in: "path" | "query" | "header"; required?: boolean; schema: Schema };

/** Where a security scheme's credential goes: a header (with a prefix, as `Bearer `) or a cookie. */
export interface CredentialPlace {
  scheme: string;
  in: "header" | "cookie";
  name: string;
  prefix: string;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: Parameter[];
  body?: Schema;
  /** The body's limit in bytes, as the document states it ("at most 1 MiB"). */
  bodyLimit?: number;
  /** The security schemes that admit a caller, in the document's order. */
  security: CredentialPlace[];
  /** Whether a caller without any credential is admitted too (`security` lists `{}`). */
  open: boolean;
  /** The documented success status. */
  success: number;
}

export interface HostileRequest {
  operation: Operation;
  what: string;
  method: string;
  /** Path with its parameters filled in (already encoded). */
  path: string;
  query: string;
  body?: string;
  contentType?: string;
  /** Headers in place of the caller's credential (hostile ones). */
  headers?: Record<string, string>;
  /** The server must refuse it with a 4xx. */
  invalid: boolean;
  /** The exact answer the server must give: its status, and the error `code` when it is an error. */
  expect?: { status: number; code?: string };
}

type SecurityScheme = { type: string; scheme?: string; in?: string; name?: string };

function placeOf(scheme: string, definition: SecurityScheme | undefined): CredentialPlace {
  if (definition?.type === "apiKey" && definition.in === "cookie")
    return { scheme, in: "cookie", name: definition.name ?? scheme, prefix: `${definition.name}=` };
  if (definition?.type === "apiKey")
    return { scheme, in: "header", name: definition.name ?? scheme, prefix: "" };
  return { scheme, in: "header", name: "authorization", prefix: "Bearer " };
}

export function operationsOf(document: Record<string, unknown>): Operation[] {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const schemes = ((document.components as { securitySchemes?: Record<string, SecurityScheme> } | undefined)
    ?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const requestBody = op.requestBody as
        | { description?: string; content?: Record<string, { schema: Schema }> }
        | undefined;
      const content = requestBody?.content;
      const security = (op.security ?? []) as Array<Record<string, unknown>>;
      const statuses = Object.keys(op.responses as Record<string, unknown>).map(Number);
      return {
        method: method.toUpperCase(),
        path,
        operationId: op.operationId as string,
        parameters: (op.parameters ?? []) as Parameter[],
        body: content?.["application/json"]?.schema,
        bodyLimit: statedLimit(requestBody?.description),
        security: security.flatMap((s) => Object.keys(s).map((name) => placeOf(name, schemes[name]))),
        open: security.length === 0 || security.some((s) => Object.keys(s).length === 0),
        success: statuses.find((status) => status >= 200 && status < 300) ?? 200,
      };
    }),
  );
}

const units: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 * 1024 };

/** "… at most 1600 KiB …" → 1638400; undefined when no limit is stated. */
function statedLimit(description: string | undefined): number | undefined {
  const [, count, unit] = description?.match(/at most (\d+) (bytes|KiB|MiB)/) ?? [];
  return count && unit ? Number(count) * (units[unit] ?? 1) : undefined;
}

const typesOf = (schema: Schema): string[] => {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap(typesOf);
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? "null" : typeof v)))];
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
};
const main = (schema: Schema): Schema =>
  (schema.anyOf ?? schema.oneOf)?.find((s) => !typesOf(s).includes("null")) ?? schema;

/** A value the schema accepts, as far as a generator can tell. */
export function validValue(schema: Schema): unknown {
  const s = main(schema);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  const type = typesOf(s)[0];
  if (type === "string") {
    if (s.format === "date-time") return new Date(Date.now() + 3 * 3_600_000).toISOString();
    if (s.format === "email") return "someone@example.com";
    return "a".repeat(Math.max(1, s.minLength ?? 1));
  }
  if (type === "integer" || type === "number") return s.minimum ?? (s.exclusiveMinimum ?? 0) + 1;
  if (type === "boolean") return true;
  if (type === "array") return Array.from({ length: s.minItems ?? 0 }, () => validValue(s.items ?? {}));
  if (type === "object") {
    return Object.fromEntries((s.required ?? []).map((key) => [key, validValue(s.properties?.[key] ?? {})]));
  }
  return null;
}

const WRONG_TYPES: Array<[string, unknown]> = [
  ["integer", 1],
  ["number", 1.5],
  ["boolean", true],
  ["string", "5"],
  ["array", [5]],
  ["object", { value: 5 }],
  ["null", null],
];

/** Values the schema must refuse, each with what is wrong with it. */
export function invalidValues(schema: Schema): Array<[string, unknown]> {
  const s = main(schema);
  const allowed = typesOf(schema);
  const out: Array<[string, unknown]> = [];
  for (const [type, value] of WRONG_TYPES) {
    const accepted =
      allowed.includes(type) ||
      (type === "integer" && allowed.includes("number")) ||
      (type === "number" && allowed.includes("number"));
    if (!accepted && allowed.length > 0) out.push([`a ${type} instead of ${allowed.join("|")}`, value]);
  }
  if (s.enum) out.push(["a value outside the enum", "zzz-not-listed"]);
  if (allowed.includes("string") && !s.enum) {
    out.push(["NUL", "a\u0000b"], ["an unpaired surrogate", "a\ud800b"], ["a lone low surrogate", "\udfff"]);
    if (s.minLength) out.push([`shorter than ${s.minLength}`, "a".repeat(s.minLength - 1)]);
    if (s.maxLength !== undefined) out.push([`longer than ${s.maxLength}`, "a".repeat(s.maxLength + 1)]);
    if (s.format === "date-time") out.push(["not a date-time", "tomorrow"]);
  }
  if (allowed.includes("integer")) out.push(["a fraction for an integer", 1.5]);
  if (allowed.includes("integer") || allowed.includes("number")) {
    if (s.minimum !== undefined) out.push([`below ${s.minimum}`, s.minimum - 1]);
    if (s.exclusiveMinimum !== undefined) out.push([`not above ${s.exclusiveMinimum}`, s.exclusiveMinimum]);
    if (s.maximum !== undefined) out.push([`above ${s.maximum}`, s.maximum + 1]);
  }
  if (allowed.includes("array")) {
    if (s.maxItems !== undefined)
      out.push([
        `more than ${s.maxItems} items`,
        Array.from({ length: s.maxItems + 1 }, () => validValue(s.items ?? {})),
      ]);
    for (const [what, item] of invalidValues(s.items ?? {}).slice(0, 4))
      out.push([`an item: ${what}`, [item]]);
  }
  return out;
}

/** Query-string spellings an integer or number parameter must refuse. */
const BAD_NUMBERS = ["0x10", "1e3", "%201", "1%20", "+1", "01", "1.5", "", "abc", "%00", "1%00"];

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "x");
}

/** Names an object has before any of its own: a server that reads input with `obj[name]` finds these. */
const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

/**
 * Header values no credential or header parameter may carry: the UTF-8 bytes of an unpaired
 * surrogate, an invalid UTF-8 sequence, an encoded NUL. (A raw NUL cannot be sent: clients refuse it
 * and the HTTP server answers 400 itself, before any route.)
 */
const BAD_HEADER_VALUES = ["\xED\xA0\x80", "\xC3\x28", "%00"];

/** JSON media types spelt differently, which the server must read as JSON. */
const JSON_SPELLINGS = [
  "APPLICATION/JSON",
  "application/json; charset=UTF-8",
  'Application/Json;Charset="utf-8"',
];
/** Media types that look like JSON's, or are not it, which the server must refuse (415). */
const NOT_JSON = [
  "text/plain",
  "application/jsonx",
  "text/json",
  "application/json-patch+json",
  "application/x-www-form-urlencoded",
  "application/json; charset=latin1",
  "application/json, text/plain",
  "",
];

export interface HostileOptions {
  /** The operation's body limit in bytes: a body one byte over it must get the 413 error. */
  bodyLimit?: number;
}

/** Every hostile request for one operation; `pathValues` are real, encoded values of its path parameters. */
export function hostileRequests(
  operation: Operation,
  pathValues: Record<string, string>,
  options: HostileOptions = {},
): HostileRequest[] {
  const out: HostileRequest[] = [];
  const { method } = operation;
  const path = fill(operation.path, pathValues);
  const body = operation.body ? (validValue(operation.body) as Record<string, unknown>) : undefined;
  const json = body === undefined ? undefined : JSON.stringify(body);
  const base = {
    operation,
    method,
    path,
    query: "",
    body: json,
    contentType: json ? "application/json" : undefined,
  };
  const add = (what: string, changes: Partial<HostileRequest>, invalid = true) =>
    out.push({ ...base, what, invalid, ...changes });

  for (const parameter of operation.parameters.filter((p) => p.in === "path")) {
    for (const value of [
      "a%2Fb",
      "..%2F..%2Fetc",
      "%00",
      "%ED%A0%80",
      "a".repeat(300),
      "%E0%A4%A",
      "constructor",
      "__proto__",
    ]) {
      const broken = fill(operation.path, { ...pathValues, [parameter.name]: value });
      // A well-formed but unknown id is a 404, also a refusal.
      add(`path ${parameter.name} = ${value.slice(0, 20)}`, { path: broken });
    }
  }

  for (const parameter of operation.parameters.filter((p) => p.in === "query")) {
    const types = typesOf(parameter.schema);
    const values: string[] = [];
    if (types.includes("integer") || types.includes("number")) values.push(...BAD_NUMBERS);
    const s = main(parameter.schema);
    if (s.minimum !== undefined) values.push(String(s.minimum - 1));
    if (s.maximum !== undefined) values.push(String(s.maximum + 1));
    if (s.enum) values.push("zzz-not-listed", "%00");
    if (types.includes("string") && !s.enum) {
      values.push("a%00b");
      if (s.maxLength !== undefined) values.push("a".repeat(s.maxLength + 1));
    }
    for (const value of values)
      add(`query ${parameter.name}=${value.slice(0, 20)}`, { query: `${parameter.name}=${value}` });
    add(`query ${parameter.name} repeated`, { query: `${parameter.name}=1&${parameter.name}=2` });
  }
  if (method === "GET") {
    for (const name of PROTOTYPE_NAMES) {
      // Unknown parameters are ignored: documented answers, never a 500.
      add(`query ${name}=x (unknown)`, { query: `${name}=x` }, false);
    }
  }

  // A credential or header parameter with bytes no header should carry: refused where one is needed.
  const places = new Map(operation.security.map((place) => [`${place.in}:${place.name}`, place]));
  for (const parameter of operation.parameters.filter((p) => p.in === "header")) {
    places.set(`header:${parameter.name}`, { scheme: "", in: "header", name: parameter.name, prefix: "" });
  }
  for (const place of places.values()) {
    for (const value of BAD_HEADER_VALUES) {
      const name = place.in === "cookie" ? "cookie" : place.name;
      add(`${place.in} ${place.name}: ${JSON.stringify(value)}`, {
        headers: { [name]: `${place.prefix}${value}` },
        invalid: !operation.open && place.scheme !== "",
      });
    }
  }

  if (method !== "GET" && method !== "DELETE" && options.bodyLimit !== undefined) {
    // Whitespace pads a refused body (`null`) to the limit: it is read and judged, one byte more is not.
    const padded = (size: number) => `null${" ".repeat(size - 4)}`;
    add("body exactly at the limit", {
      body: padded(options.bodyLimit),
      contentType: "application/json",
      expect: { status: 400, code: "BAD_REQUEST" },
    });
    add("body one byte over the limit", {
      body: padded(options.bodyLimit + 1),
      contentType: "application/json",
      expect: { status: 413, code: "PAYLOAD_TOO_LARGE" },
    });
  }

  if (operation.body && body) {
    for (const raw of ["null", "[]", '"x"', "123", "true", "{", '{"a":1,}', "\u0000", '{"a":"\\ud800"']) {
      add(`body ${raw}`, { body: raw });
    }
    add("body nested 100000 deep", { body: "[".repeat(100_000) + "]".repeat(100_000) });
    // Under an unknown field: refused where the body is strict about its fields.
    const strict = operation.body.additionalProperties === false;
    const deep = JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`);
    add("body with nested depth under a field", { body: JSON.stringify({ ...body, deep }) }, strict);
    add("body of 3 MiB", { body: JSON.stringify({ ...body, zzz: "x".repeat(3 * 1024 * 1024) }) }, strict);
    for (const [key, value] of [
      ["__proto__", { polluted: 1 }],
      ["constructor", { prototype: { polluted: 1 } }],
      ["toString", 1],
      ["unknownField", 1],
    ] as const) {
      const text = `${JSON.stringify(body).slice(0, -1)}${Object.keys(body).length ? "," : ""}${JSON.stringify(key)}:${JSON.stringify(value)}}`;
      add(`body key ${key}`, { body: text }, strict);
    }
    for (const type of NOT_JSON) {
      add(`content-type "${type}"`, {
        contentType: type,
        expect: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
      });
    }
    // Read as JSON, so a body that is not an object is refused by the schema, not by its media type.
    for (const type of JSON_SPELLINGS) {
      add(`content-type "${type}" is JSON`, {
        contentType: type,
        body: "null",
        expect: { status: 400, code: "BAD_REQUEST" },
      });
    }
    for (const [name, schema] of Object.entries(main(operation.body).properties ?? {})) {
      for (const [what, value] of invalidValues(schema)) {
        add(`body ${name}: ${what}`, { body: JSON.stringify({ ...body, [name]: value }) });
      }
    }
    for (const name of main(operation.body).required ?? []) {
      const { [name]: _, ...rest } = body;
      add(`body without required ${name}`, { body: JSON.stringify(rest) });
    }
  }
  if (method === "DELETE") {
    // Last, as it deletes the real thing: unknown parameters are ignored, whatever their names.
    add(
      "query with prototype names (unknown)",
      {
        query: PROTOTYPE_NAMES.map((name) => `${name}=x`).join("&"),
        expect: { status: operation.success },
      },
      false,
    );
  }
  return out;
}
