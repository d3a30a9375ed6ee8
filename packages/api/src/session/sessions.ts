import type { Db } from "@pairpad/db/client";
import { type SessionRow, sessions } from "@pairpad/db/schema";
import { TRPCError } from "@trpc/server";
import { and, eq, gt, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { type LanguageId, languageId } from "../execution/executor.ts";
import { text } from "../input/text.ts";
import type { ApiConfig, ApiDeps } from "../trpc.ts";
import { observerIdPattern, sessionIdPattern } from "./ids.ts";

export const MIN_TTL_HOURS = 1;
export const MAX_TTL_HOURS = 24 * 7;

export const sessionId = z
  .string()
  .regex(sessionIdPattern, "not a valid session id")
  .meta({ description: "The session's id (22 URL-safe characters)", example: "q3m9Xa0bT1cD2eF3gH4iJ5" });
export const observerId = z
  .string()
  .regex(observerIdPattern, "not a valid observer id")
  .meta({ description: "An observer link's id (24 URL-safe characters)" });
/** For what observers may read too: a session id, or an observer link's id. */
export const readableSessionId = z.union([sessionId, observerId]);
/** Who did something, as shown to the others (their display name); trimmed. */
export const actorName = text().trim().min(1).max(80);

export const sessionOutput = z.object({
  id: z.string().meta({ example: "q3m9Xa0bT1cD2eF3gH4iJ5" }),
  title: z.string(),
  language: languageId,
  status: z
    .enum(["active", "ended"])
    .meta({ description: "`ended`: the editor is locked and runs are closed" }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().meta({
    description:
      "When the links stop working: an anonymous session is deleted then, a workspace keeps the record for its retention period",
  }),
  candidateUrl: z.url().meta({ description: "The link for the candidate" }),
  observerUrl: z.url().meta({
    description: "The link for observers (read-only); the candidate link cannot be derived from it",
  }),
});
export type SessionOutput = z.infer<typeof sessionOutput>;

export function toSessionOutput(row: SessionRow, publicUrl: string): SessionOutput {
  const origin = publicUrl.replace(/\/$/, "");
  const base = `${origin}/sessions/${row.id}`;
  return {
    id: row.id,
    title: row.title,
    language: row.language as LanguageId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    candidateUrl: base,
    // Sessions made before observer ids keep the old, read-only `?role=observer` link.
    observerUrl: row.observerId ? `${origin}/watch/${row.observerId}` : `${base}?role=observer`,
  };
}

/** What an observer link shows: nothing that leads to the candidate link or the interviewer's. */
export const watchOutput = z.object({
  observerId: z.string(),
  title: z.string(),
  language: languageId,
  status: z.enum(["active", "ended"]),
  expiresAt: z.iso.datetime(),
});
export type WatchOutput = z.infer<typeof watchOutput>;

export function toWatchOutput(row: SessionRow & { observerId: string }): WatchOutput {
  return {
    observerId: row.observerId,
    title: row.title,
    language: row.language as LanguageId,
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** The live session an observer link watches. */
export async function findWatchedSession(
  deps: Pick<ApiDeps, "db" | "clock">,
  observer: string,
): Promise<(SessionRow & { observerId: string }) | null> {
  const [row] = await deps.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.observerId, observer), gt(sessions.expiresAt, deps.clock())));
  return row?.observerId ? { ...row, observerId: row.observerId } : null;
}

/** The live session of a `readableSessionId` (live events follow only live sessions). */
export function requireReadableSession(ctx: Pick<ApiDeps, "db" | "clock">, id: string): Promise<SessionRow> {
  return observerIdPattern.test(id) ? requireWatchedSession(ctx, id) : requireSession(ctx, id);
}

export async function requireWatchedSession(ctx: Pick<ApiDeps, "db" | "clock">, observer: string) {
  const row = await findWatchedSession(ctx, observer);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Session not found or expired" });
  return row;
}

type SessionLookupDeps = Pick<ApiDeps, "db" | "clock"> & { config: Pick<ApiConfig, "retentionDays"> };

function prepareLiveSession(db: Db) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))))
    .prepare("live_session");
}
const liveSessionStatements = new WeakMap<Db, ReturnType<typeof prepareLiveSession>>();

