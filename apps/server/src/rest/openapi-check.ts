/**
 * Checks answers against the served OpenAPI document with a real JSON Schema validator (Ajv, draft
 * 2020-12 as OpenAPI 3.1 uses): the status must be documented for the operation, the body must match
 * its schema, and the declared headers must be there. For tests.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;
const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");

export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });

  constructor(readonly document: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(document, "openapi");
  }

  /** `[method, path template]` of every operation. */
  operations(): Array<{ method: string; path: string; operation: Json }> {
    return Object.entries(this.document.paths as Record<string, Record<string, Json>>).flatMap(
      ([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          operation,
        })),
    );
  }

  private response(method: string, path: string, status: number): { ref: string; value: Json } | null {
    const paths = this.document.paths as Record<string, Record<string, { responses: Record<string, Json> }>>;
    const declared = paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!declared) return null;
    const target = declared.$ref as string | undefined;
    if (target) {
      const name = target.split("/").pop() ?? "";
      const responses = (this.document.components as { responses: Record<string, Json> }).responses;
      return { ref: `openapi#/${pointer("components", "responses", name)}`, value: responses[name] ?? {} };
    }
    return {
      ref: `openapi#/${pointer("paths", path, method.toLowerCase(), "responses", String(status))}`,
      value: declared,
    };
  }

  /** What is wrong with an answer to `method path` (empty: it is as documented). */
  problems(method: string, path: string, status: number, headers: Headers, text: string): string[] {
    const where = `${method} ${path} -> ${status}`;
    const declared = this.response(method, path, status);
    if (!declared) return [`${where}: status not documented`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries((declared.value.headers ?? {}) as Record<string, Json>)) {
      if (header.required && !headers.has(name)) problems.push(`${where}: header ${name} missing`);
    }
    const content = declared.value.content as Record<string, unknown> | undefined;
    if (!content) {
      if (text !== "") problems.push(`${where}: a body where none is documented`);
      return problems;
    }
    if (!headers.get("content-type")?.startsWith("application/json")) {
      problems.push(`${where}: content-type ${headers.get("content-type")} is not JSON`);
      return problems;
    }
    const validate = this.ajv.getSchema(
      `${declared.ref}/${pointer("content", "application/json", "schema")}`,
    );
    if (!validate) return [...problems, `${where}: no schema`];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`);
      problems.push(`${where}: body does not match its schema: ${errors.join("; ")}`);
    }
    return problems;
  }
}
