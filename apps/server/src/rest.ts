import type { AppRouter, RequestInfo } from "@pairpad/api";
import { RetryAfter } from "@pairpad/api/rate-limit";
import { malformedJsonMessage } from "@pairpad/api/trpc";
import { getTRPCErrorFromUnknown, getTRPCErrorShape } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { bodyOrTooLarge } from "./body.ts";
import { errorResponse } from "./errors.ts";
import { isJsonMediaType, isPlainObject, queryInput, takesNoInput } from "./rest/input.ts";
import { matchRoute, type RestRoute, restRoutes } from "./rest/routes.ts";

interface RestOptions {
  router: AppRouter;
  createContext: (info: RequestInfo) => unknown;
  /** Body limit per path; the default applies elsewhere. */
  maxBodyBytes: (path: string) => number;
}

/** The error every REST answer gives: the tRPC error shape's code, message, fields, issues and request id. */
interface FormattedError {
  message: string;
  data: { code: string; fields?: string[]; issues?: unknown[]; requestId?: string };
}

/**
 * REST over the same procedures: each procedure with `openapi` meta is one operation. The input is
 * the JSON body (or the query string), plus the path's parameters, handed to the procedure as it is:
 * no coercion, and a body that is not an object reaches the procedure's own schema, so REST refuses
 * what tRPC refuses, with the same answer.
 */
export function createRestHandler(options: RestOptions) {
  const routes = restRoutes(options.router);
  const config = options.router._def._config;

  async function call(route: RestRoute, input: unknown, info: RequestInfo, signal: AbortSignal) {
    let ctx: unknown;
    try {
      ctx = await options.createContext(info);
      const caller = options.router.createCaller(ctx as never, { signal }) as unknown as Record<
        string,
        unknown
      >;
      const procedure = route.procedure
        .split(".")
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        input: unknown,
      ) => Promise<unknown>;
      const data = await procedure(input);
      return Response.json(data, { status: route.operation.successStatus ?? 200 });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getTRPCErrorShape({
        config,
        error,
        type: route.type,
        path: route.procedure,
        input,
        ctx: ctx as never,
      }) as FormattedError;
      const headers: Record<string, string> = {};
      if (error.cause instanceof RetryAfter) headers["retry-after"] = String(error.cause.retryAfterSeconds);
      return errorResponse(
        getHTTPStatusCodeFromError(error),
        {
          code: shape.data.code,
          message: shape.message,
          fields: shape.data.fields,
          issues: shape.data.issues,
          requestId: info.requestId,
        },
        headers,
      );
    }
  }

  return async function handleRest(request: Request, info: RequestInfo, prefix: string): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(prefix.length) || "/";
    const match = matchRoute(routes, request.method, path);
    if (!match) {
      return errorResponse(404, { code: "NOT_FOUND", message: "No such route", requestId: info.requestId });
    }
    if ("allowed" in match) {
      return errorResponse(
        405,
        {
          code: "METHOD_NOT_SUPPORTED",
          message: `${request.method} is not supported here; use ${match.allowed.join(" or ")}`,
          requestId: info.requestId,
        },
        { allow: match.allowed.join(", ") },
      );
    }
    const { route, params } = match;
    if (takesNoInput(route.input)) return call(route, undefined, info, request.signal);

    let base: unknown = {};
    if (route.operation.method === "GET" || route.operation.method === "DELETE") {
      base = queryInput(route.input, url.searchParams);
    } else {
      const body = await jsonBody(request, options.maxBodyBytes(path), info.requestId);
      if (body instanceof Response) return body;
      if (body) base = body.value;
    }
    // A body that is not an object goes to the schema as it is, to be refused there (as by tRPC).
    const input = isPlainObject(base) ? { ...base, ...params } : base;
    return call(route, input, info, request.signal);
  };
}

/** The parsed JSON body; nothing for an empty one; the answer when it is too large or not JSON. */
async function jsonBody(
  request: Request,
  limit: number,
  requestId?: string,
): Promise<{ value: unknown } | undefined | Response> {
  const raw = await bodyOrTooLarge(request, limit, requestId);
  if (raw instanceof Response) return raw;
  if (raw.byteLength === 0) return undefined;
  const contentType = request.headers.get("content-type");
  if (!isJsonMediaType(contentType)) {
    return errorResponse(415, {
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: contentType
        ? `Unsupported content type "${contentType.slice(0, 100)}": send application/json (UTF-8)`
        : "A body needs content-type: application/json",
      requestId,
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return errorResponse(400, { code: "PARSE_ERROR", message: "The body is not valid UTF-8", requestId });
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return errorResponse(400, {
      code: "PARSE_ERROR",
      message: malformedJsonMessage(error as Error),
      requestId,
    });
  }
}
