import { apiKeys, authUsers, invitations, members, organizations, sessions } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { viaAuth } from "../auth/auth-errors.ts";
import { text } from "../input/text.ts";
import { sessionId } from "../session/sessions.ts";
import {
  adminProcedure,
  type Context,
  memberProcedure,
  publicProcedure,
  signedInProcedure,
  workspaceProcedure,
} from "../trpc.ts";
import { interviewStatus, interviewSummary, listInterviews } from "../workspace/interviews.ts";

const role = z.enum(["owner", "admin", "interviewer"]);
const invitableRole = z.enum(["admin", "interviewer"]);

const memberOutput = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  joinedAt: z.iso.datetime(),
});

const invitationOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  status: z.string(),
  expiresAt: z.iso.datetime(),
  link: z
    .url()
    .meta({ description: "Give this link to the invitee: signing up or in there joins the workspace" }),
});

export const workspaceRouter = {
  /** Who the caller is: for the web client's first paint. */
  me: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/me",
        operationId: "getCaller",
        auth: "none",
        tags: ["workspace"],
        summary: "Who the request comes from: a signed-in member and their workspace, an API key, or nobody",
      },
    })
    .input(z.object({}).optional())
    .output(
      z.object({
        kind: z.enum(["anonymous", "member", "apiKey"]),
        user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
        organization: z.object({ id: z.string(), name: z.string() }).nullable(),
        role: role.nullable(),
      }),
    )
    .query(async ({ ctx }) => {
      const caller = await ctx.caller();
      const organizationId = caller.kind === "anonymous" ? null : caller.organizationId;
      const [organization] = organizationId
        ? await ctx.db
            .select({ id: organizations.id, name: organizations.name })
            .from(organizations)
            .where(eq(organizations.id, organizationId))
        : [];
      return {
        kind: caller.kind,
        user: caller.kind === "member" ? { id: caller.userId, name: caller.name, email: caller.email } : null,
        organization: organization ?? null,
        role: caller.kind === "member" ? caller.role : caller.kind === "apiKey" ? "interviewer" : null,
      };
    }),

  /** An invitation as its link shows it, before the invitee signs in: the link's id is the capability. */
  invitation: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/invitations/{invitationId}",
        operationId: "getInvitation",
        auth: "none",
        tags: ["workspace"],
        summary: "The workspace, role and address of an invitation, for its link's page",
      },
    })
    .input(
      z.object({
        invitationId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "not an invitation id")
          .meta({ description: "The invitation id (the end of its link)" }),
      }),
    )
    .output(
      z.object({
        id: z.string(),
        organization: z.object({ name: z.string() }),
        email: z.string(),
        role: z.string(),
        status: z.enum(["pending", "accepted", "rejected", "canceled", "expired"]),
        expiresAt: z.iso.datetime(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .select({
          id: invitations.id,
          email: invitations.email,
          role: invitations.role,
          status: invitations.status,
          expiresAt: invitations.expiresAt,
          organization: organizations.name,
        })
        .from(invitations)
        .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
        .where(eq(invitations.id, input.invitationId));
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such invitation" });
      const expired = row.status === "pending" && new Date(row.expiresAt) <= ctx.clock();
      const status = z
        .enum(["pending", "accepted", "rejected", "canceled"])
        .catch("canceled")
        .parse(row.status);
      return {
        id: row.id,
        organization: { name: row.organization },
        email: row.email,
        role: row.role ?? "interviewer",
        status: expired ? ("expired" as const) : status,
        expiresAt: new Date(row.expiresAt).toISOString(),
      };
    }),

  members: memberProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/members",
        operationId: "listMembers",
        auth: "member",
        tags: ["workspace"],
        summary: "The workspace's members and their roles",
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ members: z.array(memberOutput) }))
    .query(async ({ ctx }) => {
      const rows = await ctx.db
        .select({
          id: members.id,
          userId: members.userId,
          role: members.role,
          createdAt: members.createdAt,
          name: authUsers.name,
          email: authUsers.email,
        })
        .from(members)
        .innerJoin(authUsers, eq(authUsers.id, members.userId))
        .where(eq(members.organizationId, ctx.member.organizationId))
        .orderBy(members.createdAt);
      return {
        members: rows.map((r) => ({
          id: r.id,
          userId: r.userId,
          name: r.name,
          email: r.email,
          role: role.catch("interviewer").parse(r.role),
          joinedAt: r.createdAt.toISOString(),
        })),
      };
    }),

  removeMember: memberProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/workspace/members/{memberId}",
        operationId: "deleteMember",
        auth: "member",
        tags: ["workspace"],
        summary: "Remove a member (owners and admins)",
      },
    })
    .input(
      z.object({
        memberId: text().min(1).max(64).meta({ description: "The membership id (from listMembers)" }),
      }),
    )
    .output(z.object({ removed: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await requireMemberOf(ctx, input.memberId);
      // better-auth checks the role (member:delete) and that the last owner stays.
      await viaAuth(() =>
        ctx.auth.api.removeMember({
          headers: ctx.authHeaders,
          body: { memberIdOrEmail: input.memberId, organizationId: ctx.member.organizationId },
        }),
      );
      return { removed: true as const };
    }),

  setRole: memberProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/workspace/members/{memberId}",
        operationId: "setMemberRole",
        auth: "member",
        tags: ["workspace"],
        summary: "Change a member's role (owners and admins)",
      },
    })
    .input(
      z.object({
        memberId: text().min(1).max(64).meta({ description: "The membership id (from listMembers)" }),
        role,
      }),
    )
    .output(z.object({ updated: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await requireMemberOf(ctx, input.memberId);
      await viaAuth(() =>
        ctx.auth.api.updateMemberRole({
          headers: ctx.authHeaders,
          body: { memberId: input.memberId, role: input.role, organizationId: ctx.member.organizationId },
        }),
      );
      return { updated: true as const };
    }),

  invite: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/invitations",
        operationId: "createInvitation",
        auth: "member",
        tags: ["workspace"],
        successStatus: 201,
        summary: "Invite someone by email; the answer holds the link to give them (owners and admins)",
      },
    })
    .input(z.object({ email: z.email().max(254), role: invitableRole.default("interviewer") }))
    .output(
      invitationOutput.extend({
        mail: z.enum(["sent", "failed", "off"]).meta({
          description:
            "The email to the invitee: taken by the mail server, not sent (hand the link over), or no mail server configured",
        }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const invitation = await viaAuth(() =>
        ctx.auth.api.createInvitation({
          headers: ctx.authHeaders,
          body: { email: input.email, role: input.role, organizationId: ctx.member.organizationId },
        }),
      );
      const answer = toInvitation(invitation, ctx.config.publicUrl);
      return { ...answer, mail: await mailInvitation(ctx, answer) };
    }),

  invitations: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/invitations",
        operationId: "listInvitations",
        auth: "member",
        tags: ["workspace"],
        summary: "Pending invitations, with their links (owners and admins)",
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ invitations: z.array(invitationOutput) }))
    .query(async ({ ctx }) => {
      const rows = await ctx.db
        .select()
        .from(invitations)
        .where(
          and(eq(invitations.organizationId, ctx.member.organizationId), eq(invitations.status, "pending")),
        )
        .orderBy(desc(invitations.createdAt));
      return { invitations: rows.map((r) => toInvitation(r, ctx.config.publicUrl)) };
    }),

  cancelInvitation: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/workspace/invitations/{invitationId}",
        operationId: "deleteInvitation",
        auth: "member",
        tags: ["workspace"],
        summary: "Cancel a pending invitation (owners and admins)",
      },
    })
    .input(
      z.object({
        invitationId: text().min(1).max(64).meta({ description: "The invitation id (the end of its link)" }),
      }),
    )
    .output(z.object({ cancelled: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const [own] = await ctx.db
        .select({ id: invitations.id })
        .from(invitations)
        .where(
          and(
            eq(invitations.id, input.invitationId),
            eq(invitations.organizationId, ctx.member.organizationId),
          ),
        );
      if (!own)
        throw new TRPCError({ code: "NOT_FOUND", message: `No invitation ${input.invitationId} here` });
      await viaAuth(() =>
        ctx.auth.api.cancelInvitation({
          headers: ctx.authHeaders,
          body: { invitationId: input.invitationId },
        }),
      );
      return { cancelled: true as const };
    }),

  acceptInvitation: signedInProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/invitations/{invitationId}/accept",
        operationId: "createMembership",
        auth: "member",
        tags: ["workspace"],
        summary: "Join the workspace of an invitation addressed to the signed-in account",
      },
    })
    .input(
      z.object({
        invitationId: text().min(1).max(64).meta({ description: "The invitation id (the end of its link)" }),
      }),
    )
    .output(z.object({ organizationId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const accepted = await viaAuth(() =>
        ctx.auth.api.acceptInvitation({
          headers: ctx.authHeaders,
          body: { invitationId: input.invitationId },
        }),
      );
      if (!accepted) throw new TRPCError({ code: "NOT_FOUND", message: "Invitation not found" });
      return { organizationId: accepted.invitation.organizationId };
    }),
} satisfies TRPCRouterRecord;

