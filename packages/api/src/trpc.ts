import type { Db } from "@pairpad/db/client";
import type { SessionRow } from "@pairpad/db/schema";
import { initTRPC, TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { Auth, SignupPolicy } from "./auth/auth.ts";
import { apiKeyOf, type Caller, identifyCaller, workspaceOf } from "./auth/caller.ts";
import type { DocumentStore } from "./documents/store.ts";
import type { Executor } from "./execution/executor.ts";
import type { RunQueue } from "./execution/run-queue.ts";
import type {
  Clock,
  InterviewerEvents,
  InvitationMailer,
  Logger,
  RateLimiter,
  RoomDirectory,
  RunMetrics,
  SessionEvents,
} from "./ports.ts";
import type { RestMeta } from "./rest-meta.ts";
import { observerIdPattern, sessionIdPattern, tokenMatches } from "./session/ids.ts";
import { isExpired, requireSessionRecord, requireWatchedSession } from "./session/sessions.ts";

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
  /** Whether anyone may create a quick session without an account (ANONYMOUS_SESSIONS). */
  anonymousSessions: boolean;
  /** Who may create an account (SIGNUP). */
  signup: SignupPolicy;
  /** New email + password accounts verify their address by a mailed link (EMAIL_VERIFICATION=required). */
  emailVerification: boolean;
  /** Days a workspace keeps an interview's record after its links expire (RETENTION_DAYS). */
  retentionDays: number;
}

/** Everything the procedures need from the outside world; `apps/server` provides the real ones. */
export interface ApiDeps {
  db: Db;
  documents: DocumentStore;
  rooms: RoomDirectory;
  events: SessionEvents;
  /** The interviewers' own channel: never subscribed to by a candidate's or observer's stream. */
  interviewerEvents: InterviewerEvents;
  executor: Executor;
  runQueue: RunQueue;
  rateLimiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  /** better-auth: accounts, workspaces (organizations), API keys. */
  auth: Auth;
  config: ApiConfig;
  runMetrics?: RunMetrics;
  /** Emails invitations to their invitees; unset (no SMTP_URL): the link is handed over by hand. */
  invitationMailer?: InvitationMailer;
}

/** What one request brings: its credentials and who sent it. */
export interface RequestInfo {
  authorization?: string | null;
  /** The `Cookie` header: a signed-in member's better-auth session. */
  cookie?: string | null;
  /** The `x-api-key` header. */
  apiKey?: string | null;
  /** Client address, for per-client rate limits. */
  clientKey?: string;
  requestId?: string;
  /** Aborts when the client goes away (it disconnected or gave up): abandoned work stops. */
  signal?: AbortSignal;
}

export function createContextInner(deps: ApiDeps, request: RequestInfo = {}) {
  const apiKey = apiKeyOf({ authorization: request.authorization, xApiKey: request.apiKey });
  // A bearer credential that is not an API key is a session's interviewer token.
  const bearerValue = request.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  const bearer = bearerValue && bearerValue !== apiKey ? bearerValue : null;
  let caller: Promise<Caller> | undefined;
  return {
    ...deps,
    bearer,
    clientKey: request.clientKey ?? "local",
    requestId: request.requestId,
    /** Who sent the request (cookie session, API key or nobody); looked up once, when first asked. */
    caller: () => {
      caller ??= identifyCaller(deps.auth, deps.db, { cookie: request.cookie, apiKey });
      return caller;
    },
    /** The member's cookie, for better-auth's own checks on organization calls made for them. */
    authHeaders: new Headers(request.cookie ? { cookie: request.cookie } : {}),
    requestSignal: request.signal,
    /** What an error log of this request names besides its path (a run sets `runId`). */
    logFields: {} as Record<string, string>,
  };
}
export type Context = ReturnType<typeof createContextInner>;

// ---------------------------------------------------------------- initialisation

/** The message of a body that is not JSON, over REST and tRPC alike. */
export const malformedJsonMessage = (error: Error) => `Malformed JSON body: ${error.message}`;

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
      // tRPC calls a body that is not JSON a bad request; REST's PARSE_ERROR (and message) says which.
      if (error.code === "BAD_REQUEST" && error.cause instanceof SyntaxError) {
        return {
          ...shape,
          code: TRPC_ERROR_CODES_BY_KEY.PARSE_ERROR,
          message: malformedJsonMessage(error.cause),
          data: { ...data, code: "PARSE_ERROR" as const, requestId: ctx?.requestId },
        };
      }
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

/** Anyone signed in through the web, in a workspace or not yet (accepting an invitation). */
export const signedInProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const caller = await ctx.caller();
  if (caller.kind === "apiKey") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in member, not an API key" });
  }
  if (caller.kind !== "member") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  }
  return next({ ctx: { user: caller } });
});

