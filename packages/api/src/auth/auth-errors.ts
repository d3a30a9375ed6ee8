import { TRPCError } from "@trpc/server";
import { isAPIError } from "better-auth/api";

const codes: Record<number, TRPCError["code"]> = {
  400: "BAD_REQUEST",
  // Our middleware has established who the caller is; better-auth says 401 for "not allowed to".
  401: "FORBIDDEN",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  429: "TOO_MANY_REQUESTS",
};

/** Runs a better-auth call, turning its refusals (APIError) into the same refusals in tRPC terms. */
export async function viaAuth<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAPIError(error)) {
      const code = codes[error.statusCode] ?? "INTERNAL_SERVER_ERROR";
      throw new TRPCError({ code, message: error.message || error.body?.message || String(error.status) });
    }
    throw error;
  }
}
