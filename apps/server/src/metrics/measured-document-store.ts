import { DocumentStore, type StoredUpdate } from "@pairpad/api/documents/store";
import type { Db } from "@pairpad/db/client";
import type { Histogram } from "prom-client";

/**
 * The document store with each append to the update log timed: the rooms flush through it, so
 * the flush latency is measured without a hook in the room server.
 */
export class MeasuredDocumentStore extends DocumentStore {
  constructor(
    db: Db,
    private readonly flushDuration: Histogram<"outcome">,
  ) {
    super(db);
  }

  override async append(updates: StoredUpdate[]): Promise<number> {
    const end = this.flushDuration.startTimer();
    try {
      const appended = await super.append(updates);
      end({ outcome: "ok" });
      return appended;
    } catch (error) {
      end({ outcome: "error" });
      throw error;
    }
  }
}
