import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a socket ticket admits the interviewer (clients fetch a fresh one well before). */
export const TICKET_TTL_MS = 10 * 60_000;

function sign(sessionId: string, tokenHash: string, expiresAt: number): string {
  return createHmac("sha256", tokenHash)
    .update(`socket-ticket:${sessionId}:${expiresAt}`)
    .digest("base64url");
}

/**
 * A short-lived ticket that admits the interviewer to the session's socket, so that the
 * interviewer token itself never travels in a WebSocket URL (where proxies log it). Signed with
 * the token's stored hash: any node can check it, no secret to configure, and it dies with the
 * session (or a new token).
 */
export function issueSocketTicket(
  session: { id: string; interviewerTokenHash: string },
  now: Date,
): { ticket: string; expiresAt: Date } {
  const expiresAt = now.getTime() + TICKET_TTL_MS;
  return {
    ticket: `${expiresAt.toString(36)}.${sign(session.id, session.interviewerTokenHash, expiresAt)}`,
    expiresAt: new Date(expiresAt),
  };
}

export function socketTicketMatches(
  ticket: string,
  session: { id: string; interviewerTokenHash: string },
  now: Date,
): boolean {
  const [expiry, signature, ...rest] = ticket.split(".");
  if (!expiry || !signature || rest.length > 0) return false;
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now.getTime()) return false;
  const expected = Buffer.from(sign(session.id, session.interviewerTokenHash, expiresAt));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
