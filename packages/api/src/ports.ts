import type { SessionEvent } from "./events/events.ts";
import type { InterviewerEvent } from "./events/interviewer-events.ts";
import type { LanguageId, RunStatus } from "./execution/executor.ts";

/** Who is on a session's socket. */
export type Role = "interviewer" | "candidate" | "observer";

export interface Participant {
  /** Stable per connection, unique across nodes. */
  connectionId: string;
  name: string;
  color: string;
  role: Role;
  since: Date;
}

/**
 * The live documents and presence, wherever they are loaded (this node or another). The
 * real-time server provides it; without live rooms, `StoredDocuments` works on the database alone.
 */
export interface RoomDirectory {
  participants(sessionId: string): Promise<Participant[]>;
  /** The current code and language, from the live document when there is one. */
  readCode(sessionId: string): Promise<{ code: string; language: LanguageId | null }>;
  /** Replaces the whole code as one ordinary CRDT change by `actor` (a restore). */
  replaceCode(sessionId: string, code: string, actor: string): Promise<void>;
  /** Sets `meta.language` in the shared document. */
  setLanguage(sessionId: string, language: LanguageId, actor: string): Promise<void>;
  /** Sets session-wide flags in `meta` (e.g. `locked` once the interview ends). */
  setMeta(sessionId: string, values: Record<string, unknown>): Promise<void>;
  /** Disconnects every client of the session, telling them why; used on delete and expiry. */
  closeSession(sessionId: string, reason: "deleted" | "expired"): Promise<void>;
}

/**
 * Events of one session fanned out to their subscribers, on every node. Each channel is its own bus topic:
 * a subscriber of one channel can never receive another's events.
 */
export interface EventChannel<E extends { type: string }> {
  publish(sessionId: string, event: E): Promise<void>;
  /** Live events from now on, plus those after `lastEventId` still remembered. */
  subscribe(
    sessionId: string,
    listener: (event: E & { id: string }) => void,
    lastEventId?: string,
  ): () => void;
}

/** Events for everyone in the session: candidates and observers included. */
export type SessionEvents = EventChannel<SessionEvent>;
/** Events for the session's interviewers only: notes, hidden and reference runs, the scorecard. */
export type InterviewerEvents = EventChannel<InterviewerEvent>;

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Fixed-window counters: in-process, or shared through Redis when several nodes run. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
}

export interface Logger {
  /** Shown with LOG_LEVEL=debug; optional so that small loggers in tests need not have it. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type Clock = () => Date;

/** A run as the metrics see it: how long it waited for a slot and how long it ran. */
export interface RunObservation {
  language: LanguageId;
  /** The run's own status, or `rejected` (queue full) / `failed` (could not start, aborted). */
  status: RunStatus | "rejected" | "failed";
  waitSeconds: number;
  /** 0 when it never started. */
  runSeconds: number;
}

/** Where finished runs are reported for /metrics; optional, so in-process tests need none. */
export interface RunMetrics {
  observeRun(run: RunObservation): void;
}

/** An invitation to hand to its invitee by email. */
export interface InvitationMail {
  to: string;
  /** The invitation's page; its id is the capability, so it goes nowhere but into the email. */
  link: string;
  workspace: { id: string; name: string };
  invitedBy: string;
  role: string;
  expiresAt: Date;
}

/**
 * Sends invitation emails (SMTP when configured). Resolves whether the mail server took the email;
 * never rejects, since the invitation stands (and its link is shown) whatever the mail does.
 */
export interface InvitationMailer {
  send(mail: InvitationMail): Promise<boolean>;
}

/** An email about an account, to its address: a link to verify it, or word that someone signed up with it. */
export type AccountMail =
  | {
      kind: "verification";
      to: string;
      name: string;
      /** The web page that verifies the address; its token is the capability, so it goes only here. */
      link: string;
      expiresAt: Date;
    }
  | {
      kind: "existing-account";
      to: string;
      name: string;
      /** The sign-in page. */
      link: string;
    };

/** Sends account emails (SMTP); like the invitation mailer, resolves whether it was taken, never rejects. */
export interface AccountMailer {
  sendAccountMail(mail: AccountMail): Promise<boolean>;
}
