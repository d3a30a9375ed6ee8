import { TEXT_RULE } from "@pairpad/api/input/text";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { restBodyLimit } from "./body-limits.ts";
import { inputKeys, takesNoInput } from "./input.ts";
import type { RestRoute } from "./routes.ts";

export const errorBody = z
  .object({
    code: z.string().meta({
      description:
        "Stable: BAD_REQUEST, PARSE_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, " +
        "UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR",
      example: "BAD_REQUEST",
    }),
    message: z.string().meta({ description: "For people", example: "Invalid input: title: Too small" }),
    fields: z
      .array(z.string())
      .optional()
      .meta({
        description: "The offending fields as dotted paths (`args.0`); `(body)` is the body as a whole",
        example: ["title"],
      }),
    issues: z
      .array(
        z.object({
          path: z.string().meta({ example: "title" }),
          message: z.string(),
          code: z.string().meta({ description: "The validation rule that failed", example: "too_small" }),
        }),
      )
      .optional()
      .meta({ description: "Validation failures, one per rule broken" }),
    requestId: z
      .string()
      .optional()
      .meta({ description: "As in `x-request-id`: quote it when reporting a problem" }),
  })
  .meta({ id: "Error", description: "Every error has this shape" });

const requestId = z.string().meta({
  description: "The request's id: the client's own `x-request-id` (up to 64 characters) or one made up",
  example: "0b6f3c1e-6a55-4b8e-9d65-2f1b8f0c4a11",
});
const retryAfter = z.string().meta({ description: "Seconds to wait before retrying", example: "30" });

const errorStatus: Record<number, string> = {
  400: "Invalid input: `fields` names what is wrong",
  401: "Credentials are missing: the interviewer token, a member's session or an API key, as the operation needs",
  403: "The credentials do not reach this: another session's token, another workspace, or a role without the right",
  404: "No such session (or it expired), or no such snapshot",
  409: "Conflicts with the session's state (e.g. a run in an ended session)",
  413: "The body is over the limit, or `code`/`stdin` is over its own",
  415: "The body is not JSON (`content-type: application/json`, UTF-8)",
  429: "Too many requests from this client (or session); retry after `Retry-After` seconds",
  431: "Request headers too large (answered by the HTTP server itself, without a body)",
  500: "An unexpected failure (logged with the request id)",
  503: "A backing service (database, bus, sandbox) is unavailable or busy; retry shortly",
};

function errorResponse(status: number) {
  const headers = z.object(
    status === 429 || status === 503
      ? { "x-request-id": requestId, "retry-after": retryAfter.optional() }
      : { "x-request-id": requestId },
  );
  if (status === 431) return { description: errorStatus[status] ?? "Error" };
  return {
    description: errorStatus[status] ?? "Error",
    headers,
    content: { "application/json": { schema: errorBody } },
  };
}

/** Unless an operation says otherwise, it needs the token: a forgotten `auth` never documents one as public. */
const authOf = (route: RestRoute) => route.operation.auth ?? "required";

function statuses(route: RestRoute): number[] {
  const { operation } = route;
  const hasBody = operation.method !== "GET" && operation.method !== "DELETE";
  const hasPathParams = route.segments.some((s) => "param" in s);
  const list = [
    ...(takesNoInput(route.input) ? [] : [400]),
    ...(["required", "workspace", "member", "workspaceOptional"].includes(authOf(route)) ? [401, 403] : []),
    ...(hasPathParams ? [404] : []),
    ...(operation.errors ?? []),
    ...(hasBody ? [413, 415] : []),
    431,
    500,
    503,
  ];
  return [...new Set(list)].sort();
}

type Shape = Record<string, z.ZodType>;
type ObjectDef = { type: string; innerType?: unknown; shape?: Shape; catchall?: z.ZodType };
function objectDef(schema: z.ZodType | undefined): ObjectDef | undefined {
  let current = schema as unknown as { _zod: { def: ObjectDef } } | undefined;
  while (current && ["optional", "default", "prefault"].includes(current._zod.def.type)) {
    current = current._zod.def.innerType as typeof current;
  }
  return current?._zod.def;
}
const catchallOf = (schema: z.ZodType | undefined) => objectDef(schema)?.catchall;
const shapeOf = (schema: z.ZodType | undefined): Shape => objectDef(schema)?.shape ?? {};

// A workspace caller: an organization API key (either header) or a member's session cookie.
const workspaceCallers: Array<Record<string, string[]>> = [
  { apiKey: [] },
  { apiKeyHeader: [] },
  { memberSession: [] },
];

function securityOf(auth: ReturnType<typeof authOf>): Array<Record<string, string[]>> {
  switch (auth) {
    case "required":
      return [{ interviewerToken: [] }, ...workspaceCallers];
    case "optional":
      return [{ interviewerToken: [] }, ...workspaceCallers, {}];
    case "workspace":
      return workspaceCallers;
    case "workspaceOptional":
      return [...workspaceCallers, {}];
    case "member":
      return [{ memberSession: [] }];
    default:
      return [];
  }
}

