import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { NamePrompt } from "../components/NamePrompt.tsx";
import { adoptTokenFromFragment, loadName, loadToken, saveName, saveToken } from "../identity.ts";
import { type Api, createApi, errorCode, errorMessage, type Role, type Session } from "../trpc.ts";
import { InterviewRoom } from "./InterviewRoom.tsx";
import { type GoneReason, SessionGone } from "./SessionGone.tsx";

type Load =
  | { state: "loading" }
  | { state: "failed"; message: string }
  | { state: "ready"; session: Session };

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
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [gone, setGone] = useState<{ reason: GoneReason; detail?: string } | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` retries the load
  useEffect(() => {
    let cancelled = false;
    (watch ? watchedSession(api, sessionId) : api.session.get.query({ id: sessionId }))
      .then((session) => {
        if (cancelled) return;
        if (tokenRef.current && !session.isInterviewer) {
          // A token for another session or an outdated one: forget it, join as a candidate.
          tokenRef.current = null;
          saveToken(sessionId, null);
        }
        setLoad({ state: "ready", session });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const code = errorCode(error);
        if (code === "NOT_FOUND" || code === "BAD_REQUEST") setGone({ reason: "not-found" });
        else setLoad({ state: "failed", message: errorMessage(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, attempt]);

  const setSession = useCallback((session: Session) => setLoad({ state: "ready", session }), []);
  const onGone = useCallback((reason: GoneReason, detail?: string) => setGone({ reason, detail }), []);

  if (gone) return <SessionGone reason={gone.reason} detail={gone.detail} />;

  if (load.state !== "ready") {
    return (
      <div className="page-status">
        {load.state === "loading" ? (
          <p aria-live="polite">Opening the session…</p>
        ) : (
          <div className="card gone-card" role="alert">
            <h1>Could not open the session</h1>
            <p>{load.message}</p>
            <button type="button" className="button primary" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
      </div>
    );
  }

  const session = load.session;
  const role: Role = session.isInterviewer ? "interviewer" : observer ? "observer" : "candidate";

  if (!name) {
    return (
      <NamePrompt
        context={`You are joining “${session.title}” as ${role === "interviewer" ? "the interviewer" : `a ${role}`}.`}
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
