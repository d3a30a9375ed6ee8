/** The one JSON shape of every error the server answers with. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: string[];
  issues?: unknown[];
  requestId?: string;
}

export function errorResponse(
  status: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
): Response {
  return Response.json(body, { status, headers });
}
