import type { Logger } from "@pairpad/api/ports";
import { describeWriteError } from "./write-errors.ts";

/** Side effects the rooms start and do not wait for (events, session rows); shutdown waits for them. */
export class Background {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error) =>
      this.logger.warn("session side effect failed", { error: describeWriteError(error) }),
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
