import { members } from "@pairpad/db/schema";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { viaAuth } from "../auth/auth-errors.ts";
import { text } from "../input/text.ts";
import { newId } from "../session/ids.ts";
import { adminProcedure, signedInProcedure } from "../trpc.ts";
import { workspaceName } from "../workspace/workspace-name.ts";

const role = z.enum(["owner", "admin", "interviewer"]);

const workspaceOutput = z.object({
  id: z.string(),
  name: z.string(),
  role: role.meta({ description: "The caller's role there" }),
  active: z.boolean().meta({ description: "Whether it is the workspace the caller has open" }),
});

const organizationId = text()
  .min(1)
  .max(64)
  .meta({ description: "The workspace's id (from listWorkspaces)" });

/**
 * The workspaces of the signed-in account: list, create, rename the open one, switch. Each is a call
 * of better-auth's organization plugin, which checks membership and roles itself.
 */
export const workspacesRouter = {
  list: signedInProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspaces",
        operationId: "listWorkspaces",
        auth: "member",
        tags: ["workspace"],
        summary: "The workspaces the signed-in account belongs to, with its role in each and the open one",
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ workspaces: z.array(workspaceOutput) }))
    .query(async ({ ctx }) => {
      const organizations = await viaAuth(() => ctx.auth.api.listOrganizations({ headers: ctx.authHeaders }));
      const roles = new Map(
        (
          await ctx.db
            .select({ organizationId: members.organizationId, role: members.role })
            .from(members)
            .where(eq(members.userId, ctx.user.userId))
        ).map((m) => [m.organizationId, role.catch("interviewer").parse(m.role)]),
      );
      return {
        workspaces: organizations
          .filter((o) => roles.has(o.id))
          .map((o) => ({
            id: o.id,
            name: o.name,
            role: roles.get(o.id) ?? ("interviewer" as const),
            active: o.id === ctx.user.organizationId,
          })),
      };
    }),

  create: signedInProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspaces",
        operationId: "createWorkspace",
        auth: "member",
        tags: ["workspace"],
        successStatus: 201,
        summary: "Create a workspace owned by the signed-in account",
        description:
          "The open workspace stays as it was (scripts are not moved by it); open the new one with setActiveWorkspace.",
      },
    })
    .input(z.object({ name: workspaceName() }))
    .output(workspaceOutput)
    .mutation(async ({ ctx, input }) => {
      // Made as the server (by user id): better-auth's own create endpoint stays closed to browsers,
      // so every workspace name passes through the validation above.
      const created = await viaAuth(() =>
        ctx.auth.api.createOrganization({
          body: { name: input.name, slug: `ws-${newId().toLowerCase()}`, userId: ctx.user.userId },
        }),
      );
      if (!created) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Workspace not created" });
      return {
        id: created.id,
        name: created.name,
        role: "owner" as const,
        active: created.id === ctx.user.organizationId,
      };
    }),

  rename: adminProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/workspace",
        operationId: "updateWorkspace",
        auth: "member",
        tags: ["workspace"],
        summary: "Rename the open workspace (owners and admins)",
      },
    })
    .input(z.object({ name: workspaceName() }))
    .output(workspaceOutput)
    .mutation(async ({ ctx, input }) => {
      const updated = await viaAuth(() =>
        ctx.auth.api.updateOrganization({
          headers: ctx.authHeaders,
          body: { organizationId: ctx.member.organizationId, data: { name: input.name } },
        }),
      );
      if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: "No such workspace" });
      return { id: updated.id, name: updated.name, role: ctx.member.role, active: true };
    }),

  switch: signedInProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspaces/{organizationId}/switch",
        operationId: "setActiveWorkspace",
        auth: "member",
        tags: ["workspace"],
        summary: "Open another of the account's workspaces: the session's later calls act in it",
      },
    })
    .input(z.object({ organizationId }))
    .output(workspaceOutput)
    .mutation(async ({ ctx, input }) => {
      // Checked before better-auth's call, which on a refusal also closes the workspace the session
      // had open: a refused switch changes nothing.
      const [membership] = await ctx.db
        .select({ role: members.role })
        .from(members)
        .where(and(eq(members.organizationId, input.organizationId), eq(members.userId, ctx.user.userId)));
      if (!membership) {
        throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of that workspace" });
      }
      const opened = await viaAuth(() =>
        ctx.auth.api.setActiveOrganization({
          headers: ctx.authHeaders,
          body: { organizationId: input.organizationId },
        }),
      );
      if (!opened) throw new TRPCError({ code: "NOT_FOUND", message: "No such workspace" });
      return {
        id: opened.id,
        name: opened.name,
        role: role.catch("interviewer").parse(membership.role),
        active: true,
      };
    }),
} satisfies TRPCRouterRecord;
