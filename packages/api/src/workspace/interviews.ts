import type { Db } from "@pairpad/db/client";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

export const interviewStatus = z.enum(["scheduled", "live", "ended", "expired"]);
export type InterviewStatus = z.infer<typeof interviewStatus>;

export const interviewSummary = z.object({
  id: z.string(),
  title: z.string(),
  language: z.string(),
  status: interviewStatus,
  candidates: z.array(z.string()).meta({ description: "Names candidates joined with" }),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable().meta({ description: "When a candidate first joined" }),
  durationMs: z.number().nullable().meta({ description: "From the first candidate join to the end" }),
  expiresAt: z.iso.datetime().meta({ description: "When the links stopped (or stop) working" }),
  recommendation: z
    .enum(["strong_no", "no", "yes", "strong_yes"])
    .nullable()
    .meta({ description: "The scorecard's recommendation, once one is saved" }),
  links: z.object({ room: z.string(), replay: z.string(), export: z.string() }),
});
export type InterviewSummary = z.infer<typeof interviewSummary>;

export interface InterviewQuery {
  organizationId: string;
  status?: InterviewStatus;
  interviewer?: string;
  search?: string;
  cursor?: string;
  limit: number;
  now: Date;
  /** Records are kept this long after their links expire; older ones are gone, swept or not yet. */
  retentionDays: number;
  publicUrl: string;
}

/** `(createdAt, id)` of the last row of a page, opaque to clients. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } | null {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) return null;
  return { createdAt, id };
}

// Candidates come from the room's join records (a partial index holds only joins).
const candidateJoins = sql`select 1 from history_entries h
  where h.session_id = s.id and h.kind = 'join' and h.payload->>'role' = 'candidate'`;

function statusCondition(status: InterviewStatus, now: string): SQL {
  switch (status) {
    case "ended":
      return sql`s.status = 'ended'`;
    case "expired":
      return sql`s.status = 'active' and s.expires_at <= ${now}::timestamptz`;
    case "live":
      return sql`s.status = 'active' and s.expires_at > ${now}::timestamptz and exists (${candidateJoins})`;
    case "scheduled":
      return sql`s.status = 'active' and s.expires_at > ${now}::timestamptz and not exists (${candidateJoins})`;
  }
}

interface Row {
  id: string;
  title: string;
  language: string;
  status: "active" | "ended";
  created_at: string | Date;
  expires_at: string | Date;
  ended_at: string | Date | null;
  created_by: string | null;
  creator_name: string | null;
  candidates: string[] | string | null;
  started_at: string | Date | null;
  last_activity: string | Date | null;
  recommendation: InterviewSummary["recommendation"];
}

const iso = (v: string | Date) => new Date(v).toISOString();

/**
 * One page of a workspace's interviews, newest first. Keyset pagination on `(created_at, id)`
 * through `sessions_organization_created_idx`: each page costs the same however deep it is.
 */
export async function listInterviews(db: Db, q: InterviewQuery) {
  const now = q.now.toISOString();
  const retainedSince = new Date(q.now.getTime() - q.retentionDays * 86_400_000).toISOString();
  const where: SQL[] = [
    sql`s.organization_id = ${q.organizationId}`,
    sql`s.expires_at > ${retainedSince}::timestamptz`,
  ];
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  if (after) where.push(sql`(s.created_at, s.id) < (${after.createdAt}::timestamptz, ${after.id})`);
  if (q.status) where.push(statusCondition(q.status, now));
  if (q.interviewer) where.push(sql`s.created_by = ${q.interviewer}`);
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(s.title ilike ${like} or exists (${candidateJoins} and h.actor ilike ${like}))`);
  }
  const result = await db.execute(sql`
    select s.id, s.title, s.language, s.status, s.created_at, s.expires_at, s.ended_at, s.created_by,
      u.name as creator_name, sc.recommendation,
      (select coalesce(json_agg(distinct h.actor), '[]'::json) from history_entries h
        where h.session_id = s.id and h.kind = 'join' and h.payload->>'role' = 'candidate') as candidates,
      (select min(h.created_at) from history_entries h
        where h.session_id = s.id and h.kind = 'join' and h.payload->>'role' = 'candidate') as started_at,
      (select h.created_at from history_entries h where h.session_id = s.id order by h.id desc limit 1)
        as last_activity
    from sessions s left join auth_users u on u.id = s.created_by
      left join scorecards sc on sc.session_id = s.id
    where ${sql.join(where, sql` and `)}
    order by s.created_at desc, s.id desc
    limit ${q.limit + 1}`);
  const rows = result as unknown as Row[];
  const page = rows.slice(0, q.limit);
  const base = q.publicUrl.replace(/\/$/, "");
  const items: InterviewSummary[] = page.map((r) => {
    const candidates = typeof r.candidates === "string" ? JSON.parse(r.candidates) : (r.candidates ?? []);
    const expired = new Date(r.expires_at) <= q.now;
    const status: InterviewStatus =
      r.status === "ended" ? "ended" : expired ? "expired" : r.started_at ? "live" : "scheduled";
    const end = r.ended_at ?? r.last_activity;
    return {
      id: r.id,
      title: r.title,
      language: r.language,
      status,
      candidates: (candidates as Array<string | null>).filter((c): c is string => !!c),
      createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? "" } : null,
      createdAt: iso(r.created_at),
      startedAt: r.started_at ? iso(r.started_at) : null,
      durationMs:
        r.started_at && end ? Math.max(0, new Date(end).getTime() - new Date(r.started_at).getTime()) : null,
      expiresAt: iso(r.expires_at),
      recommendation: r.recommendation ?? null,
      links: {
        room: `${base}/sessions/${r.id}`,
        replay: `${base}/sessions/${r.id}/playback`,
        export: `${base}/api/sessions/${r.id}/export`,
      },
    };
  });
  const last = page.at(-1);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor(iso(last.created_at), last.id) : null,
  };
}
