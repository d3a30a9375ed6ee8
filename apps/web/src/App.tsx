import { lazy, Suspense, useEffect } from "react";
import { LandingPage } from "./pages/LandingPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { navigate, paths, useRoute } from "./router.ts";
import type { Me } from "./trpc.ts";
import { useMe } from "./workspace/identity.ts";

// The editor (CodeMirror, Yjs, parsers) loads with the room or the replay, not with the landing page.
const SessionPage = lazy(() => import("./pages/SessionPage.tsx").then((m) => ({ default: m.SessionPage })));
const PlaybackPage = lazy(() =>
  import("./pages/PlaybackPage.tsx").then((m) => ({ default: m.PlaybackPage })),
);
// The workspace's pages load for members, not with the anonymous landing page.
const DashboardPage = lazy(() =>
  import("./pages/DashboardPage.tsx").then((m) => ({ default: m.DashboardPage })),
);
const SettingsPage = lazy(() =>
  import("./pages/SettingsPage.tsx").then((m) => ({ default: m.SettingsPage })),
);
const SignInPage = lazy(() => import("./pages/SignInPage.tsx").then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import("./pages/SignUpPage.tsx").then((m) => ({ default: m.SignUpPage })));
const InvitePage = lazy(() => import("./pages/InvitePage.tsx").then((m) => ({ default: m.InvitePage })));
const VerifyEmailPage = lazy(() =>
  import("./pages/VerifyEmailPage.tsx").then((m) => ({ default: m.VerifyEmailPage })),
);
const ReportPage = lazy(() => import("./pages/ReportPage.tsx").then((m) => ({ default: m.ReportPage })));
const loading = <div className="page-status">Loading…</div>;

export function App() {
  const route = useRoute();
  switch (route.page) {
    case "home":
      return <Home />;
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
    case "sign-in":
      return (
        <Suspense fallback={loading}>
          <SignInPage />
        </Suspense>
      );
    case "sign-up":
      return (
        <Suspense fallback={loading}>
          <SignUpPage />
        </Suspense>
      );
    case "settings":
      return <SignedIn>{(me) => <SettingsPage me={me} />}</SignedIn>;
    case "invite":
      return (
        <Suspense fallback={loading}>
          <InvitePage key={route.invitationId} invitationId={route.invitationId} />
        </Suspense>
      );
    case "report":
      return (
        <Suspense fallback={loading}>
          <ReportPage key={route.sessionId} sessionId={route.sessionId} />
        </Suspense>
      );
    case "verify-email":
      return (
        <Suspense fallback={loading}>
          <VerifyEmailPage />
        </Suspense>
      );
    case "not-found":
      return <NotFoundPage />;
  }
}

/** `/`: the workspace's dashboard for a member, the quick-session landing page for visitors. */
function Home() {
  const me = useMe();
  if (me.isPending) return loading;
  if (me.data?.kind === "member") {
    const member = me.data;
    return (
      <Suspense fallback={loading}>
        <DashboardPage me={member} />
      </Suspense>
    );
  }
  // Nobody signed in, or the server could not say: the landing page works without an account.
  return <LandingPage />;
}

/** A page for members only: visitors go to the sign-in page, and come back after it. */
function SignedIn({ children }: { children: (me: Me) => React.ReactNode }) {
  const me = useMe();
  const member = me.data?.kind === "member" ? me.data : null;
  const anonymous = me.isSuccess && !member;
  useEffect(() => {
    if (anonymous)
      navigate(`${paths.signIn()}?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  }, [anonymous]);
  if (me.isError) {
    return (
      <div className="page-status" role="alert">
        Could not reach the server. Reload the page to try again.
      </div>
    );
  }
  if (!member) return loading;
  return <Suspense fallback={loading}>{children(member)}</Suspense>;
}
