import { useEffect, useRef } from "react";
import { type Api, errorCode, type SessionEvent } from "../trpc.ts";

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