/**
 * A membership of the caller's workspace, else 404: better-auth looks a member id up across every
 * workspace and would answer about another's (e.g. "the only owner") before noticing.
 */
async function requireMemberOf(ctx: Context & { member: { organizationId: string } }, memberId: string) {
  const [row] = await ctx.db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.organizationId, ctx.member.organizationId)));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No member ${memberId} in this workspace` });
}

/** Emails the invitee when a mail server is configured; a failure is the mailer's to log, never the invitation's. */
async function mailInvitation(
  ctx: Context & { member: { organizationId: string } },
  invitation: ReturnType<typeof toInvitation>,
): Promise<"sent" | "failed" | "off"> {
  const mailer = ctx.invitationMailer;
  if (!mailer) return "off";
  const caller = await ctx.caller();
  const [workspace] = await ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, ctx.member.organizationId));
  const sent = await mailer
    .send({
      to: invitation.email,
      link: invitation.link,
      workspace: workspace ?? { id: ctx.member.organizationId, name: "Pairpad" },
      invitedBy: caller.kind === "member" ? caller.name : "A colleague",
      role: invitation.role,
      expiresAt: new Date(invitation.expiresAt),
    })
    // The port never rejects; if one did, what it threw may hold the link: its kind only.
    .catch((error: unknown) => {
      ctx.logger.error("invitation mailer threw", {
        workspaceId: ctx.member.organizationId,
        error: error instanceof Error ? error.name : typeof error,
      });
      return false;
    });
  return sent ? "sent" : "failed";
}

function toInvitation(
  row: { id: string; email: string; role: string | null; status: string; expiresAt: Date },
  publicUrl: string,
) {
  return {
    id: row.id,
    email: row.email,
    role: row.role ?? "interviewer",
    status: row.status,
    expiresAt: new Date(row.expiresAt).toISOString(),
    link: `${publicUrl.replace(/\/$/, "")}/invite/${row.id}`,
  };
}

const apiKeyOutput = z.object({
  id: z.string(),
  name: z.string().nullable(),
  start: z.string().nullable().meta({ description: "The key's first characters, to recognise it" }),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

/** Organization API keys for REST automation: shown once, stored hashed, revoked at once. */
export const apiKeyRouter = {
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/api-keys",
        operationId: "listApiKeys",
        auth: "member",
        tags: ["workspace"],
        summary: "The workspace's API keys (never the keys themselves)",
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ keys: z.array(apiKeyOutput) }))
    .query(async ({ ctx }) => {
      const rows = await ctx.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.referenceId, ctx.member.organizationId))
        .orderBy(desc(apiKeys.createdAt));
      return {
        keys: rows.map((r) => ({
          id: r.id,
          name: r.name,
          start: r.start,
          createdAt: r.createdAt.toISOString(),
          lastUsedAt: r.lastRequest?.toISOString() ?? null,
        })),
      };
    }),

  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/api-keys",
        operationId: "createApiKey",
        auth: "member",
        tags: ["workspace"],
        successStatus: 201,
        summary: "Create an API key; the key is in this answer only",
      },
    })
    .input(z.object({ name: text().trim().min(1).max(32) }))
    .output(apiKeyOutput.extend({ key: z.string().meta({ description: "Shown once; stored hashed" }) }))
    .mutation(async ({ ctx, input }) => {
      const created = await viaAuth(() =>
        ctx.auth.api.createApiKey({
          body: { name: input.name, organizationId: ctx.member.organizationId, userId: ctx.member.userId },
        }),
      );
      return {
        id: created.id,
        name: created.name,
        start: created.start,
        createdAt: new Date(created.createdAt).toISOString(),
        lastUsedAt: null,
        key: created.key,
      };
    }),

  revoke: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/workspace/api-keys/{keyId}",
        operationId: "deleteApiKey",
        auth: "member",
        tags: ["workspace"],
        summary: "Revoke an API key: refused from the next request on, on every node",
      },
    })
    .input(
      z.object({ keyId: text().min(1).max(64).meta({ description: "The key's id (from listApiKeys)" }) }),
    )
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const removed = await ctx.db
        .delete(apiKeys)
        .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.referenceId, ctx.member.organizationId)))
        .returning({ id: apiKeys.id });
      if (removed.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key" });
      return { revoked: true as const };
    }),
} satisfies TRPCRouterRecord;

/** The workspace's interviews: the dashboard, and records kept past their links. */
export const interviewsRouter = {
  list: workspaceProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/interviews",
        operationId: "listInterviews",
        auth: "workspace",
        tags: ["workspace"],
        summary: "The workspace's interviews, newest first, filtered and searched; keyset pages",
      },
    })
    .input(
      z.object({
        status: interviewStatus.optional().meta({ description: "Only interviews in this state" }),
        interviewer: text().min(1).max(64).optional().meta({ description: "A member's user id" }),
        search: text()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .meta({ description: "In titles and candidate names" }),
        cursor: text().max(200).optional().meta({ description: "`nextCursor` of the previous page" }),
        limit: z.number().int().min(1).max(100).default(25).meta({ description: "Interviews per page" }),
      }),
    )
    .output(z.object({ items: z.array(interviewSummary), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listInterviews(ctx.db, {
        ...input,
        organizationId: ctx.workspace.organizationId,
        now: ctx.clock(),
        retentionDays: ctx.config.retentionDays,
        publicUrl: ctx.config.publicUrl,
      }),
    ),

  delete: workspaceProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/interviews/{id}",
        operationId: "deleteInterview",
        auth: "workspace",
        tags: ["workspace"],
        summary: "Delete an interview's record at once, live or kept past its links: every row of it",
      },
    })
    .input(z.object({ id: sessionId.meta({ description: "The interview's session id" }) }))
    .output(z.object({ deleted: z.literal(true), id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const removed = await ctx.db
        .delete(sessions)
        .where(and(eq(sessions.id, input.id), eq(sessions.organizationId, ctx.workspace.organizationId)))
        .returning({ id: sessions.id });
      if (removed.length === 0)
        throw new TRPCError({ code: "NOT_FOUND", message: `Interview ${input.id} not found` });
      await ctx.events.publish(input.id, { type: "session-ended", reason: "deleted" });
      await ctx.rooms.closeSession(input.id, "deleted");
      return { deleted: true as const, id: input.id };
    }),
} satisfies TRPCRouterRecord;
