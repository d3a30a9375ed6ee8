import type { Db } from "@pairpad/db/client";
import { documentStates, documentUpdates } from "@pairpad/db/schema";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import * as Y from "yjs";
import type { LanguageId } from "../execution/executor.ts";

import { CODE_TEXT, META_MAP } from "./names.ts";

export { CODE_TEXT, META_MAP };

export interface StoredUpdate {
  sessionId: string;
  update: Uint8Array;
  actor: string | null;
  at: Date;
}

export interface LoadedDocument {
  /** The whole document as one update (compacted state merged with the log after it). */
  state: Uint8Array;
  /** Highest update id included; compaction records it. */
  lastUpdateId: number;
}

/** The Yjs document of each session: an append-only update log plus a compacted state row. */
export class DocumentStore {
  constructor(private readonly db: Db) {}

  async load(sessionId: string): Promise<LoadedDocument> {
    const [stateRow] = await this.db
      .select()
      .from(documentStates)
      .where(eq(documentStates.sessionId, sessionId));
    const after = stateRow?.lastUpdateId ?? 0;
    const rows = await this.db
      .select({ id: documentUpdates.id, update: documentUpdates.update })
      .from(documentUpdates)
      .where(and(eq(documentUpdates.sessionId, sessionId), gt(documentUpdates.id, after)))
      .orderBy(asc(documentUpdates.id));
    const parts = rows.map((r) => r.update);
    if (stateRow) parts.unshift(stateRow.state);
    const state = parts.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(parts);
    return { state, lastUpdateId: rows.at(-1)?.id ?? after };
  }

  /** Appends a batch of updates in one statement; returns the highest id written. */
  async append(updates: StoredUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    const rows = await this.db
      .insert(documentUpdates)
      .values(
        updates.map((u) => ({ sessionId: u.sessionId, update: u.update, actor: u.actor, createdAt: u.at })),
      )
      .returning({ id: documentUpdates.id });
    return rows.reduce((max, r) => Math.max(max, r.id), 0);
  }

  /** Records a compacted state that includes every update up to `lastUpdateId`. */
  async compact(sessionId: string, state: Uint8Array, lastUpdateId: number): Promise<void> {
    await this.db
      .insert(documentStates)
      .values({ sessionId, state, lastUpdateId })
      .onConflictDoUpdate({
        target: documentStates.sessionId,
        set: { state, lastUpdateId, updatedAt: sql`now()` },
        // Never move backwards if two nodes compact concurrently.
        setWhere: sql`${documentStates.lastUpdateId} <= ${lastUpdateId}`,
      });
  }

  async readCode(sessionId: string): Promise<{ code: string; language: LanguageId | null }> {
    const { state } = await this.load(sessionId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return readDocument(doc);
  }

  /** Applies a change to the stored document directly, for sessions no node has loaded. */
  async change(sessionId: string, actor: string | null, at: Date, edit: (doc: Y.Doc) => void): Promise<void> {
    const { state } = await this.load(sessionId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const before = Y.encodeStateVector(doc);
    doc.transact(() => edit(doc));
    const update = Y.encodeStateAsUpdate(doc, before);
    await this.append([{ sessionId, update, actor, at }]);
  }
}

export function readDocument(doc: Y.Doc): { code: string; language: LanguageId | null } {
  const language = doc.getMap(META_MAP).get("language");
  return {
    code: doc.getText(CODE_TEXT).toString(),
    language: typeof language === "string" ? (language as LanguageId) : null,
  };
}

/** Replaces the code as a minimal edit: keeps the common prefix and suffix, so cursors elsewhere stay. */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  ) {
    end++;
  }
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) text.insert(start, inserted);
}
