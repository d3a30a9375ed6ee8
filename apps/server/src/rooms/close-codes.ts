/**
 * WebSocket close codes of `/ws/sessions/:id`. The standard y-websocket client treats 4400–4499 as
 * permanent (it stops reconnecting and emits `closed`), so only conditions a retry cannot fix live
 * there; transient ones sit outside that range and the client reconnects with backoff.
 */
export const CloseCode = {
  /** The server is shutting down (transient: another node or the restarted one takes over). */
  goingAway: 1001,
  /**
   * A frame far beyond `maxPayloadBytes` (past Bun's own limit, 16 times it: sent by Bun itself,
   * transient for the client).
   */
  tooLarge: 1009,
  /** The room could not be loaded, or another server-side failure (transient). */
  internalError: 1011,
  /** A frame that is not y-protocols (permanent: the client is broken). */
  malformed: 4400,
  /** `?token=` given but it is not this session's interviewer token (permanent). */
  badToken: 4403,
  /** The session does not exist or has expired, checked when connecting (permanent). */
  notFound: 4404,
  /** The session was deleted or expired while connected (permanent). */
  gone: 4410,
  /**
   * The client's change would pass the document size cap and was refused (permanent: the client
   * still holds the change, so reconnecting would only send it again; it reloads instead).
   */
  documentTooLarge: 4413,
  /**
   * The connection's awareness passed its limits: more client ids or a larger state than a client
   * needs (permanent: the client would only send it again).
   */
  awarenessTooLarge: 4431,
  /**
   * A frame larger than `maxPayloadBytes`, e.g. a huge paste: not applied (permanent: the client
   * would only send it again; the reason says why, the others are unaffected).
   */
  frameTooLarge: 4414,
  /** The client does not read fast enough: its send buffer passed the limit (transient). */
  slowConsumer: 4508,
  /** The session already has `maxConnectionsPerSession` connections (transient). */
  sessionFull: 4509,
  /** More than the allowed messages per second on this connection (transient). */
  rateLimited: 4529,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
