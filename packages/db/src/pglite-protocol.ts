/** Messages between the server thread and the PGlite worker (`pglite-worker.ts`). */
export type WorkerRequest = { id: number } & (
  | { type: "open"; dataDir?: string; loadDataDir?: ArrayBuffer }
  | { type: "query"; sql: string; params: unknown[]; method: "all" | "execute" }
  | { type: "migrate"; migrationsFolder: string }
  | { type: "dump" }
  | { type: "close" }
);

/** Distributes `Omit` over the request union, so each variant keeps its own fields. */
export type RequestBody = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string; detail?: string; constraint?: string; table?: string };
}
