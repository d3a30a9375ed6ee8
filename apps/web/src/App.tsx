import { lazy, Suspense } from "react";
import { LandingPage } from "./pages/LandingPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { PlaybackPage } from "./pages/PlaybackPage.tsx";
import { useRoute } from "./router.ts";

// The editor (CodeMirror, Yjs, parsers) loads with the room, not with the landing page.
const SessionPage = lazy(() => import("./pages/SessionPage.tsx").then((m) => ({ default: m.SessionPage })));
const loading = <div className="page-status">Loading…</div>;

export function App() {
  const route = useRoute();
  switch (route.page) {
    case "home":
      return <LandingPage />;
    case "session":
      // Keyed: another session is a fresh page (new document, new connection).
      return (
        <Suspense fallback={loading}>
          <SessionPage key={route.sessionId} sessionId={route.sessionId} />
        </Suspense>
      );
    case "playback":
      return <PlaybackPage key={route.sessionId} sessionId={route.sessionId} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
