import { sessions } from "@pairpad/db/schema";
import { and, eq, ne } from "drizzle-orm";
import type { LanguageId } from "../execution/executor.ts";
import { recordHistory } from "../history/history.ts";
import type { ApiDeps } from "../trpc.ts";

/** Sets the session row's language where it differs; true when the row changed. */
export async function setSessionLanguage(
  deps: Pick<ApiDeps, "db" | "clock">,
  sessionId: string,
  language: string,
): Promise<boolean> {
  const rows = await deps.db
    .update(sessions)
    .set({ language, updatedAt: deps.clock() })
    .where(and(eq(sessions.id, sessionId), ne(sessions.language, language)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/**
 * A language change made in the shared document (by a client, or a directory call): the session
 * row, a history entry and the `language-changed` event follow it, as for a change through the API.
 */
export async function documentLanguageChanged(
  deps: Pick<ApiDeps, "db" | "clock" | "events">,
  sessionId: string,
  change: { language: string; previous: string | null; actor: string | null },
): Promise<void> {
  await setSessionLanguage(deps, sessionId, change.language);
  await recordHistory(deps, sessionId, "language", change.actor, {
    language: change.language,
    from: change.previous,
  });
  await deps.events.publish(sessionId, {
    type: "language-changed",
    language: change.language as LanguageId,
    by: change.actor,
  });
}
