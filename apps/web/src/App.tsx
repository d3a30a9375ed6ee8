import { LandingPage } from "./pages/LandingPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { PlaybackPage } from "./pages/PlaybackPage.tsx";
import { SessionPage } from "./pages/SessionPage.tsx";
import { useRoute } from "./router.ts";

export function App() {
  const route = useRoute();
  switch (route.page) {
    case "home":
      return <LandingPage />;
    case "session":
      // Keyed: another session is a fresh page (new document, new connection).
      return <SessionPage key={route.sessionId} sessionId={route.sessionId} />;
    case "playback":
      return <PlaybackPage key={route.sessionId} sessionId={route.sessionId} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
