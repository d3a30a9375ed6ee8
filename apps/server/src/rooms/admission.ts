import type { Role } from "@pairpad/api/ports";
import { observerIdPattern, sessionIdPattern, tokenMatches } from "@pairpad/api/session/ids";
import { socketTicketMatches } from "@pairpad/api/session/tickets";
import type { SessionRow } from "@pairpad/db/schema";
import { CloseCode } from "./close-codes.ts";

/** Where a socket's session is looked up (shared reads, see `RoomServer`). */
export interface SessionLookup {
  byId(sessionId: string): Promise<SessionRow | null>;
  byObserverId(observerId: string): Promise<SessionRow | null>;
}

export type Admission =
  | { ok: true; session: SessionRow; role: Role }
  | { ok: false; code: number; reason: string };

const notFound: Admission = { ok: false, code: CloseCode.notFound, reason: "session not found or expired" };

/**
 * Who a socket is, decided once, from its path and query: the session it joins and its role.
 *
 * - `/ws/sessions/<observerId>`: an observer (the observer link's own id; read-only).
 * - `/ws/sessions/<sessionId>?ticket=…`: the interviewer, with a ticket from `ticket.create`
 *   (keeps the interviewer token out of URLs).
 * - `/ws/sessions/<sessionId>?token=…`: the interviewer, if the token is the session's (kept for
 *   existing clients; the ticket is the way).
 * - `/ws/sessions/<sessionId>?role=observer`: an observer (links made before observer ids).
 * - `/ws/sessions/<sessionId>`: a candidate.
 */
export async function admit(
  lookup: SessionLookup,
  pathId: string,
  query: URLSearchParams,
  now: Date,
): Promise<Admission> {
  if (observerIdPattern.test(pathId)) {
    const session = await lookup.byObserverId(pathId);
    return session ? { ok: true, session, role: "observer" } : notFound;
  }
  if (!sessionIdPattern.test(pathId)) return notFound;
  const session = await lookup.byId(pathId);
  if (!session) return notFound;
  const ticket = query.get("ticket");
  if (ticket !== null) {
    return socketTicketMatches(ticket, session, now)
      ? { ok: true, session, role: "interviewer" }
      : {
          ok: false,
          code: CloseCode.badToken,
          reason: "the ticket is not valid for this session or has expired",
        };
  }
  const token = query.get("token");
  if (token !== null) {
    return tokenMatches(token, session.interviewerTokenHash)
      ? { ok: true, session, role: "interviewer" }
      : { ok: false, code: CloseCode.badToken, reason: "the interviewer token does not match this session" };
  }
  return { ok: true, session, role: query.get("role") === "observer" ? "observer" : "candidate" };
}
