import { createAuthClient } from "better-auth/client";
import { organizationClient } from "better-auth/client/plugins";

/**
 * better-auth's client on this origin (`/api/auth`): sign-up, sign-in, sign-out, password, SSO, and
 * the account's workspaces (organizations) to switch between.
 */
export const authClient = createAuthClient({
  baseURL: typeof location === "undefined" ? undefined : location.origin,
  basePath: "/api/auth",
  plugins: [organizationClient()],
});

/** A person's message from a better-auth failure (`{ error: { message, status } }`). */
export function authErrorMessage(error: { message?: string; status?: number; statusText?: string }): string {
  if (error.status === 429) return "Too many attempts. Wait a minute, then try again.";
  return error.message || error.statusText || `The server refused (${error.status ?? "no answer"})`;
}
