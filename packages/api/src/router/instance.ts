import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ssoEnabled } from "../auth/auth.ts";
import { publicProcedure } from "../trpc.ts";

/** What this server allows, for the sign-in page before anyone is signed in. */
export const instanceRouter = {
  info: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/instance",
        operationId: "getInstance",
        auth: "none",
        tags: ["workspace"],
        summary: "The instance policy: who may sign up, whether single sign-on and anonymous sessions are on",
      },
    })
    .input(z.object({}).optional())
    .output(
      z.object({
        signup: z.enum(["open", "invite", "closed"]).meta({
          description:
            "`open`: anyone; `invite`: only invited addresses; `closed`: nobody (after the first account)",
        }),
        sso: z.boolean().meta({
          description:
            'Single sign-on through OpenID Connect: start it with `POST /api/auth/sign-in/social` `{ provider: "oidc", callbackURL }`',
        }),
        anonymousSessions: z
          .boolean()
          .meta({ description: "Whether sessions may be created without an account or API key" }),
      }),
    )
    .query(async ({ ctx }) => ({
      signup: ctx.config.signup,
      sso: await ssoEnabled(ctx.auth),
      anonymousSessions: ctx.config.anonymousSessions,
    })),
} satisfies TRPCRouterRecord;