/** Any caller acting for a workspace: a signed-in member or an organization API key. */
export const workspaceProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const caller = await ctx.caller();
  const workspace = workspaceOf(caller);
  if (!workspace) {
    throw new TRPCError({
      code: caller.kind === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN",
      message:
        caller.kind === "anonymous"
          ? "Sign in, or send an API key (Authorization: Bearer <key> or x-api-key)"
          : "You are not a member of a workspace yet: accept an invitation first",
    });
  }
  return next({ ctx: { workspace } });
});

/** A signed-in member of a workspace (web session; API keys do not manage the workspace). */
export const memberProcedure = workspaceProcedure.use(async ({ ctx, next }) => {
  const { workspace } = ctx;
  if (workspace.userId === null) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in member, not an API key" });
  }
  return next({ ctx: { member: { ...workspace, userId: workspace.userId } } });
});

/** An owner or admin of the workspace. */
export const adminProcedure = memberProcedure.use(async ({ ctx, next }) => {
  if (ctx.member.role !== "owner" && ctx.member.role !== "admin") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Only an owner or admin of the workspace may do this",
    });
  }
  return next();
});

/** Whether the request may act as the session's interviewer: its token, or its workspace. */
export async function isSessionInterviewer(ctx: Context, session: SessionRow): Promise<boolean> {
  if (ctx.bearer !== null && tokenMatches(ctx.bearer, session.interviewerTokenHash)) return true;
  if (session.organizationId === null) return false;
  const workspace = workspaceOf(await ctx.caller());
  return workspace?.organizationId === session.organizationId;
}

/** The id of the session a call names (`id`), read before the procedure's own input parsing. */
async function sessionIdOf(getRawInput: () => Promise<unknown>): Promise<string> {
  const raw = await getRawInput();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw badInput("(body)", "expected an object");
  const id = (raw as { id?: unknown }).id;
  if (typeof id !== "string" || !(sessionIdPattern.test(id) || observerIdPattern.test(id))) {
    throw badInput("id", "not a valid session id");
  }
  return id;
}

/**
 * A call on one live session (`input.id`, or an observer link's id where the input takes one):
 * anyone with its link may make it. `ctx.session` is
 * the row; `ctx.isInterviewer` says whether the caller holds its token or belongs to its workspace.
 */
export const sessionProcedure = publicProcedure.use(async ({ ctx, getRawInput, next, path, type }) => {
  const id = await sessionIdOf(getRawInput);
  // An observer link's id reads what observers may read; the procedure's input says which ids it takes.
  if (observerIdPattern.test(id)) {
    const session = await requireWatchedSession(ctx, id);
    return next({ ctx: { session, isInterviewer: await isSessionInterviewer(ctx, session) } });
  }
  const session = await requireSessionRecord(ctx, id);
  if (!isExpired(session, ctx.clock())) {
    return next({ ctx: { session, isInterviewer: await isSessionInterviewer(ctx, session) } });
  }
  // Link expiry is not deletion: past its links (the interviewer token's too) the record is its
  // workspace's alone, to read, and to finish the interviewers' notes and scorecard.
  if (workspaceOf(await ctx.caller())?.organizationId !== session.organizationId) {
    throw new TRPCError({ code: "NOT_FOUND", message: `Session ${id} not found or expired` });
  }
  if (type !== "query" && !RECORD_MUTATIONS.has(path)) {
    throw new TRPCError({
      code: "CONFLICT",
      message: `The links of session ${id} expired at ${session.expiresAt.toISOString()}: its record can be read, not changed`,
    });
  }
  return next({ ctx: { session, isInterviewer: true } });
});

/** What a workspace may still change on a record after its links expired. */
const RECORD_MUTATIONS = new Set(["notes.add", "notes.edit", "scorecard.save", "session.delete"]);

/** Refuses a caller that is not the session's interviewer: 401 without credentials, 403 with others. */
export async function assertInterviewer(ctx: Context & { isInterviewer: boolean }): Promise<void> {
  if (ctx.isInterviewer) return;
  const caller = await ctx.caller();
  if (ctx.bearer === null && caller.kind === "anonymous") {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message:
        "This needs the interviewer token (Authorization: Bearer <interviewerToken>) or a workspace member",
    });
  }
  throw new TRPCError({
    code: "FORBIDDEN",
    message: "Neither the interviewer token of this session nor a member of its workspace",
  });
}

/** A call only the session's interviewers may make. */
export const interviewerProcedure = sessionProcedure.use(async ({ ctx, next }) => {
  await assertInterviewer(ctx);
  return next();
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
