import { type ApiDeps, appRouter, createContextInner, type RequestInfo } from "@pairpad/api";
import { AUTH_BASE_PATH } from "@pairpad/api/auth/auth";
import type { Logger } from "@pairpad/api/ports";
import { sessionIdPattern } from "@pairpad/api/session/ids";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Server } from "bun";
import { authInputProblem, jsonOf } from "./auth-input.ts";
import { bodyOrTooLarge } from "./body.ts";
import { type ClientAddress, clientAddressResolver } from "./client-address.ts";
import { docsAsset, docsPage } from "./docs.ts";
import { errorResponse } from "./errors.ts";
import type { EventStreams } from "./event-streams.ts";
import type { StreamLimit } from "./limits/stream-limit.ts";
import type { Metrics } from "./metrics/metrics.ts";
import { restBodyLimit } from "./rest/body-limits.ts";
import { openApiDocument } from "./rest/openapi.ts";
import { restRoutes } from "./rest/routes.ts";
import { createRestHandler } from "./rest.ts";
import { addSecurityHeaders } from "./security-headers.ts";

export interface HttpOptions {
  deps: ApiDeps;
  logger: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  /** Per client address, across nodes when the rate limiter is shared. */
  signInAttemptsPerMinute?: number;
  /** New accounts, and verification or reset emails asked for, per client address a minute. */
  signUpsPerMinute?: number;
  /** Readiness: resolves when the database and the bus answer. */
  ready: () => Promise<void>;
  /** `/ws/sessions/:id`: upgrades, or answers with a refusal. */
  upgrade?: (
    request: Request,
    server: Server<unknown>,
    sessionId: string,
    clientKey: string,
  ) => Promise<Response | undefined>;
  serveStatic?: (pathname: string) => Response | null;
  /** Who the client is for per-client limits (TRUSTED_PROXIES); default: the connection's address. */
  clientAddress?: ClientAddress;
  /** Open event streams per client (the tRPC subscriptions, over SSE). */
  streamLimit?: StreamLimit;
  /** Follows what each event stream was given and has sent, so a draining node cuts none mid-way. */
  eventStreams?: EventStreams;
}

/** tRPC procedures answered with a long-lived event stream: every subscription, whoever may call it. */
const STREAM_PROCEDURES = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === "subscription")
    .map(([name]) => name),
);

