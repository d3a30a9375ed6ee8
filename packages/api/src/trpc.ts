import type { Db } from "@pairpad/db/client";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { DocumentStore } from "./documents/store.ts";
import type { Executor } from "./execution/executor.ts";
import type { RunQueue } from "./execution/run-queue.ts";
import type { Clock, Logger, RateLimiter, RoomDirectory, RunMetrics, SessionEvents } from "./ports.ts";
import type { RestMeta } from "./rest-meta.ts";

// ---------------------------------------------------------------- context

export interface ApiConfig {
  /** Base URL users open, for the links a new session returns. */
  publicUrl: string;
  sessionTtlHours: number;
  /** Run limits per minute. */
  runsPerMinutePerSession: number;
  runsPerMinutePerClient: number;
  /** Sessions one client may create per minute. */
  sessionsPerMinutePerClient: number;
}

/** Everything the procedures need from the outside world; `apps/server` provides the real ones. */
export interface ApiDeps {
  db: Db;
  documents: DocumentStore;
  rooms: RoomDirectory;
  events: SessionEvents;
  executor: Executor;
  runQueue: RunQueue;
  rateLimiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  config: ApiConfig;
  runMetrics?: RunMetrics;
}

/** What one request brings: its credentials and who sent it. */
export interface RequestInfo {
  authorization?: string | null;
  /** Client address, for per-client rate limits. */
  clientKey?: string;
  requestId?: string;
  /** Aborts when the client goes away (it disconnected or gave up): abandoned work stops. */
  signal?: AbortSignal;
}

export function createContextInner(deps: ApiDeps, request: RequestInfo = {}) {
  const bearer = request.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return {
    ...deps,
    bearer,
    clientKey: request.clientKey ?? "local",
    requestId: request.requestId,
    requestSignal: request.signal,
    /** What an error log of this request names besides its path (a run sets `runId`). */
    logFields: {} as Record<string, string>,
  };
}
export type Context = ReturnType<typeof createContextInner>;

// ---------------------------------------------------------------- initialisation

/** Where an issue is: its dotted path (`args.0`), or `(body)` for the input as a whole. */
const issuePath = (path: readonly PropertyKey[]) => path.map(String).join(".") || "(body)";

const t = initTRPC
  .context<Context>()
  .meta<RestMeta>()
  .create({
    // One error shape for tRPC and REST (which reads it from here): the offending fields, the
    // validation issues and the request id, never a stack.
    errorFormatter({ shape, error, ctx }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      // An unknown key is an issue of the object; it is named as a field of its own.
      const issues = zod?.issues.flatMap(
        (i): Array<{ path: string; message: string; code: string }> =>
          i.code === "unrecognized_keys"
            ? i.keys.map((key) => ({
                path: issuePath([...i.path, key]),
                message: "unknown field",
                code: i.code,
              }))
            : [{ path: issuePath(i.path), message: i.message, code: i.code }],
      );
      const fields = issues
        ? [...new Set(issues.map((i) => i.path))]
        : error.cause instanceof FieldError
          ? [error.cause.field]
          : undefined;
      const { stack: _stack, ...data } = shape.data;
      const message = issues
        ? `Invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`
        : shape.message;
      return { ...shape, message, data: { ...data, fields, issues, requestId: ctx?.requestId } };
    },
    // Bun closes idle HTTP streams after 10 s: keep event streams alive with pings.
    sse: { ping: { enabled: true, intervalMs: 5_000 }, client: { reconnectAfterInactivityMs: 15_000 } },
  });

/** Connection-level failures of the database or Redis: the service is unavailable, not broken. */
function isInfrastructureFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const code = String((current as { code?: unknown }).code ?? "");
    const message = String((current as { message?: unknown }).message ?? "");
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|CONNECTION_|CONNECT_TIMEOUT|57P0|08)/.test(code))
      return true;
    if (/connection (terminated|refused|closed|ended)|PGlite is closed|Connection is closed/i.test(message))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// ---------------------------------------------------------------- procedures

/** The session a call is about, for its error log: `sessionId`, or `id` on session procedures. */
function sessionOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const { sessionId, id } = input as { sessionId?: unknown; id?: unknown };
  const value = typeof sessionId === "string" ? sessionId : typeof id === "string" ? id : undefined;
  return value?.slice(0, 64);
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Unexpected failures are logged once with context; infrastructure outages answer 503, never hang. */
export const publicProcedure = t.procedure.use(async ({ ctx, path, next, getRawInput }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const cause = result.error.cause ?? result.error;
    const unavailable = isInfrastructureFailure(cause);
    ctx.logger.error(unavailable ? "infrastructure unavailable" : "procedure failed", {
      path,
      requestId: ctx.requestId,
      sessionId: sessionOf(await getRawInput().catch(() => undefined)),
      ...ctx.logFields,
      // The logger describes it with its causes, and never with a failed query's parameters.
      error: cause,
    });
    if (unavailable) {
      throw new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: "A backing service is unavailable; retry shortly",
      });
    }
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
  }
  return result;
});

export function badInput(
  field: string,
  message: string,
  code: "BAD_REQUEST" | "PAYLOAD_TOO_LARGE" = "BAD_REQUEST",
) {
  return new TRPCError({ code, message: `${field}: ${message}`, cause: new FieldError(field) });
}

/** Carries the offending field of an error raised by hand, so the REST body can name it. */
export class FieldError extends Error {
  constructor(readonly field: string) {
    super(field);
    this.name = "FieldError";
  }
}
