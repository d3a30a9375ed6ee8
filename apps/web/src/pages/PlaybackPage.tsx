import { Brand } from "../components/Brand.tsx";
import { followLink, paths } from "../router.ts";

/** Route reserved for the session replay (issue 6); the player replaces this page. */
export function PlaybackPage({ sessionId }: { sessionId: string }) {
  return (
    <div className="gone">
      <header className="topbar">
        <Brand />
      </header>
      <main className="gone-main">
        <div className="card gone-card">
          <h1>Playback</h1>
          <p>The replay of this session is not available in this version yet.</p>
          <div className="gone-actions">
            <a className="button primary" href={paths.session(sessionId)} onClick={followLink}>
              Back to the session
            </a>
          </div>
        </div>
      </main>
    </div>
  );
}