function operationObject(route: RestRoute, bodyLimit: number): ZodOpenApiOperationObject {
  const { operation } = route;
  const shape = shapeOf(route.input);
  const pathNames = route.segments.flatMap((s) => ("param" in s ? [s.param] : []));
  const pick = (keep: (key: string) => boolean) =>
    Object.fromEntries(Object.entries(shape).filter(([key]) => keep(key)));
  const hasBody = operation.method !== "GET" && operation.method !== "DELETE";
  const result: ZodOpenApiOperationObject = {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description ?? operation.summary,
    tags: operation.tags,
    security: securityOf(authOf(route)),
    requestParams: {
      path: z.object(pick((key) => pathNames.includes(key))),
      ...(hasBody ? {} : { query: z.object(pick((key) => !pathNames.includes(key))) }),
    },
    responses: {},
  };
  if (hasBody && !takesNoInput(route.input) && inputKeys(route.input).size > pathNames.length) {
    // The body is the input less its path parameters, as strict about unknown fields as the input.
    const catchall = catchallOf(route.input);
    const fields = z.object(pick((key) => !pathNames.includes(key)));
    const body = catchall ? fields.catchall(catchall) : fields;
    result.requestBody = {
      description: `A JSON object of at most ${bytes(bodyLimit)} (413 past it)`,
      required: !body.safeParse({}).success,
      content: { "application/json": { schema: body } },
    };
  }
  const success = String(operation.successStatus ?? 200) as "200";
  result.responses[success] = {
    description: operation.successStatus === 201 ? "Created" : "OK",
    headers: z.object({ "x-request-id": requestId }),
    content: { "application/json": { schema: outputOf(route) } },
  };
  // Each error status is one component (`#/components/responses/Error413`), referenced here.
  for (const status of statuses(route)) {
    result.responses[String(status) as "400"] = { $ref: `#/components/responses/Error${status}` };
  }
  return result;
}

/** 1048576 → "1 MiB", 1638400 → "1600 KiB", 1000 → "1000 bytes". */
function bytes(count: number): string {
  if (count % (1024 * 1024) === 0) return `${count / (1024 * 1024)} MiB`;
  if (count % 1024 === 0) return `${count / 1024} KiB`;
  return `${count} bytes`;
}

const outputOf = (route: RestRoute): z.ZodType => route.output ?? z.unknown();

/** The OpenAPI 3.1 document of the REST operations, generated from the procedures (never by hand). */
/**
 * `bodyLimit`: the most bytes a path's body may have on this server (MAX_BODY_BYTES, more for runs
 * and questions), stated on each request body; 413 past it. Default: the built-in 1 MiB.
 */
export function openApiDocument(
  routes: RestRoute[],
  bodyLimit: (path: string) => number = (path) => restBodyLimit(path, 1024 * 1024),
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = route.operation.path;
    paths[path] ??= {};
    const method = route.operation.method.toLowerCase() as "get";
    (paths[path] as Record<string, ZodOpenApiOperationObject>)[method] = operationObject(
      route,
      bodyLimit(path),
    );
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Pairpad API",
      version: "1.0.0",
      description: [
        "Collaborative coding interviews, over the same procedures as the web client's tRPC API.",
        "",
        "- **Auth**: interviewer operations take `Authorization: Bearer <interviewerToken>` (returned once by " +
          "`createSession`); 401 without it, 403 with another session's.",
        "- **Bodies** are JSON objects (`content-type: application/json`, UTF-8; anything else is 415). " +
          "Types are strict: no string, boolean or array stands in for a number. Unknown fields are refused (400).",
        "- **Query parameters** are read strictly (integers as plain decimals); unknown ones are ignored.",
        `- **Strings**: every string ${TEXT_RULE} (400 naming the field); PostgreSQL cannot store NUL, so ` +
          "code and stdin are refused rather than altered. Titles, labels and names are trimmed.",
        "- **Errors** are JSON `{ code, message, fields?, issues?, requestId }` (`Error`), with the usual statuses.",
        "- Every response carries `x-request-id`; 429 and 503 carry `Retry-After` where a wait is known.",
      ].join("\n"),
    },
    servers: [{ url: "/api", description: "This server" }],
    tags: [
      { name: "sessions", description: "Interview sessions and who is in them" },
      { name: "code", description: "The live code and its snapshots" },
      { name: "execution", description: "Running code in the sandbox" },
      { name: "history", description: "What happened in a session" },
      { name: "replay", description: "Replay and export" },
      { name: "workspace", description: "Accounts' workspace: interviews, members, invitations, API keys" },
    ],
    paths,
    components: {
      responses: Object.fromEntries(
        Object.keys(errorStatus).map((status) => [`Error${status}`, errorResponse(Number(status))]),
      ),
      securitySchemes: {
        interviewerToken: {
          type: "http",
          scheme: "bearer",
          description: "The session's interviewer token, from `createSession`",
        },
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "An organization API key (`ppk_…`, from `createApiKey`): acts for its workspace, an interviewer of its sessions",
        },
        apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key", description: "The same API key" },
        memberSession: {
          type: "apiKey",
          in: "cookie",
          name: "pairpad.session_token",
          description: "A signed-in member's session (sign in at `/api/auth/sign-in/email`)",
        },
      },
    },
  });
}
