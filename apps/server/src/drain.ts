import type { Logger } from "@pairpad/api/ports";

/**
 * The longest the event streams get to finish before they are cut: a client that stopped reading
 * must not hold the shutdown (it resumes elsewhere, or after the restart, from its last event id).
 */
const STREAM_FINISH_CAP_MS = 3000;
/**
 * The longest the answered responses get to be written out to their clients before the rest is
 * cut and the process exits: a client that has not taken in within 3 s what was already produced
 * is not reading (a stream resumes from its last event id, a download is retried). The fixed steps
 * (5 s grace for cancelled runs, 3 s for the streams, this) after SHUTDOWN_TIMEOUT_SECONDS (30)
 * fit Compose's 45 s stop_grace_period and Kubernetes' 60 s terminationGracePeriodSeconds.
 */
const WRITE_OUT_CAP_MS = 3000;

/** What a node does, in order, when it is asked to stop gracefully (SIGTERM). */
export interface DrainSteps {
  logger: Logger;
  /** How long /readyz answers 503 before the node stops accepting, so balancers move away first. */
  delayMs: number;
  /** How long requests and runs in flight may take to finish. */
  timeoutMs: number;
  /**
   * Closes the listening socket; requests in flight go on. Resolves once every connection is
   * closed: each response complete and written out in full (Bun's `server.stop(false)`).
   */
  stopAccepting(): Promise<void>;
  /**
   * Flushes the update log, stops live terminal runs, closes every room socket with 1001 (clients
   * reconnect elsewhere), then flushes what arrived meanwhile (rooms/room-server.ts `close`).
   */
  closeRooms(): Promise<void>;
  /** Requests being answered plus runs running or waiting (event streams not counted). */
  busy(): number;
  /** Ends the runs still going; each reports its end as cancelled. */
  cancelRuns(): void;
  /**
   * Ends each event stream open on this node right after the last event published so far that was
   * meant for it (once on the bus, then handed to the stream's response); resolves once all have.
   */
  finishStreams(): Promise<void>;
  /**
   * Closes what is left open, dropping what the server still holds for it: event streams that
   * could not finish, responses a client is not taking in (Bun's `server.stop(true)`).
   */
  closeConnections(): void;
}

/**
 * Readiness is already off when this starts. Sockets are moved first (edits are the most
 * time-sensitive), then runs get until the deadline, then streams end so their clients resume.
 */
export async function drain(steps: DrainSteps): Promise<void> {
  const { logger } = steps;
  logger.info("draining", { delayMs: steps.delayMs, timeoutMs: steps.timeoutMs });
  if (steps.delayMs > 0) await Bun.sleep(steps.delayMs);
  // Awaited only after the runs and streams; a failure then must not surface as unhandled.
  const closed = steps.stopAccepting().catch(() => {});
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
  // each stream ends after the last of them, as a complete response, so none is cut mid-way (a
  // single node replays nothing); its client resumes elsewhere, or after the restart.
  logger.debug?.("finishing the event streams");
  if (!(await within(steps.finishStreams(), STREAM_FINISH_CAP_MS))) {
    logger.warn("event streams not finished at the cap; cutting them", { capMs: STREAM_FINISH_CAP_MS });
  }
  // A finished response may still be held by the server, megabytes of it for a client that is
  // behind: closing the connections (or exiting) now would drop it. Bun closes each connection
  // once its response is written out; the listener's stop resolves when the last one has.
  if (!(await within(closed, WRITE_OUT_CAP_MS))) {
    logger.warn("responses not written out at the cap; closing their connections", {
      capMs: WRITE_OUT_CAP_MS,
    });
  }
  steps.closeConnections();
  logger.info("drained");
}

/** Whether `promise` settles within `ms` (failing counts as settled); the timer never outlives it. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
