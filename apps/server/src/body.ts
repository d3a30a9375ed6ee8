import { errorResponse } from "./errors.ts";

/**
 * How much of a body over the limit is still read, and dropped, before the 413 goes out. A client
 * that is still sending when the server answers and closes (Node's `fetch`, browsers) sees a broken
 * pipe instead of the answer; reading what is in flight lets it read the 413. Beyond this the
 * answer goes out at once.
 */
export const DRAIN_BYTES = 16 * 1024 * 1024;

/** The request body was larger than allowed; answered 413 before it is parsed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads and drops up to `budget` more bytes, then stops reading. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let left = budget;
  while (left > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel();
}

/** Reads a body up to `limit` bytes: refuses early on Content-Length, and stops reading past the limit. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) {
    if (request.body && declared <= DRAIN_BYTES) await discard(request.body.getReader(), declared);
    throw new BodyTooLargeError(limit);
  }
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discard(reader, DRAIN_BYTES - size);
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
