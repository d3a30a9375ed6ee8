/**
 * How a procedure is offered over REST and described in the OpenAPI document (`apps/server/src/rest`
 * serves and documents it; the procedure stays the one source of truth for input and output).
 */
export interface RestOperation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path under `/api`, parameters as `{name}` (each one a key of the input). */
  path: `/${string}`;
  /** camelCase verb first, e.g. `createSession`: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  /**
   * The interviewer token (`Authorization: Bearer`): `required` where the operation refuses without
   * it (401/403), `optional` where it only changes the answer, `none` where it is ignored;
   * `workspace`: a member's session cookie or an organization API key; `member`: the cookie only;
   * `workspaceOptional`: anyone, or a workspace caller whose work belongs to the workspace (the
   * instance policy may require one: 401/403).
   */
  auth?: "required" | "optional" | "none" | "workspace" | "member" | "workspaceOptional";
  /** 200 unless it creates something. */
  successStatus?: 200 | 201;
  /** Statuses this operation answers besides those every operation may (400, 404, 413, 415, 431, 503…). */
  errors?: Array<401 | 403 | 409 | 429>;
}

export interface RestMeta {
  openapi?: RestOperation;
}
