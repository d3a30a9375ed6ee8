import type { Logger } from "@pairpad/api/ports";
import type { Db } from "@pairpad/db/client";
import { terminalEvents } from "@pairpad/db/schema";

type TerminalEventInsert = typeof terminalEvents.$inferInsert;

/**
 * Records live runs for the replay: events are queued as they happen (with their time) and written
 * in one insert per interval, off the path from the program to the watchers.
 */
export class TerminalRecorder {
  private queue: TerminalEventInsert[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly intervalMs = 200,
  ) {}

  record(event: Omit<TerminalEventInsert, "id">): void {
    this.queue.push(event);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  /** Writes what is queued; resolves once everything recorded so far is stored (or failed, logged). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0);
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.db
          .insert(terminalEvents)
          .values(batch)
          .then(() => {})
          .catch((error) => {
            this.logger.warn("terminal events could not be recorded", {
              events: batch.length,
              ...namesOf(batch),
              error: String(error),
            });
          }),
      );
    }
    return this.writing;
  }
}

/** The sessions and runs of a batch, for its log line: one of each by name when there is one. */
function namesOf(batch: TerminalEventInsert[]): Record<string, string | string[]> {
  const sessionIds = [...new Set(batch.map((e) => e.sessionId))];
  const runIds = [...new Set(batch.map((e) => e.runId))];
  return {
    ...(sessionIds.length === 1 ? { sessionId: sessionIds[0] as string } : { sessionIds }),
    ...(runIds.length === 1 ? { runId: runIds[0] as string } : { runIds }),
  };
}
