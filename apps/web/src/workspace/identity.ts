import { useQuery } from "@tanstack/react-query";
import { navigate } from "../router.ts";
import { queryClient, trpc } from "../trpc.ts";

/** Who this browser is signed in as (or nobody), shared by every page. */
export function useMe() {
  return useQuery(trpc.workspace.me.queryOptions());
}

/** This server's sign-up policy and single sign-on, for the sign-in and sign-up pages. */
export function useInstance() {
  return useQuery({ ...trpc.instance.info.queryOptions(), staleTime: 60_000 });
}

/**
 * After signing in, up or out, or switching workspace, every cached answer belonged to someone
 * else: reset them all (what is on screen is fetched again as the new caller), then go on.
 */
export function identityChanged(to: string) {
  void queryClient.resetQueries();
  navigate(to, { replace: true });
}

/** Where to go after signing in: the `next` of the address when it is a path of this app. */
export function nextPath(fallback = "/"): string {
  const next = new URLSearchParams(location.search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : fallback;
}

export const roleLabels = { owner: "Owner", admin: "Admin", interviewer: "Interviewer" } as const;

export const canManage = (role: string | null | undefined) => role === "owner" || role === "admin";
