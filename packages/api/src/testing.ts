import type { Database } from "@pairpad/db/client";
import { TRPCError } from "@trpc/server";
import { createAuth } from "./auth/auth.ts";
import { DocumentStore } from "./documents/store.ts";
import { StoredDocuments } from "./documents/stored-documents.ts";
import type { SessionEvent } from "./events/events.ts";
import type { InterviewerEvent } from "./events/interviewer-events.ts";
import type { Executor } from "./execution/executor.ts";
import { RunQueue } from "./execution/run-queue.ts";
import type { EventChannel, Logger, RateLimiter } from "./ports.ts";
import { appRouter } from "./root.ts";
import { type ApiDeps, createCallerFactory, createContextInner } from "./trpc.ts";

/** Events of one channel kept in memory, for procedures tested without a server. */
export class RecordedEvents<E extends { type: string } = SessionEvent> implements EventChannel<E> {
  readonly published: Array<{ sessionId: string; event: E }> = [];
  private readonly listeners = new Set<{
    sessionId: string;
    fn: (e: E & { id: string }) => void;
  }>();
  private seq = 0;

  async publish(sessionId: string, event: E) {
    this.published.push({ sessionId, event });
    const id = String(++this.seq).padStart(8, "0");
    for (const l of this.listeners) if (l.sessionId === sessionId) l.fn({ ...event, id });
  }

  subscribe(sessionId: string, fn: (e: E & { id: string }) => void) {
    const entry = { sessionId, fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  of(sessionId: string) {
    return this.published.filter((p) => p.sessionId === sessionId).map((p) => p.event);
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** An executor with no toolchains, for API tests that do not run code. */
export const noToolchains: Executor = {
  kind: "sandbox",
  languages: async () => [],
  run: async () => {
    throw new Error("no toolchains in this test");
  },
};

const unlimited: RateLimiter = { hit: async () => ({ allowed: true, retryAfterSeconds: 0 }) };

/** Real dependencies over a test database; the clock can be moved by the test. */
export function createTestDeps(database: Database, overrides: Partial<ApiDeps> = {}) {
  // Real time, shifted by `advance`; strictly increasing so "newest first" is well defined.
  let offset = 0;
  let last = 0;
  const clock = () => {
    last = Math.max(last + 1, Date.now() + offset);
    return new Date(last);
  };
  const documents = new DocumentStore(database.db);
  const events = new RecordedEvents();
  const interviewerEvents = new RecordedEvents<InterviewerEvent>();
  const deps: ApiDeps = {
    db: database.db,
    documents,
    rooms: new StoredDocuments(documents, clock),
    events,
    interviewerEvents,
    executor: noToolchains,
    runQueue: new RunQueue({ concurrency: 2, maxWaiting: 4 }),
    rateLimiter: unlimited,
    clock,
    logger: silentLogger,
    auth: createAuth(database.db, {
      secret: "test-secret-test-secret-test-secret-0123",
      baseURL: "http://pairpad.test",
      secureCookies: false,
      signup: "open",
      clock,
      logger: silentLogger,
    }),
    config: {
      publicUrl: "http://pairpad.test",
      anonymousSessions: true,
      signup: "open",
      emailVerification: false,
      retentionDays: 90,
      sessionTtlHours: 24,
      runsPerMinutePerClient: 100,
      runsPerMinutePerSession: 100,
      sessionsPerMinutePerClient: 1000,
    },
    ...overrides,
  };
  return {
    deps,
    events,
    interviewerEvents,
    advance(ms: number) {
      offset += ms;
      if (ms < 0) last = 0;
    },
  };
}

const createCaller = createCallerFactory(appRouter);

/** Callers as users reach the procedures: anonymous, or with a bearer token. */
export function callers(deps: ApiDeps) {
  return {
    anonymous: () => createCaller(createContextInner(deps)),
    as: (token: string) => createCaller(createContextInner(deps, { authorization: `Bearer ${token}` })),
  };
}

/** The TRPCError a call fails with; fails the test when the call succeeds. */
export async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}
