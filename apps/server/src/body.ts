import { errorResponse } from "./errors.ts";

/** The request body was larger than allowed; answered 413 before it is parsed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads a body up to `limit` bytes: refuses early on Content-Length, and stops reading past the limit. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return new Uint8Array(Bun.concatArrayBuffers(chunks));
}

/** The body, or the 413 answer when it is over `limit`. */
export async function bodyOrTooLarge(
  request: Request,
  limit: number,
  requestId?: string,
): Promise<Uint8Array<ArrayBuffer> | Response> {
  try {
    return await readBody(request, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return errorResponse(413, { code: "PAYLOAD_TOO_LARGE", message: error.message, requestId });
  }
}
