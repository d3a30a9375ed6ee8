import "../zod-jitless.ts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Brand } from "../components/Brand.tsx";
import { adoptTokenFromFragment, loadToken } from "../identity.ts";
import { loadRecording, type Recording } from "../playback/recording.ts";
import { followLink, paths } from "../router.ts";
import { type Api, createApi, errorCode, errorMessage, type Session } from "../trpc.ts";
import { PlaybackView } from "./PlaybackView.tsx";
import { SessionGone } from "./SessionGone.tsx";

type Load =
  | { state: "loading"; updates: number }
  | { state: "failed"; message: string }
  | { state: "not-interviewer" }
  | { state: "not-found" }
  | { state: "ready"; session: Session; recording: Recording; refreshing: boolean; generation: number };

/** `/sessions/:id/playback`: the interviewer's replay of everything that happened in the session. */
export function PlaybackPage({ sessionId }: { sessionId: string }) {
  const [token] = useState(() => {
    adoptTokenFromFragment(sessionId);
    return loadToken(sessionId);
  });
  const api: Api = useMemo(() => createApi(() => token), [token]);
  const [load, setLoad] = useState<Load>({ state: "loading", updates: 0 });
  const [attempt, setAttempt] = useState(0);
  /** The wall-clock time the view is at, so a reload resumes there. */
  const resumeAt = useRef<number | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    document.title = "Replay · Pairpad";
  }, []);

  // Without a token the server still answers: a member of the session's workspace is its interviewer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` reloads the recording
  useEffect(() => {
    const abort = new AbortController();
    setLoad((current) =>
      current.state === "ready" ? { ...current, refreshing: true } : { state: "loading", updates: 0 },
    );
    (async () => {
      const session = await api.session.get.query({ id: sessionId }, { signal: abort.signal });
      if (!session.isInterviewer) return setLoad({ state: "not-interviewer" });
      const recording = await loadRecording(
        api,
        sessionId,
        (updates) =>
          setLoad((current) => (current.state === "loading" ? { state: "loading", updates } : current)),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      generation.current++;
      setLoad({ state: "ready", session, recording, refreshing: false, generation: generation.current });
    })().catch((error: unknown) => {
      if (abort.signal.aborted) return;
      const code = errorCode(error);
      if (code === "NOT_FOUND" || code === "BAD_REQUEST") setLoad({ state: "not-found" });
      else if (code === "UNAUTHORIZED" || code === "FORBIDDEN") setLoad({ state: "not-interviewer" });
      else setLoad({ state: "failed", message: errorMessage(error) });
    });
    return () => abort.abort();
  }, [api, sessionId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // Kept here, not in the view: a restore reloads the recording, and the view with it.
  const [notice, setNotice] = useState<string | null>(null);
  const onRestored = useCallback(
    (message: string) => {
      setNotice(message);
      reload();
    },
    [reload],
  );

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  if (load.state === "not-interviewer") return <InterviewerOnly sessionId={sessionId} />;
  if (load.state === "not-found") return <SessionGone reason="not-found" />;
  if (load.state === "loading") {
    return (
      <div className="page-status">
        <p aria-live="polite">
          Loading the recording…
          {load.updates > 0 && ` ${load.updates.toLocaleString()} updates`}
        </p>
      </div>
    );
  }
  if (load.state === "failed") {
    return (
      <div className="page-status">
        <div className="card gone-card" role="alert">
          <h1>Could not load the recording</h1>
          <p>{load.message}</p>
          <button type="button" className="button primary" onClick={reload}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  return (
    <>
      <PlaybackView
        key={load.generation}
        api={api}
        session={load.session}
        recording={load.recording}
        refreshing={load.refreshing}
        onReload={reload}
        onRestored={onRestored}
        resumeAt={resumeAt}
      />
      <div className="toast-region" aria-live="polite">
        {notice && (
          <div className="toast" role="status">
            {notice}
          </div>
        )}
      </div>
    </>
  );
}

/** The replay is the interviewer's: without their token or workspace there is nothing to show. */
function InterviewerOnly({ sessionId }: { sessionId: string }) {
  useEffect(() => {
    document.title = "Only the interviewer can replay · Pairpad";
  }, []);
  return (
    <div className="gone">
      <header className="topbar">
        <Brand />
      </header>
      <main className="gone-main" data-gone="not-interviewer">
        <div className="card gone-card" role="alert">
          <h1>Only the interviewer can replay this session</h1>
          <p>
            The replay shows every keystroke, run and snapshot of the interview. Open the interviewer link
            (the one with <code>#token=</code>) in this browser first, or sign in to the interview's
            workspace, then come back here.
          </p>
          <div className="gone-actions">
            <a className="button primary" href={paths.session(sessionId)} onClick={followLink}>
              Go to the session
            </a>
          </div>
        </div>
      </main>
    </div>
  );
}
