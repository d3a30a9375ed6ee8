import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { NamePrompt } from "../components/NamePrompt.tsx";
import { adoptTokenFromFragment, loadName, loadToken, saveName, saveToken } from "../identity.ts";
import {
  type Api,
  createApi,
  errorCode,
  errorMessage,
  queryClient,
  type Role,
  type Session,
} from "../trpc.ts";
import { InterviewRoom } from "./InterviewRoom.tsx";
import { type GoneReason, SessionGone } from "./SessionGone.tsx";

/**
 * An observer link's session, shaped like a session: its `id` is the observer id, which the room,
 * the events and the server accept in its place; the candidate link is nowhere in it.
 */
async function watchedSession(api: Api, observerId: string): Promise<Session> {
  const watched = await api.watch.session.query({ observerId });
  return {
    ...watched,
    id: watched.observerId,
    createdAt: watched.expiresAt,
    updatedAt: watched.expiresAt,
    candidateUrl: location.href,
    observerUrl: location.href,
    isInterviewer: false,
  };
}

/**
 * `/sessions/:id`: who you are (name, role), whether the session exists, then the room.
 * `/watch/:observerId` (`watch`): the same room, read-only, reached by the observer link's id.
 */
export function SessionPage({ sessionId, watch = false }: { sessionId: string; watch?: boolean }) {
  // An observer link opens the observer view even in the interviewer's own browser (links made
  // before observer ids carry `?role=observer`).
  const [observer] = useState(() => watch || new URLSearchParams(location.search).get("role") === "observer");
  const [token] = useState(() => {
    if (watch) return null;
    adoptTokenFromFragment(sessionId);
    return observer ? null : loadToken(sessionId);
  });
  const tokenRef = useRef(token);
  const api: Api = useMemo(() => createApi(() => tokenRef.current), []);
  const [name, setName] = useState(loadName);
  // One load per page (the room keeps the session current from its events afterwards): no refetch
  // on focus, no retry of a refusal; "Try again" refetches.
  const queryKey = useMemo(
    () => ["session-page", sessionId, watch, observer] as const,
    [sessionId, watch, observer],
  );
  const load = useQuery({
    queryKey,
    queryFn: async ({ signal }) => {
      const session = watch
        ? await watchedSession(api, sessionId)
        : await api.session.get.query({ id: sessionId }, { signal });
      if (tokenRef.current && !session.isInterviewer) {
        // A token for another session or an outdated one: forget it, join as a candidate.
        tokenRef.current = null;
        saveToken(sessionId, null);
      }
      return session;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const [gone, setGone] = useState<{ reason: GoneReason; detail?: string } | null>(null);

  const setSession = useCallback(
    (session: Session) => queryClient.setQueryData(queryKey, session),
    [queryKey],
  );
  const onGone = useCallback((reason: GoneReason, detail?: string) => setGone({ reason, detail }), []);

  const missing = load.isError && ["NOT_FOUND", "BAD_REQUEST"].includes(errorCode(load.error) ?? "");
  if (gone || missing) return <SessionGone reason={gone?.reason ?? "not-found"} detail={gone?.detail} />;

  if (!load.isSuccess) {
    return (
      <div className="page-status">
        {load.isPending || load.isFetching ? (
          <p aria-live="polite">Opening the session…</p>
        ) : (
          <div className="card gone-card" role="alert">
            <h1>Could not open the session</h1>
            <p>{errorMessage(load.error)}</p>
            <button type="button" className="button primary" onClick={() => load.refetch()}>
              Try again
            </button>
          </div>
        )}
      </div>
    );
  }

  const session = load.data;
  const role: Role = session.isInterviewer ? "interviewer" : observer ? "observer" : "candidate";

  if (!name) {
    const as = { interviewer: "the interviewer", candidate: "a candidate", observer: "an observer" }[role];
    return (
      <NamePrompt
        context={`You are joining “${session.title}” as ${as}.`}
        onSubmit={(value) => {
          saveName(value);
          setName(value);
        }}
      />
    );
  }

  return (
    <InterviewRoom
      api={api}
      session={session}
      onSession={setSession}
      token={tokenRef.current}
      role={role}
      name={name}
      onRename={(value) => {
        saveName(value);
        setName(value);
      }}
      onGone={onGone}
    />
  );
}
