import { resolve } from "node:path";
import { type ApiDeps, appRouter } from "@pairpad/api";
import { createAuth } from "@pairpad/api/auth/auth";
import { apiKeyOf, identifyCaller, workspaceOf } from "@pairpad/api/auth/caller";
import { instanceSecret } from "@pairpad/api/auth/secret";
import { sweepExpiredVerifications } from "@pairpad/api/auth/verifications";
import type { DocumentStore } from "@pairpad/api/documents/store";
import type { InterviewerEvent } from "@pairpad/api/events/interviewer-events";
import type { Executor } from "@pairpad/api/execution/executor";
import { RunQueue } from "@pairpad/api/execution/run-queue";
import type { RateLimiter } from "@pairpad/api/ports";
import { sweepExpiredSessions } from "@pairpad/api/session/sessions";
import { type Database, openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import type { Server } from "bun";
import Redis from "ioredis";
import type { Bus } from "./bus/bus.ts";
import { RedisEventMemory } from "./bus/event-memory.ts";
import { LocalBus } from "./bus/local-bus.ts";
import { BusSessionEvents } from "./bus/session-events.ts";
import { clientAddressResolver } from "./client-address.ts";
import { drain } from "./drain.ts";
import { type Env, loadEnv } from "./env.ts";
import { errorResponse } from "./errors.ts";
import { EventStreams } from "./event-streams.ts";
import { createExecutor, DockerExecutor, SandboxExecutor } from "./executor/index.ts";
import { dockerConnection } from "./executor-connection.ts";
import { createFetchHandler, sessionIdInPath } from "./http.ts";
import { LocalRateLimiter, RedisRateLimiter } from "./limits/rate-limiter.ts";
import { StreamLimit } from "./limits/stream-limit.ts";
import { createLogger } from "./logger.ts";
import { RecipientBudget } from "./mail/recipient-budget.ts";
import { SmtpMailer } from "./mail/smtp-mailer.ts";
import { MeasuredDocumentStore } from "./metrics/measured-document-store.ts";
import { Metrics } from "./metrics/metrics.ts";
import { createRouteLabels } from "./metrics/route-label.ts";
import { restRoutes } from "./rest/routes.ts";
import { createRoomServer, type RoomConnection, roomDefaults } from "./rooms/index.ts";
import { createStaticHandler } from "./static.ts";

export const webDistDir = resolve(import.meta.dir, "../../web/dist");

export interface RunningServer {
  url: string;
  port: number;
  env: Env;
  deps: ApiDeps;
  server: Server<unknown>;
  /** Flushes documents and closes every connection at once, cancelling runs; idempotent. */
  stop(): Promise<void>;
  /**
   * SIGTERM: not ready any more, stops accepting, moves sockets away (1001) after flushing, lets
   * requests and runs in flight finish up to SHUTDOWN_TIMEOUT_SECONDS, then closes; idempotent.
   */
  drain(): Promise<void>;
}

/** Starts one server node: database, bus, executor, rooms and HTTP on one port. */
export async function startServer(
  overrides: Partial<Env> = {},
  source: Record<string, string | undefined> = process.env,
  /** Parts made by the caller (tests pass a prepared database); the server closes them on stop. */
  parts: { database?: Database } = {},
): Promise<RunningServer> {
  const env = loadEnv(source, overrides);
  const logger = createLogger(env.LOG_LEVEL);
  const database =
    parts.database ??
    (await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATABASE_URL ? undefined : resolve(env.DATA_DIR, "pglite"),
    }));
  await migrate(database);

  let bus: Bus;
  let redis: Redis | null = null;
  if (env.REDIS_URL) {
    const { RedisBus } = await import("./bus/redis-bus.ts");
    bus = await RedisBus.connect(env.REDIS_URL, { prefix: env.REDIS_PREFIX });
    redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  } else {
    bus = new LocalBus();
  }
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter(redis, `${env.REDIS_PREFIX}rate:`)
    : new LocalRateLimiter();
  const eventMemory = redis ? new RedisEventMemory(redis, env.REDIS_PREFIX) : undefined;
  const events = new BusSessionEvents(bus, eventMemory);
  const interviewerEvents = new BusSessionEvents<InterviewerEvent>(bus, eventMemory, "interviewer-events");
  const metrics = new Metrics();
  const documents: DocumentStore = new MeasuredDocumentStore(database.db, metrics.flushDuration);
  const clock = () => new Date();
  const liveLimits = {
    idleMs: env.LIVE_IDLE_MINUTES * 60_000,
    wallTimeMs: env.LIVE_WALL_MINUTES * 60_000,
    outputBytes: env.LIVE_OUTPUT_BYTES,
  };
  const executor: Executor = createExecutor(
    env.EXECUTOR === "docker"
      ? { kind: "docker", docker: dockerConnection(env), workRoot: env.DOCKER_WORK_ROOT, liveLimits, logger }
      : { kind: "sandbox", prewarm: env.SANDBOX_PREWARM, liveLimits, logger },
  );
  const runQueue = new RunQueue({
    concurrency: env.MAX_CONCURRENT_RUNS,
    maxWaiting: env.RUN_QUEUE_SIZE,
    maxPerOwner: env.MAX_RUNS_PER_CLIENT,
  });
  const publicUrl = env.PUBLIC_URL?.replace(/\/$/, "");
  const authSecret = env.AUTH_SECRET ?? (await instanceSecret(database.db, "auth"));
  const mailer =
    env.SMTP_URL && env.SMTP_FROM
      ? new SmtpMailer({
          url: env.SMTP_URL,
          from: env.SMTP_FROM,
          logger,
          outcomes: metrics.invitationEmails,
          accountOutcomes: metrics.accountEmails,
          recipientBudget: new RecipientBudget({
            rateLimiter,
            perHour: env.ACCOUNT_EMAILS_PER_HOUR_PER_ADDRESS,
            secret: authSecret,
          }),
        })
      : undefined;
  if (mailer && !env.PUBLIC_URL) {
    logger.warn("SMTP_URL is set without PUBLIC_URL: invitation emails link to this node's own address");
  }
  const auth = createAuth(database.db, {
    secret: authSecret,
    baseURL: publicUrl,
    secureCookies: publicUrl?.startsWith("https://") ?? false,
    signup: env.SIGNUP,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET }
        : undefined,
    emailVerification: env.EMAIL_VERIFICATION === "required" && mailer ? { mailer } : undefined,
    passwordReset: mailer ? { mailer } : undefined,
    clock,
    logger,
  });
  const rooms = createRoomServer({
    db: database.db,
    // The shared terminal runs live programs in the local sandbox, or in a container with a tty.
    liveExecutor:
      executor instanceof SandboxExecutor || executor instanceof DockerExecutor ? executor : undefined,
    terminal: {
      maxLiveRuns: env.LIVE_MAX_RUNS,
      maxLiveRunsPerClient: env.LIVE_MAX_RUNS_PER_CLIENT,
      startsPerMinute: env.RUNS_PER_MINUTE_PER_SESSION,
    },
    // Members of the session's workspace join as its interviewer, by their cookie.
    isWorkspaceInterviewer: async (req, session) => {
      if (!session.organizationId) return false;
      const caller = await identifyCaller(auth, database.db, {
        cookie: req.headers.get("cookie"),
        apiKey: apiKeyOf({
          authorization: req.headers.get("authorization"),
          xApiKey: req.headers.get("x-api-key"),
        }),
      }).catch(() => ({ kind: "anonymous" }) as const);
      return workspaceOf(caller)?.organizationId === session.organizationId;
    },
    documents,
    bus,
    events,
    logger,
    clock,
    rateLimiter,
    config: {
      maxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
      maxConnectionsPerSession: env.MAX_CONNECTIONS_PER_SESSION,
      messagesPerSecond: env.WS_MESSAGES_PER_SECOND,
      connectsPerMinutePerClient: env.WS_CONNECTS_PER_MINUTE_PER_CLIENT,
      // Three seconds' worth: frames queued while the server itself was busy arrive together,
      // and that must not count against the client.
      messageBurst: Math.max(roomDefaults.messageBurst, 3 * env.WS_MESSAGES_PER_SECOND),
    },
  });
  await rooms.ready();
  bus.onReconnect(() => metrics.busReconnects.inc());

  const deps: ApiDeps = {
    db: database.db,
    documents,
    rooms: rooms.directory,
    events,
    interviewerEvents,
    executor,
    runQueue,
    rateLimiter,
    clock,
    logger,
    auth,
    runMetrics: metrics,
    invitationMailer: mailer,
    config: {
      publicUrl: env.PUBLIC_URL ?? "",
      anonymousSessions: env.ANONYMOUS_SESSIONS,
      signup: env.SIGNUP,
      emailVerification: env.EMAIL_VERIFICATION === "required",
      passwordReset: !!mailer,
      retentionDays: env.RETENTION_DAYS,
      sessionTtlHours: env.SESSION_TTL_HOURS,
      runsPerMinutePerClient: env.RUNS_PER_MINUTE_PER_CLIENT,
      runsPerMinutePerSession: env.RUNS_PER_MINUTE_PER_SESSION,
      sessionsPerMinutePerClient: env.SESSIONS_PER_MINUTE_PER_CLIENT,
    },
  };
  database.thread?.onRestart(({ phase, ...event }) => {
    if (phase === "restarted") {
      metrics.databaseRestarts.inc();
      logger.warn("database thread restarted", event);
    } else {
      logger.error(
        phase === "crashed" ? "database thread died; restarting it" : "database thread restart failed",
        event,
      );
    }
  });
  metrics.configure(
    {
      rooms: () => rooms.stats(),
      runQueue: () => ({ running: runQueue.running, waiting: runQueue.waiting }),
      sandboxPool: executor instanceof SandboxExecutor ? () => executor.poolStats() : undefined,
    },
    createRouteLabels(
      [...new Set(restRoutes(appRouter).map((route) => route.operation.path))],
      Object.keys(appRouter._def.procedures),
    ),
  );

  let draining = false;
  /** Requests whose answer is not ready yet (an event stream counts only until its headers). */
  let inFlight = 0;
  const eventStreams = new EventStreams();
  const fetch = createFetchHandler({
    deps,
    logger,
    metrics,
    maxBodyBytes: env.MAX_BODY_BYTES,
    signInAttemptsPerMinute: env.SIGNIN_ATTEMPTS_PER_MINUTE,
    signUpsPerMinute: env.SIGNUPS_PER_MINUTE_PER_CLIENT,
    ready: async () => {
      if (draining) throw new Error("shutting down");
      await database.ping();
      await bus.ping();
    },
    serveStatic: createStaticHandler(webDistDir),
    clientAddress: clientAddressResolver(env.TRUSTED_PROXIES),
    streamLimit: new StreamLimit(env.MAX_EVENT_STREAMS_PER_CLIENT),
    eventStreams,
    upgrade: (request, server, sessionId, clientKey) =>
      rooms.upgrade(request, server as Server<RoomConnection>, sessionId, clientKey),
  });
  const server = Bun.serve({
    port: env.PORT,
    hostname: env.HOST,
    fetch: async (request: Request, server: Server<RoomConnection>) => {
      inFlight++;
      try {
        const response = await fetch(request, server as Server<unknown>);
        // Keep-alive connections would carry the next request here again: send them elsewhere.
        if (draining) response?.headers.set("connection", "close");
        return response as Response;
      } catch (error) {
        // The path without its query (which may hold a token), and the session it names.
        const path = request.url.replace(/^[a-z]+:\/\/[^/]*/, "").split("?")[0] ?? "";
        logger.error("unhandled request error", {
          path,
          sessionId: sessionIdInPath(path),
          error: String(error),
        });
        return errorResponse(500, { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
      } finally {
        inFlight--;
      }
    },
    websocket: rooms.websocket,
    // Each route applies its own limit and answers a JSON 413 (bodies are streamed, never held
    // whole); Bun's own refusal would be an empty 413.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: 30,
    // Whatever escapes the handler (its request unknown here) answers a plain JSON 500, never Bun's
    // HTML page with source.
    error(error) {
      logger.error("unhandled server error", { error: String(error) });
      return errorResponse(500, { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
    },
  });
  const port = server.port ?? env.PORT;
  const url = `http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST}:${port}`;
  deps.config.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");

  const sweep = async () => {
    try {
      await sweepExpiredSessions(deps);
      await sweepExpiredVerifications(database.db, clock());
    } catch (error) {
      logger.error("sweep failed", { error: String(error) });
    }
  };
  const sweeper = setInterval(sweep, env.SWEEP_INTERVAL_SECONDS * 1000);
  void sweep();

  let stopping: Promise<void> | null = null;
  const closeTheRest = async () => {
    mailer?.close();
    await executor.close?.();
    await bus.close();
    redis?.disconnect();
    await database.close();
    logger.info("stopped");
  };
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(sweeper);
      runQueue.close();
      // Rooms first: they flush and compact every document while the database is still open.
      await rooms.close();
      server.stop(true);
      await closeTheRest();
    })();
    return stopping;
  };
  const drainAndStop = () => {
    draining = true;
    stopping ??= (async () => {
      clearInterval(sweeper);
      await drain({
        logger,
        delayMs: env.SHUTDOWN_DELAY_SECONDS * 1000,
        timeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
        stopAccepting: () => server.stop(false),
        closeRooms: () => rooms.close(),
        busy: () => inFlight + runQueue.running + runQueue.waiting,
        cancelRuns: () => runQueue.close(),
        finishStreams: async () => {
          await Promise.all([events.delivered(), interviewerEvents.delivered()]);
          await eventStreams.finish();
        },
        closeConnections: () => void server.stop(true),
      });
      runQueue.close();
      await closeTheRest();
    })();
    return stopping;
  };
  logger.info("listening", {
    url,
    // Behind a balancer the node's own address is not the one to open: say which one is.
    ...(publicUrl ? { publicUrl } : {}),
    database: database.kind,
    bus: env.REDIS_URL ? "redis" : "local",
    executor: executor.kind,
  });
  return { url, port, env, deps, server, stop, drain: drainAndStop };
}
