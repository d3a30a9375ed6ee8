import { decodeTimeline, type TimelineUpdate } from "@pairpad/api/playback/timeline";
import { cursorColors } from "../identity.ts";
import type { Api, Marker } from "../trpc.ts";

/** The largest page the API serves: an hour-long interview arrives in one or two requests. */
const PAGE_SIZE = 20_000;

/** Everything a replay needs: every update in order, and the markers. */
export interface Recording {
  updates: TimelineUpdate[];
  markers: Marker[];
  /** Who wrote, in order of their first edit, each with a colour for the authorship highlight. */
  authors: Author[];
}

export interface Author {
  /** The name and the role the server knew: one taking another's name stays apart. */
  key: string;
  name: string;
  role: TimelineUpdate["role"];
  color: string;
}

export const authorKey = (actor: string, role: TimelineUpdate["role"]) => `${role ?? ""}:${actor}`;

/** Pages through `playback.timeline` until `nextCursor` is null. */
export async function loadRecording(
  api: Api,
  sessionId: string,
  onProgress: (updatesLoaded: number) => void,
  signal: AbortSignal,
): Promise<Recording> {
  const updates: TimelineUpdate[] = [];
  let markers: Marker[] = [];
  let cursor: number | undefined;
  do {
    const page = await api.playback.timeline.query({ id: sessionId, cursor, limit: PAGE_SIZE }, { signal });
    if (cursor === undefined) markers = page.markers;
    for (const update of decodeTimeline(page)) updates.push(update);
    onProgress(updates.length);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);

  const seen = new Map<string, Pick<Author, "name" | "role">>();
  for (const update of updates) {
    if (update.actor !== null)
      seen.set(authorKey(update.actor, update.role), { name: update.actor, role: update.role });
  }
  const authors = [...seen].map(([key, { name, role }], i) => ({
    key,
    name,
    role,
    color: authorColors[i % authorColors.length] ?? "#0090ff",
  }));
  return { updates, markers, authors };
}

/** The cursor palette reordered so the first few authors get the most different hues. */
const authorColors = [5, 1, 3, 7, 6, 2, 4, 0].map((i) => cursorColors[i]);
