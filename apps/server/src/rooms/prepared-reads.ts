import type { LoadedDocument } from "@pairpad/api/documents/store";
import type { Db } from "@pairpad/db/client";
import { documentStates, documentUpdates, type SessionRow, sessions } from "@pairpad/db/schema";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import * as Y from "yjs";

function prepare(db: Db) {
  const id = sql.placeholder("id");
  return {
    session: db
      .select()
      .from(sessions)
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, sql.placeholder("now"))))
      .prepare("room_live_session"),
    state: db
      .select()
      .from(documentStates)
      .where(eq(documentStates.sessionId, id))
      .prepare("room_document_state"),
    updates: db
      .select({ id: documentUpdates.id, update: documentUpdates.update })
      .from(documentUpdates)
      .where(and(eq(documentUpdates.sessionId, id), gt(documentUpdates.id, sql.placeholder("after"))))
      .orderBy(asc(documentUpdates.id))
      .prepare("room_document_updates"),
  };
}

/**
 * The reads of a join and a room load — `findLiveSession` and `DocumentStore.load`, same queries
 * and same results (prepared-reads.test.ts compares them) — as statements built once.
 *
 * drizzle's query builder allocated about 40 KiB per session read and 60 KiB per document load on
 * the server's thread (bun:jsc heap capacity over 300 calls); prepared, about 2.5 KiB each. A join
 * burst turned that garbage into resident memory: in bench scenario 3 (2,000 sockets over 500
 * rooms) the server's RSS grew by about 30 MiB, 10-16 of it from these reads.
 */
export class PreparedReads {
  private readonly statements: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.statements = prepare(db);
  }

  /** The session if it exists and has not expired at `now`. */
  async liveSession(sessionId: string, now: Date): Promise<SessionRow | null> {
    const [row] = await this.statements.session.execute({ id: sessionId, now: now.toISOString() });
    return row ?? null;
  }

  /** The stored document: the compacted state merged with the log after it. */
  async document(sessionId: string): Promise<LoadedDocument> {
    const [stateRow] = await this.statements.state.execute({ id: sessionId });
    const after = stateRow?.lastUpdateId ?? 0;
    const rows = await this.statements.updates.execute({ id: sessionId, after });
    const parts = rows.map((r) => r.update);
    if (stateRow) parts.unshift(stateRow.state);
    const state = parts.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(parts);
    return { state, lastUpdateId: rows.at(-1)?.id ?? after };
  }
}
