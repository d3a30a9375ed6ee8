import type { AppRouter, RequestInfo } from "@pairpad/api";
import type { Logger } from "@pairpad/api/ports";
import { RetryAfter } from "@pairpad/api/router/execute";
import type { TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler, generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { bodyOrTooLarge } from "./body.ts";
import { type ErrorBody, errorResponse } from "./errors.ts";

const REQUEST = Symbol("pairpad.request");

interface RestOptions {
  router: AppRouter;
  createContext: (info: RequestInfo) => unknown;
  logger: Logger;
  /** Body limit per path; the default applies elsewhere. */
  maxBodyBytes: (path: string) => number;
  publicUrl: string;
}

/** The OpenAPI document of the router, generated (never written by hand). */
export function openApiDocument(router: AppRouter, baseUrl: string): OpenAPIObject {
  return generateOpenApiDocument(router, {
    title: "Pairpad API",
    version: "1.0.0",
    description:
      "Collaborative coding interviews. Interviewer-only operations take `Authorization: Bearer <interviewerToken>` " +
      "(returned once by `POST /sessions`). Errors are JSON `{ code, message, fields? }`.",
    baseUrl,
    securitySchemes: {
      interviewerToken: { type: "http", scheme: "bearer", description: "The interviewer token" },
    },
  });
}

/**
 * REST over the same procedures. trpc-to-openapi's own fetch adapter builds its handler (and in
 * development, the whole document) on every request; this one builds it once, limits bodies
 * before parsing and gives every error the same JSON shape.
 */
export function createRestHandler(options: RestOptions) {
  const handler = createOpenApiNodeHttpHandler({
    router: options.router,
    // biome-ignore lint/suspicious/noExplicitAny: the request is our proxy, carrying its context
    createContext: ({ req }: { req: any }) => options.createContext(req[REQUEST] as RequestInfo) as never,
    responseMeta: ({ errors, paths }: { errors: TRPCError[]; paths?: readonly string[] }) => {
      const cause = errors[0]?.cause;
      if (cause instanceof RetryAfter) return { headers: { "Retry-After": String(cause.retryAfterSeconds) } };
      if (errors.length === 0 && paths?.[0] === "session.create") return { status: 201 };
      return {};
    },
  } as never) as unknown as (req: unknown, res: unknown) => Promise<void>;

  return async function handleRest(request: Request, info: RequestInfo, prefix: string): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(prefix.length) || "/";
    let body: unknown;
    const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.method !== "DELETE";
    let contentType = request.headers.get("content-type");
    if (hasBody) {
      const raw = await bodyOrTooLarge(request, options.maxBodyBytes(path), info.requestId);
      if (raw instanceof Response) return raw;
      const text = new TextDecoder().decode(raw);
      if (text.trim() === "") {
        body = {};
        contentType ??= "application/json";
      } else if (contentType?.startsWith("application/json")) {
        try {
          body = JSON.parse(text);
        } catch (error) {
          return errorResponse(400, {
            code: "PARSE_ERROR",
            message: `Malformed JSON body: ${(error as Error).message}`,
            requestId: info.requestId,
          });
        }
      }
    }
    const headers = new Headers(request.headers);
    if (contentType) headers.set("content-type", contentType);
    const proxied = new Proxy(request, {
      get(target, prop) {
        if (prop === "url") return `${url.origin}${path}${url.search}`;
        if (prop === "body") return body;
        if (prop === "headers") return headers;
        if (prop === REQUEST) return info;
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

    const response = await new Promise<{ status: number; headers: Headers; body: string }>((resolve) => {
      const out = new Headers();
      let status = 200;
      const res = {
        setHeader: (key: string, value: string | string[]) => {
          for (const v of Array.isArray(value) ? value : [value]) out.append(key, v);
        },
        get statusCode() {
          return status;
        },
        set statusCode(code: number) {
          status = code;
        },
        end: (text: string) => resolve({ status, headers: out, body: text }),
      };
      handler(proxied, res).catch((error: unknown) => {
        options.logger.error("REST adapter failed", { error: String(error), requestId: info.requestId });
        resolve({
          status: 500,
          headers: out,
          body: JSON.stringify({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error" }),
        });
      });
    });
    if (response.status < 400) {
      return new Response(response.body, { status: response.status, headers: response.headers });
    }
    return new Response(JSON.stringify(reshapeError(response.body, info.requestId)), {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** One error shape for every REST error: `{ code, message, fields?, issues?, requestId }`. */
function reshapeError(text: string, requestId?: string): ErrorBody {
  try {
    const raw = JSON.parse(text) as {
      code?: string;
      message?: string;
      issues?: Array<{ path?: unknown[]; message?: string; code?: string }>;
      data?: { fields?: string[] };
    };
    const issues = raw.issues?.map((i) => ({
      path: i.path?.join(".") ?? "",
      message: i.message,
      code: i.code,
    }));
    const fields =
      raw.data?.fields ?? (issues ? [...new Set(issues.map((i) => i.path || "(body)"))] : undefined);
    const message =
      raw.message === "Input validation failed" && issues
        ? `Invalid input: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`
        : (raw.message ?? "Error");
    return { code: raw.code ?? "INTERNAL_SERVER_ERROR", message, fields, issues, requestId };
  } catch {
    return { code: "INTERNAL_SERVER_ERROR", message: "Internal server error", requestId };
  }
}

export type { TRPCError };
