import type { Db } from "@pairpad/db/client";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { DocumentStore } from "./documents/store.ts";
import type { Executor } from "./execution/executor.ts";
import type { RunQueue } from "./execution/run-queue.ts";
import type { Clock, Logger, RateLimiter, RoomDirectory, SessionEvents } from "./ports.ts";

// ---------------------------------------------------------------- context

export interface ApiConfig {
  /** Base URL users open, for the links a new session returns. */
  publicUrl: string;
  sessionTtlHours: number;
  /** Run limits per minute. */
  runsPerMinutePerSession: number;
  runsPerMinutePerClient: number;
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
}

/** What one request brings: its credentials and who sent it. */
export interface RequestInfo {
  authorization?: string | null;
  /** Client address, for per-client rate limits. */
  clientKey?: string;
  requestId?: string;
}

export function createContextInner(deps: ApiDeps, request: RequestInfo = {}) {
  const bearer = request.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return { ...deps, bearer, clientKey: request.clientKey ?? "local", requestId: request.requestId };
}
export type Context = ReturnType<typeof createContextInner>;

// ---------------------------------------------------------------- initialisation

/** Field paths named by a validation error, e.g. `["title", "stdin"]`. */
function fieldsOf(error: ZodError): string[] {
  return [...new Set(error.issues.map((i) => i.path.join(".") || "(body)"))];
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message: zod
          ? `Invalid input: ${zod.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`
          : shape.message,
        data: { ...data, fields: zod ? fieldsOf(zod) : undefined },
      };
    },
  });

// ---------------------------------------------------------------- procedures

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

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
