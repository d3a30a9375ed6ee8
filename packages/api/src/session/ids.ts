import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 128 random bits, URL-safe: unguessable session ids. */
export const newSessionId = (): string => randomBytes(16).toString("base64url");
export const newInterviewerToken = (): string => randomBytes(32).toString("base64url");
export const newId = (): string => randomBytes(12).toString("base64url");

export const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;
/**
 * Observer link ids: 144 random bits, unrelated to the session id, and two characters longer, so
 * that a path tells which one it holds without a lookup.
 */
export const newObserverId = (): string => randomBytes(18).toString("base64url");
export const observerIdPattern = /^[A-Za-z0-9_-]{24}$/;

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
