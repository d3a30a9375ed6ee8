import { resolve } from "node:path";
import type { ApiDeps } from "@pairpad/api";
import { DocumentStore } from "@pairpad/api/documents/store";
import type { Executor } from "@pairpad/api/execution/executor";
import { RunQueue } from "@pairpad/api/execution/run-queue";
import type { RateLimiter } from "@pairpad/api/ports";
import { sweepExpiredSessions } from "@pairpad/api/session/sessions";
import { type Database, openDatabase } from "@pairpad/db/client";
import { migrate } from "@pairpad/db/migrate";
import type { Server } from "bun";
import Redis from "ioredis";
import type { Bus } from "./bus/bus.ts";
import { LocalBus } from "./bus/local-bus.ts";
import { BusSessionEvents } from "./bus/session-events.ts";
import { type Env, loadEnv } from "./env.ts";
import { createExecutor } from "./executor/index.ts";
import { createFetchHandler } from "./http.ts";
import { LocalRateLimiter, RedisRateLimiter } from "./limits/rate-limiter.ts";
import { createLogger } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { createRoomServer, type RoomConnection, roomDefaults } from "./rooms/index.ts";
import { createStaticHandler } from "./static.ts";

export const webDistDir = resolve(import.meta.dir, "../../web/dist");

export interface RunningServer {
  url: string;
  port: number;
  env: Env;
  deps: ApiDeps;
  server: Server<unknown>;
  /** Flushes documents and closes every connection; idempotent. */
  stop(): Promise<void>;
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
  database.thread?.onRestart(({ phase, ...event }) => {
    if (phase === "restarted") logger.warn("database thread restarted", event);
    else
      logger.error(
        phase === "crashed" ? "database thread died; restarting it" : "database thread restart failed",
        event,
      );
  });

  let bus: Bus;
  let redis: Redis | null = null;
  if (env.REDIS_URL) {
    const { RedisBus } = await import("./bus/redis-bus.ts");
    bus = await RedisBus.connect(env.REDIS_URL);
    redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  } else {
    bus = new LocalBus();
  }
  const rateLimiter: RateLimiter = redis ? new RedisRateLimiter(redis) : new LocalRateLimiter();
  const events = new BusSessionEvents(bus);
  const documents = new DocumentStore(database.db);
  const clock = () => new Date();
  const executor: Executor = createExecutor(
    env.EXECUTOR === "docker"
      ? { kind: "docker", docker: env.DOCKER_SOCKET ? { socketPath: env.DOCKER_SOCKET } : undefined }
      : { kind: "sandbox", prewarm: env.SANDBOX_PREWARM },
  );
  const runQueue = new RunQueue({ concurrency: env.MAX_CONCURRENT_RUNS, maxWaiting: env.RUN_QUEUE_SIZE });
  const metrics = new Metrics();
  const rooms = createRoomServer({
    db: database.db,
    documents,
    bus,
    events,
    logger,
    clock,
    config: {
      maxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
      maxConnectionsPerSession: env.MAX_CONNECTIONS_PER_SESSION,
      messagesPerSecond: env.WS_MESSAGES_PER_SECOND,
      // Three seconds' worth: frames queued while the server itself was busy arrive together,
      // and that must not count against the client.
      messageBurst: Math.max(roomDefaults.messageBurst, 3 * env.WS_MESSAGES_PER_SECOND),
    },
  });
  await rooms.ready();
  metrics.gaugeGroup("pairpad_rooms", () => ({ ...rooms.stats() }));

  const deps: ApiDeps = {
    db: database.db,
    documents,
    rooms: rooms.directory,
    events,
    executor,
    runQueue,
    rateLimiter,
    clock,
    logger,
    config: {
      publicUrl: env.PUBLIC_URL ?? "",
      sessionTtlHours: env.SESSION_TTL_HOURS,
      runsPerMinutePerClient: env.RUNS_PER_MINUTE_PER_CLIENT,
      runsPerMinutePerSession: env.RUNS_PER_MINUTE_PER_SESSION,
    },
  };
  metrics.gauge("pairpad_db_thread_restarts_total", () => database.thread?.restarts ?? 0);
  metrics.gauge("pairpad_runs_active", () => deps.runQueue.running);
  metrics.gauge("pairpad_runs_waiting", () => deps.runQueue.waiting);

  const fetch = createFetchHandler({
    deps,
    logger,
    metrics,
    maxBodyBytes: env.MAX_BODY_BYTES,
    ready: async () => {
      await database.ping();
      await bus.ping();
    },
    serveStatic: createStaticHandler(webDistDir),
    upgrade: (request, server, sessionId) =>
      rooms.upgrade(request, server as Server<RoomConnection>, sessionId),
  });
  const server = Bun.serve({
    port: env.PORT,
    hostname: env.HOST,
    fetch: fetch as (request: Request, server: Server<RoomConnection>) => Promise<Response>,
    websocket: rooms.websocket,
    // A backstop only: each route applies its own, smaller limit before parsing.
    maxRequestBodySize: Math.max(env.MAX_BODY_BYTES, 4 * 1024 * 1024),
    idleTimeout: 30,
  });
  const port = server.port ?? env.PORT;
  const url = `http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST}:${port}`;
  deps.config.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");

  const sweep = async () => {
    try {
      await sweepExpiredSessions(deps);
    } catch (error) {
      logger.error("sweep failed", { error: String(error) });
    }
  };
  const sweeper = setInterval(sweep, env.SWEEP_INTERVAL_SECONDS * 1000);
  void sweep();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(sweeper);
      runQueue.close();
      // Rooms first: they flush and compact every document while the database is still open.
      await rooms.close();
      server.stop(true);
      await executor.close?.();
      await bus.close();
      redis?.disconnect();
      await database.close();
      logger.info("stopped");
    })();
    return stopping;
  };
  logger.info("listening", {
    url,
    database: database.kind,
    bus: env.REDIS_URL ? "redis" : "local",
    executor: executor.kind,
  });
  return { url, port, env, deps, server, stop };
}
