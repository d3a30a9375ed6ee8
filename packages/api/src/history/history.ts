import { type HistoryKind, historyEntries } from "@pairpad/db/schema";
import type { ApiDeps } from "../trpc.ts";

export async function recordHistory(
  deps: Pick<ApiDeps, "db" | "clock">,
  sessionId: string,
  kind: HistoryKind,
  actor: string | null,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await deps.db.insert(historyEntries).values({ sessionId, kind, actor, payload, createdAt: deps.clock() });
}