function prepareSessionRecord(db: Db) {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.id, sql.placeholder("id")),
        or(
          gt(sessions.expiresAt, sql.placeholder("now")),
          and(isNotNull(sessions.organizationId), gt(sessions.expiresAt, sql.placeholder("retainedSince"))),
        ),
      ),
    )
    .prepare("session_record");
}
const sessionRecordStatements = new WeakMap<Db, ReturnType<typeof prepareSessionRecord>>();

/**
 * The session if its links still work; expired links are gone for every caller (the socket, runs).
 *
 * Every join and most requests start here, so the statement is built once per database: through
 * drizzle's builder each call left about 40 KiB of garbage on the server's thread (bun:jsc heap
 * capacity over 300 calls), about 2.5 KiB prepared, and a join burst turned that into resident memory.
 */
export async function findLiveSession(
  deps: Pick<ApiDeps, "db" | "clock">,
  id: string,
): Promise<SessionRow | null> {
  let statement = liveSessionStatements.get(deps.db);
  if (!statement) {
    statement = prepareLiveSession(deps.db);
    liveSessionStatements.set(deps.db, statement);
  }
  const [row] = await statement.execute({ id, now: deps.clock().toISOString() });
  return row ?? null;
}

/**
 * The session while it exists for anyone: live, or, when a workspace owns it, its record for
 * `retentionDays` after the links expired (link expiry is not deletion). Anonymous sessions are gone
 * when they expire. Who may reach an expired record is the caller's business (`isExpired`).
 */
export async function findSessionRecord(deps: SessionLookupDeps, id: string): Promise<SessionRow | null> {
  let statement = sessionRecordStatements.get(deps.db);
  if (!statement) {
    statement = prepareSessionRecord(deps.db);
    sessionRecordStatements.set(deps.db, statement);
  }
  const now = deps.clock();
  const [row] = await statement.execute({
    id,
    now: now.toISOString(),
    retainedSince: retainedSince(now, deps.config.retentionDays).toISOString(),
  });
  return row ?? null;
}

/** Whether the session's links have expired (its row may still be a workspace's record). */
export function isExpired(row: SessionRow, now: Date): boolean {
  return row.expiresAt.getTime() <= now.getTime();
}

function retainedSince(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

/** A live session, by its link: what joining, editing and running need. */
export async function requireSession(ctx: Pick<ApiDeps, "db" | "clock">, id: string): Promise<SessionRow> {
  const row = await findLiveSession(ctx, id);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Session ${id} not found or expired` });
  return row;
}

/** A live session or a workspace's kept record (see `findSessionRecord`). */
export async function requireSessionRecord(ctx: SessionLookupDeps, id: string): Promise<SessionRow> {
  const row = await findSessionRecord(ctx, id);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Session ${id} not found or expired` });
  return row;
}

/**
 * Deletes sessions past their keeping with all their data and disconnects their clients: an
 * anonymous session when its links expire, a workspace's `retentionDays` after that.
 */
export async function sweepExpiredSessions(
  deps: Pick<ApiDeps, "db" | "clock" | "rooms" | "events" | "logger" | "config">,
) {
  const now = deps.clock();
  const retained = retainedSince(now, deps.config.retentionDays);
  const removed = await deps.db
    .delete(sessions)
    .where(
      or(
        and(isNull(sessions.organizationId), lte(sessions.expiresAt, now)),
        and(isNotNull(sessions.organizationId), lte(sessions.expiresAt, retained)),
      ),
    )
    .returning({ id: sessions.id });
  for (const { id } of removed) {
    await deps.events.publish(id, { type: "session-ended", reason: "expired" });
    await deps.rooms.closeSession(id, "expired");
  }
  if (removed.length > 0) deps.logger.info("swept expired sessions", { count: removed.length });
  return removed.length;
}
