import type { Db } from "@pairpad/db/client";
import { type MemberRole, memberRoles, members } from "@pairpad/db/schema";
import { TRPCError } from "@trpc/server";
import { asc, desc, eq, sql } from "drizzle-orm";
import { API_KEY_PREFIX, type Auth } from "./auth.ts";

/** Who sent a request, decided once per request. */
export type Caller =
  | { kind: "anonymous" }
  /** Signed in through the web (better-auth session cookie); `organizationId` is the open workspace. */
  | {
      kind: "member";
      userId: string;
      name: string;
      email: string;
      organizationId: string | null;
      role: MemberRole | null;
    }
  /** An organization's API key (REST automation): acts for the organization, as an interviewer. */
  | { kind: "apiKey"; keyId: string; organizationId: string };

/** The credentials of a request that identify a workspace caller. */
export interface CallerCredentials {
  /** The raw `Cookie` header (better-auth's session cookie lives there). */
  cookie?: string | null;
  /** An API key from `x-api-key` or `Authorization: Bearer ppk_…`. */
  apiKey?: string | null;
}

/** The API key of a request, if it carries one; other bearer tokens are interviewer tokens. */
export function apiKeyOf(headers: { authorization?: string | null; xApiKey?: string | null }): string | null {
  if (headers.xApiKey) return headers.xApiKey.trim();
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer?.startsWith(API_KEY_PREFIX) ? bearer : null;
}

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?pairpad\.session_token=/;

export async function identifyCaller(auth: Auth, db: Db, credentials: CallerCredentials): Promise<Caller> {
  if (credentials.apiKey) {
    // Verified against the database on every request, on whichever node: a revoked key is refused
    // at once everywhere (nothing is cached).
    const result = await auth.api.verifyApiKey({ body: { key: credentials.apiKey } });
    if (!result.valid || !result.key) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "The API key is not valid (unknown or revoked)" });
    }
    return { kind: "apiKey", keyId: result.key.id, organizationId: result.key.referenceId };
  }
  if (!credentials.cookie || !SESSION_COOKIE.test(credentials.cookie)) return { kind: "anonymous" };
  const found = await auth.api.getSession({ headers: new Headers({ cookie: credentials.cookie }) });
  if (!found) return { kind: "anonymous" };
  const { user, session } = found;
  // The workspace the session has open, else the one the user joined first (a new account's own).
  const active = (session as { activeOrganizationId?: string | null }).activeOrganizationId ?? "";
  const [membership] = await db
    .select({ organizationId: members.organizationId, role: members.role })
    .from(members)
    .where(eq(members.userId, user.id))
    .orderBy(desc(sql`${members.organizationId} = ${active}`), asc(members.createdAt))
    .limit(1);
  const role =
    membership && (memberRoles as readonly string[]).includes(membership.role)
      ? (membership.role as MemberRole)
      : null;
  const organizationId = role ? (membership?.organizationId ?? null) : null;
  return {
    kind: "member",
    userId: user.id,
    name: user.name,
    email: user.email,
    organizationId,
    role,
  };
}

/** The workspace a caller acts in, or null when it acts in none. */
export function workspaceOf(
  caller: Caller,
): { organizationId: string; userId: string | null; role: MemberRole } | null {
  if (caller.kind === "apiKey")
    return { organizationId: caller.organizationId, userId: null, role: "interviewer" };
  if (caller.kind === "member" && caller.organizationId && caller.role) {
    return { organizationId: caller.organizationId, userId: caller.userId, role: caller.role };
  }
  return null;
}
