import { createHash } from "node:crypto";
import { apiKey } from "@better-auth/api-key";
import type { Db } from "@pairpad/db/client";
import {
  authModels,
  authSessions,
  authUsers,
  authVerifications,
  invitations,
  members,
  organizations,
} from "@pairpad/db/schema";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { organization } from "better-auth/plugins/organization";
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { AccountMailer, Logger } from "../ports.ts";
import { newId } from "../session/ids.ts";
import { workspaceNameProblem } from "../workspace/workspace-name.ts";
import { accessControl, roles } from "./access.ts";
import { accountNameProblem, fittedAccountName } from "./account-name.ts";

/** Workspaces one account may belong to (created or joined); one more is refused with 403. */
export const MAX_WORKSPACES_PER_ACCOUNT = 25;

export const AUTH_BASE_PATH = "/api/auth";
/** API keys start with this, so a bearer credential is told apart from an interviewer token. */
export const API_KEY_PREFIX = "ppk_";

export type SignupPolicy = "open" | "invite" | "closed";

/** The provider id of single sign-on: its callback is `/api/auth/callback/oidc`. */
export const SSO_PROVIDER_ID = "oidc";

/** An OpenID Connect provider for single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface AuthSettings {
  /** Signs session cookies; the same on every node. */
  secret: string;
  /** Public base URL when known (PUBLIC_URL); otherwise taken from each request. */
  baseURL?: string;
  /** Cookies get `Secure` when the public URL is HTTPS. */
  secureCookies: boolean;
  signup: SignupPolicy;
  /** Origins allowed to post to the auth endpoints besides the base URL (the Vite dev server). */
  trustedOrigins?: string[];
  /** Single sign-on; unset: email and password only. */
  oidc?: OidcSettings;
  /**
   * EMAIL_VERIFICATION=required: an email + password account signs in, and accepts invitations, once
   * its address is verified by a mailed link; unset: accounts are usable at once.
   */
  emailVerification?: { mailer: AccountMailer };
  clock: () => Date;
  logger: Logger;
}

const DAY_SECONDS = 86_400;
/** How long a verification link works; a new one can be asked for from the sign-in page. */
export const VERIFICATION_LINK_SECONDS = DAY_SECONDS;
/** The web client's page that a verification email links to (it verifies, then says how it went). */
export const VERIFY_EMAIL_PAGE = "/verify-email";

/** A verification token once used, by its hash (the token itself is a credential, never stored). */
const usedTokenIdentifier = (token: string) =>
  `email-verification-used:${createHash("sha256").update(token).digest("base64url")}`;

