import type { RestOperation } from "@pairpad/api/rest-meta";
import type { AnyRouter } from "@trpc/server";
import type { z } from "zod";

/** One REST operation: a procedure with `openapi` meta, and how its path reads. */
export interface RestRoute {
  procedure: string;
  type: "query" | "mutation";
  operation: RestOperation;
  /** The procedure's input schema; none for procedures without input. */
  input: z.ZodType | undefined;
  output: z.ZodType | undefined;
  segments: Array<{ param: string } | { literal: string }>;
}

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  meta?: { openapi?: RestOperation };
  inputs: z.ZodType[];
  output?: z.ZodType;
}

/** Every procedure that declares a REST operation, in router order. */
export function restRoutes(router: AnyRouter): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [procedure, value] of Object.entries(router._def.procedures)) {
    const def = (value as { _def: ProcedureDef })._def;
    const operation = def.meta?.openapi;
    if (!operation || def.type === "subscription") continue;
    const segments = operation.path
      .split("/")
      .slice(1)
      .map((part) => {
        const param = part.match(/^\{(\w+)\}$/)?.[1];
        return param ? { param } : { literal: part };
      });
    routes.push({ procedure, type: def.type, operation, input: def.inputs[0], output: def.output, segments });
  }
  return routes;
}

export type RouteMatch = { route: RestRoute; params: Record<string, string> } | { allowed: string[] } | null;

/**
 * The route for a method and path (below `/api`). Segments are split before they are decoded, so an
 * encoded slash stays inside its parameter (where the parameter's own rule refuses it); a segment that
 * does not decode is handed on as it is, to be refused the same way.
 */
export function matchRoute(routes: RestRoute[], method: string, path: string): RouteMatch {
  const parts = path.split("/").slice(1);
  const allowed: string[] = [];
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = Object.create(null);
    const matches = route.segments.every((segment, i) => {
      const part = parts[i] ?? "";
      if ("literal" in segment) return segment.literal === part;
      if (part === "") return false;
      params[segment.param] = decodeSegment(part);
      return true;
    });
    if (!matches) continue;
    if (route.operation.method === method) return { route, params: { ...params } };
    allowed.push(route.operation.method);
  }
  return allowed.length > 0 ? { allowed } : null;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
