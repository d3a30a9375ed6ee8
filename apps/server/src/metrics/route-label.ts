/**
 * The route a request took, as a pattern (`/api/sessions/{id}`), for metric labels: never the raw
 * path, whose ids and query would make one series per session. Anything unknown folds into one
 * label, so a client sending random paths cannot grow the exposition.
 */
export interface RouteLabels {
  route(pathname: string): string;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The method as a label: the usual ones as they are, anything else as `other`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "other";
}

const FIXED = new Set(["/healthz", "/readyz", "/metrics", "/api/openapi.json", "/api/docs", "/"]);

/**
 * `restPaths`: the REST paths as the OpenAPI document names them, below `/api`
 * (`/sessions/{id}`); `procedures`: the tRPC procedure names (`session.get`).
 */
export function createRouteLabels(restPaths: Iterable<string>, procedures: Iterable<string>): RouteLabels {
  // Literal paths before templated ones: `/sessions/mine` is not `/sessions/{id}`.
  const params = (path: string) => path.split("{").length;
  const patterns = [...restPaths]
    .sort((a, b) => params(a) - params(b))
    .map((path) => ({
      label: `/api${path}`,
      regex: new RegExp(
        `^/api${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`,
      ),
    }));
  const known = new Set(procedures);
  return {
    route(pathname) {
      if (FIXED.has(pathname)) return pathname;
      if (pathname.startsWith("/api/")) {
        if (pathname.startsWith("/api/docs/")) return "/api/docs/{asset}";
        for (const { label, regex } of patterns) if (regex.test(pathname)) return label;
        return "/api/{unmatched}";
      }
      if (pathname.startsWith("/trpc/")) {
        const names = pathname.slice("/trpc/".length).split(",");
        if (names.length > 1) return "/trpc/{batch}";
        return known.has(names[0] ?? "") ? `/trpc/${names[0]}` : "/trpc/{unknown}";
      }
      if (/^\/ws\/sessions\/[^/]+$/.test(pathname)) return "/ws/sessions/{id}";
      if (pathname.startsWith("/assets/")) return "/assets/{file}";
      if (pathname.startsWith("/sessions/")) return "/sessions/{page}";
      return "{other}";
    },
  };
}
