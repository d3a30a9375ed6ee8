import { text } from "../input/text.ts";

/** The most characters of an account's name: a new account's workspace is "<name>'s workspace" (≤ 100). */
export const MAX_ACCOUNT_NAME = 80;

/** An account's display name as people type it: trimmed, 1 to 80 characters, storable. */
export const accountName = () => text().trim().min(1).max(MAX_ACCOUNT_NAME);

/**
 * The problem with a name given to better-auth's own endpoints (sign-up, update-user), which take any
 * string: or null when it will do.
 */
export function accountNameProblem(name: unknown): string | null {
  const parsed = accountName().safeParse(name);
  return parsed.success ? null : `name: ${parsed.error.issues.map((i) => i.message).join("; ")}`;
}

/** A name from an identity provider, made to fit rather than refused: the person did not type it here. */
export function fittedAccountName(name: string): string {
  return [...name.replaceAll("\0", "").toWellFormed().trim()].slice(0, MAX_ACCOUNT_NAME).join("").trim();
}
