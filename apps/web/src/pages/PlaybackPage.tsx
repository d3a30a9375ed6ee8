import "../zod-jitless.ts";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Brand } from "../components/Brand.tsx";
import { adoptTokenFromFragment, loadToken } from "../identity.ts";
import { loadRecording } from "../playback/recording.ts";
import { followLink, paths } from "../router.ts";
import { type Api, createApi, errorCode, errorMessage } from "../trpc.ts";
import { PlaybackView } from "./PlaybackView.tsx";
import { SessionGone } from "./SessionGone.tsx";

/** `/sessions/:id/playback`: the interviewer's replay of everything that happened in the session. */
export function PlaybackPage({ sessionId }: { sessionId: string }) {
  const [token] = useState(() => {
    adoptTokenFromFragment(sessionId);
    return loadToken(sessionId);
  });
  const api: Api = useMemo(() => createApi(() => token), [token]);
  /** Updates loaded so far, while the first load runs. */
  const [progress, setProgress] = useState(0);
  /** The wall-clock time the view is at, so a reload resumes there. */
  const resumeAt = useRef<number | null>(null);

  useEffect(() => {
    document.title = "Replay · Pairpad";
  }, []);

  // Without a token the server still answers: a member of the session's workspace is its interviewer.
  // Loaded once (a recording is large): "Reload" and a restore refetch it; refusals are final.
  const load = useQuery({
    queryKey: ["replay", sessionId, token],
    queryFn: async ({ signal }) => {
      setProgress(0);
      const session = await api.session.get.query({ id: sessionId }, { signal });
      if (!session.isInterviewer) return { session, recording: null };
      return { session, recording: await loadRecording(api, sessionId, setProgress, signal) };
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const { refetch } = load;
  const reload = useCallback(() => void refetch(), [refetch]);

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

  const code = load.isError ? errorCode(load.error) : null;
  if (code === "UNAUTHORIZED" || code === "FORBIDDEN") return <InterviewerOnly sessionId={sessionId} />;
  if (code === "NOT_FOUND" || code === "BAD_REQUEST") return <SessionGone reason="not-found" />;
  if (load.isPending) {
    return (
      <div className="page-status">
        <p aria-live="polite">
          Loading the recording…
          {progress > 0 && ` ${progress.toLocaleString()} updates`}
        </p>
      </div>
    );
  }
  if (load.isError) {
    return (
      <div className="page-status">
        <div className="card gone-card" role="alert">
          <h1>Could not load the recording</h1>
          <p>{errorMessage(load.error)}</p>
          <button type="button" className="button primary" onClick={reload} disabled={load.isFetching}>
            {load.isFetching ? "Loading…" : "Try again"}
          </button>
        </div>
      </div>
    );
  }
  const { session, recording } = load.data;
  if (!recording) return <InterviewerOnly sessionId={sessionId} />;
  return (
    <>
      <PlaybackView
        key={load.dataUpdatedAt}
        api={api}
        session={session}
        recording={recording}
        refreshing={load.isFetching}
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
