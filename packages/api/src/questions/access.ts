import { sessions } from "@pairpad/db/schema";
import { TRPCError } from "@trpc/server";
import { and, eq, gt } from "drizzle-orm";
import { hashToken } from "../session/ids.ts";
import type { Context } from "../trpc.ts";
import type { BankScope } from "./bank.ts";

/**
 * Who may use the question bank, and which bank: until workspaces exist, the holder of any live
 * session's interviewer token works in the instance-wide bank. Candidates and observers hold no token.
 */
export async function requireBankScope(ctx: Pick<Context, "bearer" | "db" | "clock">): Promise<BankScope> {
  if (ctx.bearer === null) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "The question bank needs an interviewer token: Authorization: Bearer <interviewerToken>",
    });
  }
  const [row] = await ctx.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.interviewerTokenHash, hashToken(ctx.bearer)), gt(sessions.expiresAt, ctx.clock())))
    .limit(1);
  if (!row) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "The token is not a live session's interviewer token",
    });
  }
  return { organizationId: null };
}
