import type { Db } from "@pairpad/db/client";
import { type HistoryKind, historyEntries } from "@pairpad/db/schema";
import { sql } from "drizzle-orm";
import type { ApiDeps } from "../trpc.ts";

/** A history entry written in a batch: the payload as JSON text, the time in milliseconds. */
export interface HistoryRow {
  sessionId: string;
  kind: HistoryKind;
  actor: string | null;
  payload: string;
  at: number;
}

/**
 * The history entry of a write, as a common table expression: the write and its entry then go to
 * the database as one statement (`db.with(written, entry).select().from(written)`), so both are
 * stored or neither is. (The embedded database's driver has no transactions.)
 */
export function historyEntry(
  deps: Pick<ApiDeps, "db" | "clock">,
  sessionId: string,
  kind: HistoryKind,
  actor: string | null,
  payload: Record<string, unknown> = {},
) {
  return deps.db
    .$with("history_entry")
    .as(
      deps.db
        .insert(historyEntries)
        .values({ sessionId, kind, actor, payload, createdAt: deps.clock() })
        .returning({ id: historyEntries.id }),
    );
}

export async function recordHistory(
  deps: Pick<ApiDeps, "db" | "clock">,
  sessionId: string,
  kind: HistoryKind,
  actor: string | null,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await deps.db.insert(historyEntries).values({ sessionId, kind, actor, payload, createdAt: deps.clock() });
}

/**
 * Many entries in one statement with five array parameters, in order (as `DocumentStore.append`
 * writes the update log): drizzle's insert builder allocates a few KiB per row on the server's
 * thread, which a join burst of thousands of rows turned into resident memory.
 */
export async function appendHistory(db: Db, rows: HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into ${historyEntries} (session_id, kind, actor, payload, created_at)
    select session_id, kind, actor, payload::jsonb, to_timestamp(at_ms / 1000.0)
    from unnest(${sql.param(rows.map((r) => r.sessionId))}::text[], ${sql.param(rows.map((r) => r.kind))}::text[],
                ${sql.param(rows.map((r) => r.actor))}::text[], ${sql.param(rows.map((r) => r.payload))}::text[],
                ${sql.param(rows.map((r) => r.at))}::float8[]) with ordinality as batch(session_id, kind, actor, payload, at_ms, n)
    order by n`);
}
