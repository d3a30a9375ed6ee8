import type { Logger } from "@pairpad/api/ports";

/** How long event streams get to write what was just published before they are cut. */
const STREAM_SETTLE_MS = 250;

/** What a node does, in order, when it is asked to stop gracefully (SIGTERM). */
export interface DrainSteps {
  logger: Logger;
  /** How long /readyz answers 503 before the node stops accepting, so balancers move away first. */
  delayMs: number;
  /** How long requests and runs in flight may take to finish. */
  timeoutMs: number;
  /** Closes the listening socket; requests in flight go on. */
  stopAccepting(): void;
  /**
   * Flushes the update log, stops live terminal runs, closes every room socket with 1001 (clients
   * reconnect elsewhere), then flushes what arrived meanwhile (rooms/room-server.ts `close`).
   */
  closeRooms(): Promise<void>;
  /** Requests being answered plus runs running or waiting (event streams not counted). */
  busy(): number;
  /** Ends the runs still going; each reports its end as cancelled. */
  cancelRuns(): void;
  /** Closes what is left open: event streams, whose clients resume elsewhere after their last event id. */
  closeConnections(): void;
}

/**
 * Readiness is already off when this starts. Sockets are moved first (edits are the most
 * time-sensitive), then runs get until the deadline, then streams are cut so their clients resume.
 */
export async function drain(steps: DrainSteps): Promise<void> {
  const { logger } = steps;
  logger.info("draining", { delayMs: steps.delayMs, timeoutMs: steps.timeoutMs });
  if (steps.delayMs > 0) await Bun.sleep(steps.delayMs);
  steps.stopAccepting();
  await steps.closeRooms();
  const deadline = Date.now() + steps.timeoutMs;
  while (steps.busy() > 0 && Date.now() < deadline) await Bun.sleep(25);
  const left = steps.busy();
  if (left > 0) {
    logger.warn("shutdown deadline reached; ending the runs in flight as cancelled", { inFlight: left });
    steps.cancelRuns();
    // The cancelled runs answer their requests and tell their sessions; give that a moment.
    const grace = Date.now() + 5000;
    while (steps.busy() > 0 && Date.now() < grace) await Bun.sleep(25);
  }
  // The last runs' `run-finished` events are published just before their requests are answered:
  // let them reach the event streams on this node before those are cut.
  await Bun.sleep(STREAM_SETTLE_MS);
  steps.closeConnections();
  logger.info("drained");
}
