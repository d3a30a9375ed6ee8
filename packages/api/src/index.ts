import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { type AppRouter, appRouter } from "./root.ts";
export {
  type ApiConfig,
  type ApiDeps,
  type Context,
  createCallerFactory,
  createContextInner,
  type RequestInfo,
} from "./trpc.ts";
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
