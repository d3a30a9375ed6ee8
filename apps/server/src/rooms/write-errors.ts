/** Errors of the update-log and history writes, told apart, described without their data, reported. */

import type { Logger } from "@pairpad/api/ports";
import type { RoomCounters } from "./stats.ts";

/** The deepest cause: drizzle wraps the driver's error (whose message carries no query). */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

/** The SQLSTATE of a database error; null for anything else (a lost connection, a closed pool). */
export function sqlStateOf(error: unknown): string | null {
  const code = (rootCause(error) as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** A foreign-key violation: the rows' session was deleted (the log's and history's one foreign key). */
export const sessionGone = (error: unknown) => sqlStateOf(error) === "23503";

/**
 * The database refused the rows themselves — bad data (class 22: a NUL, an invalid encoding), a
 * broken constraint (23: a deleted session), a row too large (54): writing them again cannot
 * succeed, while other rows of the same batch may.
 */
export function isRowRefusal(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
}

/**
 * For logs: the SQLSTATE, or the message of a failure that is not the database's. Never the
 * query, its parameters (code, names) or the database's message (it may quote a value).
 */
export function describeWriteError(error: unknown): string {
  const state = sqlStateOf(error);
  if (state) return `SQLSTATE ${state}`;
  const root = rootCause(error);
  const message = root instanceof Error ? root.message : String(root);
  return message.startsWith("Failed query") ? "query failed" : message.slice(0, 200);
}

/**
 * Failed writes of documents and history, for the operator: each one counted (`persistFailures`),
 * logged once until a write succeeds again, so an outage is one line and not one per flush.
 */
export class WriteFailures {
  private failing = false;

  constructor(
    private readonly counters: Pick<RoomCounters, "persistFailures">,
    private readonly logger: Logger,
  ) {}

  /** A write failed, naming the sessions whose rows wait for the next one. */
  failed(error: unknown, sessionIds: string[]): void {
    this.counters.persistFailures++;
    if (this.failing) return;
    this.failing = true;
    const unique = [...new Set(sessionIds)];
    this.logger.error("could not write documents; retrying", {
      ...(unique.length === 1 ? { sessionId: unique[0] } : { sessionIds: unique }),
      error: describeWriteError(error),
    });
  }

  /** A write went through: the next failure is news again. */
  succeeded(): void {
    this.failing = false;
  }
}
