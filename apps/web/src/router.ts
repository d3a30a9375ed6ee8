import { type MouseEvent, useSyncExternalStore } from "react";

/** Every page of the app; add a case here and in `App` for a new page. */
export type Route =
  | { page: "home" }
  | { page: "session"; sessionId: string }
  | { page: "playback"; sessionId: string }
  /** The interviewer's printable report of one interview. */
  | { page: "report"; sessionId: string }
  /** An observer link: its own id, from which the session id cannot be derived. */
  | { page: "watch"; observerId: string }
  | { page: "sign-in" }
  | { page: "sign-up" }
  | { page: "settings" }
  /** An invitation link: join a workspace after signing in or up. */
  | { page: "invite"; invitationId: string }
  /** The link of a verification email: confirms the address, then sign in. */
  | { page: "verify-email" }
  | { page: "not-found" };

const sessionPath = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/?$/;
const playbackPath = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/playback\/?$/;
const reportPath = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/report\/?$/;
const watchPath = /^\/watch\/([A-Za-z0-9_-]{1,64})\/?$/;
const invitePath = /^\/invite\/([A-Za-z0-9_-]{1,64})\/?$/;
const fixedPages: Record<string, Route> = {
  "/signin": { page: "sign-in" },
  "/signup": { page: "sign-up" },
  "/settings": { page: "settings" },
  "/verify-email": { page: "verify-email" },
};

export function matchRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "/index.html") return { page: "home" };
  const session = sessionPath.exec(pathname);
  if (session?.[1]) return { page: "session", sessionId: session[1] };
  const playback = playbackPath.exec(pathname);
  if (playback?.[1]) return { page: "playback", sessionId: playback[1] };
  const report = reportPath.exec(pathname);
  if (report?.[1]) return { page: "report", sessionId: report[1] };
  const watch = watchPath.exec(pathname);
  if (watch?.[1]) return { page: "watch", observerId: watch[1] };
  const invite = invitePath.exec(pathname);
  if (invite?.[1]) return { page: "invite", invitationId: invite[1] };
  const fixed = fixedPages[pathname.replace(/(.)\/$/, "$1")];
  if (fixed) return fixed;
  return { page: "not-found" };
}

export const paths = {
  home: () => "/",
  session: (id: string) => `/sessions/${encodeURIComponent(id)}`,
  playback: (id: string) => `/sessions/${encodeURIComponent(id)}/playback`,
  signIn: () => "/signin",
  signUp: () => "/signup",
  verifyEmail: () => "/verify-email",
  settings: () => "/settings",
  invite: (id: string) => `/invite/${encodeURIComponent(id)}`,
  report: (id: string) => `/sessions/${encodeURIComponent(id)}/report`,
};

const NAVIGATED = "pairpad:navigate";

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
}

function subscribe(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

let lastPath = "";
let lastRoute: Route = { page: "home" };

function currentRoute(): Route {
  // The same object while the path is unchanged, as useSyncExternalStore requires.
  if (location.pathname !== lastPath) {
    lastPath = location.pathname;
    lastRoute = matchRoute(lastPath);
  }
  return lastRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, currentRoute);
}

/** For `<a href onClick>`: in-app navigation for plain left clicks, the browser's for the rest. */
export function followLink(event: MouseEvent<HTMLAnchorElement>) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute("href");
  if (!href?.startsWith("/")) return;
  event.preventDefault();
  navigate(href);
}
