import { lazy, Suspense } from "react";
import { LandingPage } from "./pages/LandingPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { useRoute } from "./router.ts";

// The editor (CodeMirror, Yjs, parsers) loads with the room or the replay, not with the landing page.
const SessionPage = lazy(() => import("./pages/SessionPage.tsx").then((m) => ({ default: m.SessionPage })));
const PlaybackPage = lazy(() =>
  import("./pages/PlaybackPage.tsx").then((m) => ({ default: m.PlaybackPage })),
);
const ReportPage = lazy(() => import("./pages/ReportPage.tsx").then((m) => ({ default: m.ReportPage })));
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
    case "watch":
      return (
        <Suspense fallback={loading}>
          <SessionPage key={route.observerId} sessionId={route.observerId} watch />
        </Suspense>
      );
    case "playback":
      return (
        <Suspense fallback={loading}>
          <PlaybackPage key={route.sessionId} sessionId={route.sessionId} />
        </Suspense>
      );
    case "report":
      return (
        <Suspense fallback={loading}>
          <ReportPage key={route.sessionId} sessionId={route.sessionId} />
        </Suspense>
      );
    case "not-found":
      return <NotFoundPage />;
  }
}