const PREFIX = "/api";
/** The most calls one tRPC batch may carry; the web client sends at most `maxItems` (fewer). */
export const MAX_TRPC_BATCH = 32;
export function createFetchHandler(options: HttpOptions) {
  const { deps, logger, metrics } = options;
  const clientAddress = options.clientAddress ?? clientAddressResolver([]);
  // A tRPC call takes what its procedure's REST operation takes (a batch, the most of its calls').
  const restPaths = new Map(restRoutes(appRouter).map((route) => [route.procedure, route.operation.path]));
  const trpcBodyLimit = (procedures: string) =>
    Math.max(
      ...procedures
        .split(",")
        .map((procedure) => restBodyLimit(restPaths.get(procedure) ?? "", options.maxBodyBytes)),
    );
  const createContext = (info: RequestInfo) => createContextInner(deps, info);
  const rest = createRestHandler({
    router: appRouter,
    createContext,
    maxBodyBytes: (path) => restBodyLimit(path, options.maxBodyBytes),
  });
  let openApiJson: string | null = null;

  /** better-auth's own endpoints (sign-up, sign-in, sign-out, password, organization, keys). */
  async function authHandler(request: Request, info: RequestInfo): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(AUTH_BASE_PATH.length);
    const budget =
      request.method !== "POST"
        ? null
        : checksPassword(path)
          ? { key: "sign-in", limit: options.signInAttemptsPerMinute ?? 10, what: "sign-in attempts" }
          : sendsAccountMail(path)
            ? {
                key: "sign-up",
                limit: options.signUpsPerMinute ?? 10,
                what: "sign-ups or account emails",
              }
            : null;
    if (budget) {
      const decision = await deps.rateLimiter.hit(`${budget.key}:${info.clientKey}`, budget.limit, 60);
      if (!decision.allowed) {
        return errorResponse(
          429,
          {
            code: "TOO_MANY_REQUESTS",
            message: `Too many ${budget.what}; retry in ${decision.retryAfterSeconds} s`,
            requestId: info.requestId,
          },
          { "retry-after": String(decision.retryAfterSeconds) },
        );
      }
    }
    let json: unknown;
    if (request.method === "POST") {
      const body = await bodyOrTooLarge(request, options.maxBodyBytes, info.requestId);
      if (body instanceof Response) return body;
      json = jsonOf(body, request.headers.get("content-type"));
      request = new Request(request.url, { method: "POST", headers: request.headers, body });
    }
    const problem = authInputProblem(url, json);
    if (problem) {
      return errorResponse(400, {
        code: "BAD_REQUEST",
        message: problem.message,
        fields: [problem.field],
        requestId: info.requestId,
      });
    }
    return deps.auth.handler(request);
  }

  async function route(
    request: Request,
    server: Server<unknown>,
    info: RequestInfo,
  ): Promise<Response | undefined> {
    const url = new URL(request.url);
    const { pathname } = url;

    if (pathname === "/healthz") return Response.json({ status: "ok" });
    if (pathname === "/readyz") {
      try {
        await withTimeout(options.ready(), 3000);
        return Response.json({ status: "ready" });
      } catch (error) {
        logger.warn("not ready", { error: String(error) });
        return Response.json({ status: "unavailable", error: String(error) }, { status: 503 });
      }
    }
    if (pathname === "/metrics") {
      return new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } });
    }

    const ws = pathname.match(/^\/ws\/sessions\/([^/]+)$/);
    if (ws && options.upgrade)
      return options.upgrade(request, server, decodedSegment(ws[1] ?? ""), info.clientKey ?? "unknown");

    const docs =
      pathname === `${PREFIX}/openapi.json` ||
      pathname === `${PREFIX}/docs` ||
      pathname === `${PREFIX}/docs/` ||
      pathname.startsWith(`${PREFIX}/docs/assets/`);
    if (docs && !READ_METHODS.has(request.method)) return notRead(request, info);
    if (pathname === `${PREFIX}/openapi.json`) {
      openApiJson ??= JSON.stringify(
        openApiDocument(restRoutes(appRouter), (path) => restBodyLimit(path, options.maxBodyBytes)),
      );
      return new Response(openApiJson, { headers: { "content-type": "application/json" } });
    }
    if (pathname === `${PREFIX}/docs` || pathname === `${PREFIX}/docs/`) return docsPage(PREFIX);
    if (pathname.startsWith(`${PREFIX}/docs/assets/`)) {
      return docsAsset(pathname.slice(`${PREFIX}/docs/assets/`.length), PREFIX) ?? notFound(info);
    }
    const solution = pathname.match(/^\/api\/sessions\/([^/]+)\/solution$/);
    if (solution && request.method === "GET") {
      // The final code as a file download, through the same procedure as its JSON twin.
      const restUrl = `${url.origin}${PREFIX}/sessions/${solution[1]}/export/code`;
      const answer = await rest(new Request(restUrl, { headers: request.headers }), info, PREFIX);
      if (!answer.ok) return answer;
      const file = (await answer.json()) as { filename: string; code: string };
      return new Response(file.code, {
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "content-disposition": `attachment; filename="${file.filename}"`,
        },
      });
    }
    if (pathname.startsWith(`${AUTH_BASE_PATH}/`)) return authHandler(request, info);
    if (pathname === PREFIX || pathname.startsWith(`${PREFIX}/`)) return rest(request, info, PREFIX);

    if (pathname.startsWith("/trpc/")) {
      // The procedures as tRPC reads them: it decodes the path, so `events%2Esession` is `events.session`.
      const procedures = decodedSegment(pathname.slice("/trpc/".length));
      let trpcRequest = request;
      if (request.method === "POST") {
        // Limit before tRPC parses anything: a declared or streamed body over the limit is refused here.
        const limit = trpcBodyLimit(procedures);
        const body = await bodyOrTooLarge(request, limit, info.requestId);
        if (body instanceof Response) return body;
        trpcRequest = new Request(request.url, {
          method: "POST",
          headers: request.headers,
          body,
          signal: request.signal,
        });
      }
      const streaming = procedures.split(",").some((procedure) => STREAM_PROCEDURES.has(procedure));
      const limit = streaming ? options.streamLimit : undefined;
      const release = limit?.acquire(info.clientKey ?? "unknown");
      if (limit && !release) {
        return errorResponse(
          429,
          {
            code: "TOO_MANY_REQUESTS",
            message: `Too many open event streams from this client (at most ${limit.perClient}); close one first`,
            requestId: info.requestId,
          },
          { "retry-after": "5" },
        );
      }
      // The stream's subscription reads its events through channels that note what it was given.
      const stream = streaming ? options.eventStreams?.start(request.signal) : undefined;
      try {
        const response = await fetchRequestHandler({
          endpoint: "/trpc",
          req: trpcRequest,
          router: appRouter,
          createContext: () =>
            stream
              ? createContextInner(
                  {
                    ...deps,
                    events: stream.channel(deps.events),
                    interviewerEvents: stream.channel(deps.interviewerEvents),
                  },
                  info,
                )
              : createContext(info),
          // One request must not carry an unbounded number of calls (each one a database query).
          maxBatchSize: MAX_TRPC_BATCH,
        });
        const answer =
          release && limit
            ? limit.hold(response, release, request.signal)
            : response.ok
              ? response
              : await withRequestId(response, info.requestId);
        // Outermost: the stream ending its body ends the response.
        return stream ? stream.respond(answer) : answer;
      } catch (error) {
        release?.();
        stream?.end();
        throw error;
      }
    }

    const file = options.serveStatic?.(pathname);
    if (file && !READ_METHODS.has(request.method)) return notRead(request, info);
    return file ?? notFound(info);
  }

  return async function fetch(received: Request, server: Server<unknown>): Promise<Response | undefined> {
    const started = performance.now();
    const request = withAbsoluteUrl(received, deps.config.publicUrl);
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    const info: RequestInfo = {
      authorization: request.headers.get("authorization"),
      cookie: request.headers.get("cookie"),
      apiKey: request.headers.get("x-api-key"),
      clientKey: clientAddress(server.requestIP(received)?.address, received.headers.get("x-forwarded-for")),
      requestId,
      signal: request.signal,
    };
    let response: Response | undefined;
    try {
      response = await route(request, server, info);
    } catch (error) {
      const path = new URL(request.url).pathname;
      logger.error("request failed", {
        requestId,
        path,
        sessionId: sessionIdInPath(path),
        error: String(error),
      });
      response = errorResponse(500, {
        code: "INTERNAL_SERVER_ERROR",
        message: "Internal server error",
        requestId,
      });
    }
    const path = new URL(request.url).pathname;
    metrics.observeRequest(
      request.method,
      path,
      response?.status ?? 101,
      (performance.now() - started) / 1000,
    );
    if (response) {
      response.headers.set("x-request-id", requestId);
      addSecurityHeaders(response.headers);
      if (!path.startsWith("/assets/") && path !== "/healthz" && path !== "/metrics") {
        logger.info("request", {
          requestId,
          method: request.method,
          path,
          status: response.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
      }
    }
    return response;
  };
}

/**
 * better-auth endpoints that check a password: each call costs a hash and answers whether the
 * password was right, so all of them share the per-client sign-in budget. `/verify-password` and
 * `/change-password` take a session, yet a stolen cookie must not buy unlimited guesses.
 */
function checksPassword(path: string): boolean {
  return path.startsWith("/sign-in/") || path === "/verify-password" || path === "/change-password";
}

/**
 * better-auth endpoints that may email an address (a new account, a verification link asked for
 * again, a password reset link): one budget, so a client cannot fill someone's mailbox.
 */
function sendsAccountMail(path: string): boolean {
  return (
    path.startsWith("/sign-up/") || path === "/send-verification-email" || path === "/request-password-reset"
  );
}

/**
 * A tRPC error answered before any context exists (a missing content type, a batch over the cap, a
 * path that is not valid percent-encoding) carries no request id, and goes out as `text/plain`: it
 * gets the id every other error carries, as REST's do, and its JSON media type.
 */
async function withRequestId(response: Response, requestId: string | undefined): Promise<Response> {
  if (!requestId || response.headers.get("content-type")?.includes("text/event-stream")) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  for (const item of Array.isArray(body) ? body : [body]) {
    const data = (item as { error?: { data?: { requestId?: string } } } | null)?.error?.data;
    if (data && !data.requestId) data.requestId = requestId;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

/** A path segment decoded; one that is not valid percent-encoding stays as it is (no id matches it). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The session a path names (`/api/sessions/:id/…`, `/ws/sessions/:id`, `/sessions/:id`), for error
 * logs; never a query parameter, and never an observer link's id (not a session's).
 */
export function sessionIdInPath(path: string): string | undefined {
  const id = /\/sessions\/([^/]+)/.exec(path)?.[1];
  return id && sessionIdPattern.test(id) ? id : undefined;
}

/**
 * A request without `Host` (HTTP/1.0, e.g. a load balancer's health check) has only a path as its
 * URL, which `new URL` rejects; resolve it against our own origin so every route still answers.
 */
function withAbsoluteUrl(request: Request, origin: string): Request {
  if (URL.canParse(request.url)) return request;
  return new Request(new URL(request.url, origin || "http://localhost"), request);
}

/** Documents (the web client's files, the API's document and docs page) are read, never written to. */
const READ_METHODS = new Set(["GET", "HEAD"]);
const ALLOW = "GET, HEAD, OPTIONS";

/**
 * Any other method on a document: OPTIONS says what is allowed (204; HAProxy's default health check is
 * `OPTIONS /` and wants a 2xx), everything else is refused with 405.
 */
function notRead(request: Request, info: RequestInfo): Response {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { allow: ALLOW } });
  return errorResponse(
    405,
    { code: "METHOD_NOT_SUPPORTED", message: "Only GET and HEAD read this path", requestId: info.requestId },
    { allow: ALLOW },
  );
}

function notFound(info: RequestInfo): Response {
  return errorResponse(404, { code: "NOT_FOUND", message: "No such route", requestId: info.requestId });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
  ]);
}
