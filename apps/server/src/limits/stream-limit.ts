import { Tally } from "@pairpad/api/tally";

/**
 * Open event streams (SSE) per client on this node. Each holds a socket, a file descriptor and a
 * subscription for as long as the client keeps it, so one client may hold only so many; the next one is
 * refused (429) until one closes. Counted per node: that is where the sockets and memory are spent.
 */
export class StreamLimit {
  private readonly open = new Tally();

  constructor(readonly perClient: number) {}

  /** Streams `client` holds now. */
  heldBy(client: string): number {
    return this.open.get(client);
  }

  /** A slot for one more stream of `client`, released once by the returned function; null when at the limit. */
  acquire(client: string): (() => void) | null {
    if (this.heldBy(client) >= this.perClient) return null;
    return this.open.hold(client);
  }

  /**
   * The response with its body passed through, releasing the slot when the body ends, fails or is cancelled
   * (the client went away), or when the request aborts.
   */
  hold(response: Response, release: () => void, signal?: AbortSignal): Response {
    const source = response.body;
    if (!source) {
      release();
      return response;
    }
    signal?.addEventListener("abort", release, { once: true });
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            release();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  }
}
