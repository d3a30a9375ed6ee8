import { sessions } from "@pairpad/db/schema";
import { TRPCError } from "@trpc/server";
import { and, eq, gt } from "drizzle-orm";
import { workspaceOf } from "../auth/caller.ts";
import { hashToken } from "../session/ids.ts";
import type { Context } from "../trpc.ts";
import type { BankScope } from "./bank.ts";

/**
 * Who may use the question bank, and which bank: a workspace member (web session or API key) works in
 * the workspace's bank; the holder of a live session's interviewer token in the bank of that session's
 * workspace, or the instance-wide bank for a session without one. Candidates and observers hold neither.
 */
export async function requireBankScope(
  ctx: Pick<Context, "bearer" | "db" | "clock" | "caller">,
): Promise<BankScope> {
  const workspace = workspaceOf(await ctx.caller());
  if (workspace) return { organizationId: workspace.organizationId };
  if (ctx.bearer === null) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message:
        "The question bank needs a workspace member (sign in or an API key) or an interviewer token: " +
        "Authorization: Bearer <interviewerToken>",
    });
  }
  const [row] = await ctx.db
    .select({ organizationId: sessions.organizationId })
    .from(sessions)
    .where(and(eq(sessions.interviewerTokenHash, hashToken(ctx.bearer)), gt(sessions.expiresAt, ctx.clock())))
    .limit(1);
  if (!row) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Neither a workspace member nor a live session's interviewer token",
    });
  }
  return { organizationId: row.organizationId };
}
