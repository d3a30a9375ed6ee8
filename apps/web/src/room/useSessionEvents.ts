import { useEffect, useRef } from "react";
import { type Api, errorCode, type InterviewerEvent, type SessionEvent } from "../trpc.ts";

/**
 * Follows the session's server events (SSE). The link resumes after the last event id by itself
 * when the stream drops; `onGone` fires when the server says the session does not exist.
 */
export function useSessionEvents(
  api: Api,
  sessionId: string,
  onEvent: (event: SessionEvent) => void,
  onGone: () => void,
) {
  const handlers = useRef({ onEvent, onGone });
  handlers.current = { onEvent, onGone };

  useEffect(() => {
    const subscription = api.events.session.subscribe(
      { id: sessionId, lastEventId: null },
      {
        onData: (tracked) => handlers.current.onEvent(tracked.data),
        onError: (error) => {
          if (errorCode(error) === "NOT_FOUND") handlers.current.onGone();
        },
      },
    );
    return () => subscription.unsubscribe();
  }, [api, sessionId]);
}

/**
 * Follows the interviewers' own events (notes, hidden and reference runs, scorecard saves) while
 * `enabled`: only an interviewer's page subscribes, and the server refuses anyone else.
 */
export function useInterviewerEvents(
  api: Api,
  sessionId: string,
  enabled: boolean,
  onEvent: (event: InterviewerEvent) => void,
) {
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!enabled) return;
    const subscription = api.events.interviewer.subscribe(
      { id: sessionId, lastEventId: null },
      { onData: (tracked) => handler.current(tracked.data) },
    );
    return () => subscription.unsubscribe();
  }, [api, sessionId, enabled]);
}
