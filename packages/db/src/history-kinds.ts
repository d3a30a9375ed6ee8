/**
 * What a history entry records. Its own module, free of drizzle, so the browser's replay
 * (through `@pairpad/api/playback/timeline`) can import it without the database code.
 */
export const historyKinds = [
  "edit",
  "language",
  "run",
  "snapshot",
  "restore",
  "join",
  "leave",
  "session",
  "question",
  "test_run",
] as const;

export type HistoryKind = (typeof historyKinds)[number];
