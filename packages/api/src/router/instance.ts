import { authUsers } from "@pairpad/db/schema";
import type { TRPCRouterRecord } from "@trpc/server";
import { count } from "drizzle-orm";
import { z } from "zod";
import { ssoEnabled } from "../auth/auth.ts";
import { publicProcedure } from "../trpc.ts";

/** What this server allows: for the sign-in and sign-up pages, before anyone signs in. */
export const instanceRouter = {
  info: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/instance",
        operationId: "getInstance",
        auth: "none",
        tags: ["workspace"],
        summary:
          "The instance policy: who may sign up, whether single sign-on, anonymous sessions and email verification are on, whether an account exists yet",
      },
    })
    .input(z.object({}).optional())
    .output(
      z.object({
        signup: z.enum(["open", "invite", "closed"]).meta({
          description:
            "`open`: anyone; `invite`: invited addresses only; `closed`: nobody after the first account",
        }),
        sso: z.boolean().meta({
          description:
            'Sign-in through the OpenID Connect provider `oidc` is offered: `POST /api/auth/sign-in/social` `{ "provider": "oidc", "callbackURL" }`',
        }),
        firstAccount: z
          .boolean()
          .meta({ description: "No account exists yet: the next sign-up owns the server's first workspace" }),
        anonymousSessions: z
          .boolean()
          .meta({ description: "Whether sessions may be created without an account or API key" }),
        emailVerification: z.boolean().meta({
          description:
            "A new email + password account signs in once it opens the link mailed to its address (`EMAIL_VERIFICATION=required`)",
        }),
      }),
    )
    .query(async ({ ctx }) => {
      const [accounts] = await ctx.db.select({ n: count() }).from(authUsers);
      return {
        signup: ctx.config.signup,
        // Configured, and its provider's discovery answered at start.
        sso: await ssoEnabled(ctx.auth),
        firstAccount: !accounts?.n,
        anonymousSessions: ctx.config.anonymousSessions,
        emailVerification: ctx.config.emailVerification,
      };
    }),
} satisfies TRPCRouterRecord;
