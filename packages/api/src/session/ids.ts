import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 128 random bits, URL-safe: unguessable session ids. */
export const newSessionId = (): string => randomBytes(16).toString("base64url");
export const newInterviewerToken = (): string => randomBytes(32).toString("base64url");
export const newId = (): string => randomBytes(12).toString("base64url");

export const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