/** A better-auth instance over our database: email + password, workspaces, organization API keys. */
export function createAuth(db: Db, settings: AuthSettings) {
  async function pendingInvitation(email: string) {
    const [row] = await db
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          sql`lower(${invitations.email}) = ${email.toLowerCase()}`,
          eq(invitations.status, "pending"),
          gt(invitations.expiresAt, settings.clock()),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** Why this address may not get a new account under the SIGNUP policy, or null. */
  async function signupRefusal(email: string): Promise<APIError | null> {
    const [existing] = await db.select({ n: count() }).from(authUsers);
    if (!existing?.n || settings.signup === "open") return null;
    if (settings.signup === "invite" && (await pendingInvitation(email))) return null;
    // A code lets the SSO callback send the browser back to the sign-in page with it.
    return new APIError(
      "FORBIDDEN",
      settings.signup === "invite"
        ? {
            code: "SIGNUP_NEEDS_INVITATION",
            message: "Sign-up on this server needs an invitation for this email address",
          }
        : { code: "SIGNUP_CLOSED", message: "Sign-up is closed on this server" },
    );
  }

  async function tokenUsed(token: string): Promise<boolean> {
    const [row] = await db
      .select({ id: authVerifications.id })
      .from(authVerifications)
      .where(eq(authVerifications.identifier, usedTokenIdentifier(token)))
      .limit(1);
    return !!row;
  }

  async function markTokenUsed(token: string) {
    const now = settings.clock();
    await db.insert(authVerifications).values({
      id: newId(),
      identifier: usedTokenIdentifier(token),
      value: "used",
      // Past this the token is refused as expired anyway.
      expiresAt: new Date(now.getTime() + VERIFICATION_LINK_SECONDS * 1000),
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Where the web client lives: PUBLIC_URL, else the origin this request came to. */
  const webBase = (requestUrl: string | undefined) =>
    settings.baseURL ?? (requestUrl ? new URL(requestUrl).origin : "");

  const verification = settings.emailVerification;

  async function createWorkspace(userId: string, name: string) {
    const now = settings.clock();
    const id = newId();
    await db.insert(organizations).values({ id, name, slug: `ws-${id.toLowerCase()}`, createdAt: now });
    await db
      .insert(members)
      .values({ id: newId(), organizationId: id, userId, role: "owner", createdAt: now });
    // better-auth runs this hook after its transaction, when the sign-up's (or the SSO callback's)
    // session already exists: open the new workspace there, as a later sign-in would.
    await db
      .update(authSessions)
      .set({ activeOrganizationId: id })
      .where(and(eq(authSessions.userId, userId), isNull(authSessions.activeOrganizationId)));
  }

  return betterAuth({
    appName: "Pairpad",
    secret: settings.secret,
    baseURL: settings.baseURL,
    basePath: AUTH_BASE_PATH,
    trustedOrigins: settings.trustedOrigins,
    database: drizzleAdapter(db, { provider: "pg", schema: authModels }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // Also makes better-auth answer a sign-up for a taken address exactly like a new one (no
      // session either way), and call onExistingUserSignUp instead of saying "user already exists".
      requireEmailVerification: !!verification,
      onExistingUserSignUp: verification
        ? async ({ user }, request) => {
            await verification.mailer.sendAccountMail({
              kind: "existing-account",
              to: user.email,
              name: user.name,
              link: `${webBase(request?.url)}/signin`,
            });
          }
        : undefined,
    },
    emailVerification: verification
      ? {
          expiresIn: VERIFICATION_LINK_SECONDS,
          // The link verifies; signing in stays a password's job, so a forwarded link opens no session.
          autoSignInAfterVerification: false,
          sendVerificationEmail: async ({ user, token, url }, request) => {
            // Where to go once signed in (the client's callbackURL, e.g. an invitation), if a path here.
            const next = new URL(url).searchParams.get("callbackURL") ?? "/";
            const local = next.startsWith("/") && !next.startsWith("//") && next !== "/";
            await verification.mailer.sendAccountMail({
              kind: "verification",
              to: user.email,
              name: user.name,
              // The web page, not the API: it verifies by a script, so a mail scanner fetching the
              // link does not spend the single-use token.
              link: `${webBase(request?.url)}${VERIFY_EMAIL_PAGE}?token=${encodeURIComponent(token)}${local ? `&next=${encodeURIComponent(next)}` : ""}`,
              expiresAt: new Date(settings.clock().getTime() + VERIFICATION_LINK_SECONDS * 1000),
            });
          },
          // better-auth's token is a signed, expiring JWT: remembered once used, so it works once.
          afterEmailVerification: async (_user, request) => {
            const token = request ? new URL(request.url).searchParams.get("token") : null;
            if (token) await markTokenUsed(token);
          },
        }
      : undefined,
    hooks: verification
      ? {
          before: createAuthMiddleware(async (ctx) => {
            // The policy before better-auth's sign-up: with verification on, it answers its own
            // refusals (403 from our hook) like a taken address, so the policy would go unsaid.
            if (ctx.path === "/sign-up/email") {
              // Checked here too: a taken address never reaches our create hook, and a name refused
              // only for new addresses would tell which ones are taken.
              checkedName(ctx.body?.name);
              const refusal = await signupRefusal(String(ctx.body?.email ?? ""));
              if (refusal) throw refusal;
            }
            if (ctx.path === "/verify-email" && (await tokenUsed(String(ctx.query?.token ?? "")))) {
              throw new APIError("UNAUTHORIZED", {
                code: "TOKEN_USED",
                message: "This link was already used",
              });
            }
          }),
        }
      : undefined,
    session: { expiresIn: 30 * DAY_SECONDS, updateAge: DAY_SECONDS },
    // Sign-in attempts are limited per client in front of the handler, shared between nodes.
    rateLimit: { enabled: false },
    onAPIError: {
      // A refused single sign-on comes back to the web client's sign-in page, `?error=CODE`.
      errorURL: "/signin",
      // Refusals are answered as they are. A failure (a database error) is logged once through our
      // logger, which drops a query's parameters, and thrown on: unhandled, better-auth's router would
      // print the error with its parameters (names, emails) straight to the console.
      onError: (error) => {
        if (isAPIError(error) && error.statusCode < 500) return;
        settings.logger.error("auth: request failed", { error });
        throw new APIError("INTERNAL_SERVER_ERROR", {
          code: "INTERNAL_SERVER_ERROR",
          message: "Internal server error",
        });
      },
    },
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      // Through our logger (JSON lines); "Invalid password" and the like are ordinary, not warnings.
      log: (level, message) => {
        if (level === "error") settings.logger.error(`auth: ${message}`);
        else if (level === "warn" && !/password|user not found/i.test(message))
          settings.logger.warn(`auth: ${message}`);
      },
    },
    advanced: {
      useSecureCookies: settings.secureCookies,
      cookiePrefix: "pairpad",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: () => newId() },
    },
    databaseHooks: {
      user: {
        create: {
          // The first account is always allowed (it becomes the owner); after that, the policy.
          before: async (user) => {
            const named = { data: { ...user, name: checkedName(user.name) } };
            const refusal = await signupRefusal(user.email);
            if (refusal) throw refusal;
            return named;
          },
          // Everyone starts in a workspace: the first account owns the instance's first one; with
          // open sign-up a newcomer without an invitation gets a workspace of their own.
          after: async (user) => {
            const [any] = await db.select({ n: count() }).from(organizations);
            if (!any?.n) return createWorkspace(user.id, "Workspace");
            if (settings.signup === "open" && !(await pendingInvitation(user.email))) {
              return createWorkspace(user.id, `${user.name}'s workspace`);
            }
          },
        },
        // better-auth's update-user takes any string as a name: the same rule as at sign-up.
        update: {
          before: async (user) =>
            user.name === undefined ? undefined : { data: { ...user, name: checkedName(user.name) } },
        },
      },
      session: {
        create: {
          // A new sign-in opens the workspace the user joined first.
          before: async (session) => {
            const [first] = await db
              .select({ organizationId: members.organizationId })
              .from(members)
              .where(eq(members.userId, session.userId))
              .orderBy(asc(members.createdAt))
              .limit(1);
            return { data: { ...session, activeOrganizationId: first?.organizationId ?? null } };
          },
        },
      },
    },
    plugins: [
      ...(settings.oidc ? [singleSignOn(settings.oidc)] : []),
      organization({
        ac: accessControl,
        roles,
        creatorRole: "owner",
        // Browsers create workspaces through our procedure (which validates the name), never
        // through better-auth's endpoint; the procedure asks as the server, for the signed-in user.
        allowUserToCreateOrganization: false,
        // Each workspace is rows and a bank of its own: one account may not make them without end.
        organizationLimit: MAX_WORKSPACES_PER_ACCOUNT,
        invitationExpiresIn: 7 * DAY_SECONDS,
        cancelPendingInvitationsOnReInvite: true,
        // The invitation's id (96 random bits) is the link's capability, emailed or copied, and it is
        // accepted only by an account with the invited address; with verification on, a verified one
        // (an SSO account whose provider did not vouch for its address included).
        requireEmailVerificationOnInvitation: !!verification,
        // Our procedures validate names; better-auth's own endpoint (open to owners and admins) would
        // not, and PostgreSQL refuses NUL with a 500: the same rule, here too.
        organizationHooks: {
          beforeUpdateOrganization: async ({ organization }) => {
            if (organization.name === undefined) return;
            const problem = workspaceNameProblem(organization.name);
            if (problem) throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: problem });
            return { data: { ...organization, name: organization.name.trim() } };
          },
        },
      }),
      apiKey({
        references: "organization",
        defaultPrefix: API_KEY_PREFIX,
        defaultKeyLength: 48,
        // Our own limits apply to what a key does; the plugin's default (10 a day) would not fit.
        rateLimit: { enabled: false },
        keyExpiration: { defaultExpiresIn: null },
        // The key is read by our middleware (Bearer or x-api-key), not by better-auth's endpoints.
        customAPIKeyGetter: () => null,
      }),
    ],
  });
}

