import { useEffect } from "react";
import { Brand } from "../components/Brand.tsx";
import { followLink, paths } from "../router.ts";

export type GoneReason = "not-found" | "expired" | "deleted" | "closed";

const screens: Record<GoneReason, { title: string; body: string }> = {
  "not-found": {
    title: "Session not found",
    body: "This link does not match a live session. It may have expired or been deleted, or the address is incomplete.",
  },
  expired: {
    title: "This session has expired",
    body: "Sessions close after their expiry time, and their code and history are removed.",
  },
  deleted: {
    title: "This session was deleted",
    body: "The interviewer deleted this session and all of its data. Everyone has been disconnected.",
  },
  closed: {
    title: "Disconnected",
    body: "The server closed this room and will not take you back in automatically.",
  },
};

/** The clear, final screen for a session that cannot be joined. */
export function SessionGone({ reason, detail }: { reason: GoneReason; detail?: string }) {
  const screen = screens[reason];
  useEffect(() => {
    document.title = `${screen.title} · Pairpad`;
  }, [screen.title]);
  return (
    <div className="gone">
      <header className="topbar">
        <Brand />
      </header>
      <main className="gone-main" data-gone={reason}>
        <div className="card gone-card" role="alert">
          <h1>{screen.title}</h1>
          <p>{screen.body}</p>
          {detail && <p className="muted small">{detail}</p>}
          <div className="gone-actions">
            <a className="button primary" href={paths.home()} onClick={followLink}>
              Start a new session
            </a>
            {reason === "closed" && (
              <button type="button" className="button ghost" onClick={() => location.reload()}>
                Try again
              </button>
            )}
          </div>
        </div>
      </main>
    </div>
  );
}
