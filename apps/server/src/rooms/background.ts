import type { Logger } from "@pairpad/api/ports";
import { describeWriteError } from "./write-errors.ts";

/** Side effects the rooms start and do not wait for (events, session rows); shutdown waits for them. */
export class Background {
  private readonly running = new Set<Promise<unknown>>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  /** Waits for `promise` at shutdown; its failure is logged naming the session. */
  track(sessionId: string, promise: Promise<unknown>): void {
    const tracked = promise.catch((error) =>
      this.logger.warn("session side effect failed", { sessionId, error: describeWriteError(error) }),
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /**
   * Runs `work` after the previous work of the same kind for the session has finished: side effects that must land
   * in the order they happened (two language changes a moment apart must not leave the older one in the
   * session row and last in the history).
   */
  inOrder(sessionId: string, kind: string, work: () => Promise<unknown>): void {
    const key = `${kind}:${sessionId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work);
    this.chains.set(key, next);
    this.track(sessionId, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