/** A name typed into better-auth's endpoints, trimmed; one that will not do is refused, naming it. */
function checkedName(name: unknown): string {
  const problem = accountNameProblem(name);
  if (problem) throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: problem });
  return String(name).trim();
}

/**
 * Any OpenID Connect provider, by discovery. A new account made here goes through the same hooks as
 * a sign-up (the SIGNUP policy; the first account owns the workspace).
 */
function singleSignOn(oidc: OidcSettings) {
  const issuer = oidc.issuer.replace(/\/$/, "");
  return genericOAuth({
    config: [
      {
        providerId: SSO_PROVIDER_ID,
        name: "Single sign-on",
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        // Identity comes from the ID token's claims: never accept one that was not verified.
        requireIdTokenVerification: true,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        scopes: ["openid", "email", "profile"],
        // Fitted to the account name rule (trimmed, at most 80 characters), never refused.
        mapProfileToUser: (profile) => ({
          name:
            fittedAccountName(typeof profile.name === "string" ? profile.name : "") ||
            fittedAccountName(
              typeof profile.preferred_username === "string" ? profile.preferred_username : "",
            ) ||
            fittedAccountName(String(profile.email ?? "").split("@")[0] ?? "") ||
            "Interviewer",
        }),
      },
    ],
  });
}

/** Whether single sign-on is usable: configured, and its provider's discovery answered at start. */
export async function ssoEnabled(auth: Auth): Promise<boolean> {
  const context = await auth.$context;
  return context.socialProviders.some((provider) => provider.id === SSO_PROVIDER_ID);
}

export type Auth = ReturnType<typeof createAuth>;
