import type { Db } from "@pairpad/db/client";
import { interviewerNotes } from "@pairpad/db/schema";
import { and, eq } from "drizzle-orm";
import * as Y from "yjs";
import { z } from "zod";

/**
 * The interviewers' notes of a session: a Yjs document of its own (never the shared one), an array of
 * paragraphs, each a map with its text, when it was written and where the code cursor was then. Kept
 * as one state in `interviewer_notes`; concurrent writers merge as Yjs does, a lost race retries.
 */
export const noteParagraph = z.object({
  id: z.string(),
  text: z.string(),
  /** When the paragraph was first written (ms since the epoch), for the replay. */
  at: z.number(),
  /** The code cursor's offset then, when the client knew it. */
  cursor: z.number().int().nullable(),
  author: z.string().nullable(),
});
export type NoteParagraph = z.infer<typeof noteParagraph>;

const PARAGRAPHS = "paragraphs";

function paragraphsOf(doc: Y.Doc): NoteParagraph[] {
  return doc
    .getArray<Y.Map<unknown>>(PARAGRAPHS)
    .toArray()
    .map((m) => ({
      id: String(m.get("id")),
      text: String(m.get("text") ?? ""),
      at: Number(m.get("at")),
      cursor: typeof m.get("cursor") === "number" ? (m.get("cursor") as number) : null,
      author: typeof m.get("author") === "string" ? (m.get("author") as string) : null,
    }));
}

async function load(db: Db, sessionId: string): Promise<{ doc: Y.Doc; version: Date | null }> {
  const doc = new Y.Doc();
  const [row] = await db.select().from(interviewerNotes).where(eq(interviewerNotes.sessionId, sessionId));
  if (row) Y.applyUpdate(doc, row.state);
  return { doc, version: row?.updatedAt ?? null };
}

export async function readNotes(db: Db, sessionId: string): Promise<NoteParagraph[]> {
  return paragraphsOf((await load(db, sessionId)).doc);
}

/**
 * Applies `change` to the notes document and stores it, compare-and-set on the row's version so two
 * writers at once never lose each other's paragraph (the loser reloads and applies again).
 */
export async function changeNotes(
  db: Db,
  sessionId: string,
  now: Date,
  change: (paragraphs: Y.Array<Y.Map<unknown>>) => void,
): Promise<NoteParagraph[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { doc, version } = await load(db, sessionId);
    const before = Y.encodeStateVector(doc);
    doc.transact(() => change(doc.getArray<Y.Map<unknown>>(PARAGRAPHS)));
    // A change that changed nothing (an edit of a paragraph that is not there) writes nothing.
    if (Buffer.from(Y.encodeStateVector(doc)).equals(before)) return paragraphsOf(doc);
    const state = Y.encodeStateAsUpdate(doc);
    // Strictly later than the version read, so the next compare sees a change even within one ms.
    const at = version && now <= version ? new Date(version.getTime() + 1) : now;
    const written = version
      ? await db
          .update(interviewerNotes)
          .set({ state, updatedAt: at })
          .where(and(eq(interviewerNotes.sessionId, sessionId), eq(interviewerNotes.updatedAt, version)))
          .returning({ id: interviewerNotes.sessionId })
      : await db
          .insert(interviewerNotes)
          .values({ sessionId, state, updatedAt: at })
          .onConflictDoNothing()
          .returning({ id: interviewerNotes.sessionId });
    if (written.length > 0) return paragraphsOf(doc);
  }
  throw new Error("notes: too many concurrent writers");
}

export function newParagraph(fields: NoteParagraph): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}
