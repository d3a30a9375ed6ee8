import type { EventChannel } from "@pairpad/api/ports";

/**
 * The event streams (tRPC subscriptions over SSE) open on this node, each knowing the last event
 * its subscription was given and the last one its response has handed to the server, so a
 * draining node can end every stream right after what was published before, as a complete response.
 */
export class EventStreams {
  private readonly open = new Set<EventStream>();

  /** A stream for one SSE request: its channels go to the procedure, its response through `respond`. */
  start(signal?: AbortSignal): EventStream {
    const stream = new EventStream(() => this.open.delete(stream));
    this.open.add(stream);
    signal?.addEventListener("abort", () => stream.end(), { once: true });
    return stream;
  }

  /**
   * Ends each stream open now right after the last event it was given before this call; resolves
   * once all have ended. A client that stops reading holds its stream back: callers bound the wait.
   */
  async finish(): Promise<void> {
    await Promise.all([...this.open].map((stream) => stream.finish()));
  }
}

/**
 * One event stream. Its response ends normally (the server writes out what it holds of a complete
 * response before closing the connection, where cutting a response in progress loses it), and
 * without tRPC's `return` frame, so the client takes it for a dropped stream and resumes.
 */
export class EventStream {
  /** The id of the last event handed to the subscription. */
  private given: string | null = null;
  /** What the stream ends after, once asked to finish: the last event given by then (null: none). */
  private target: string | null | undefined;
  private readonly ids = new SseEventIds();
  private closeBody: (() => void) | null = null;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly onEnd: () => void) {}

  /** `channel` with each event it hands this stream's subscription noted as given. */
  channel<E extends { type: string }>(channel: EventChannel<E>): EventChannel<E> {
    return {
      publish: (sessionId, event) => channel.publish(sessionId, event),
      subscribe: (sessionId, listener, lastEventId) =>
        channel.subscribe(
          sessionId,
          (event) => {
            this.given = event.id;
            listener(event);
          },
          lastEventId,
        ),
    };
  }

  /** The response with its body passed through, watched for the event the stream is to end after. */
  respond(response: Response): Response {
    const source = response.body;
    if (!source || !response.headers.get("content-type")?.includes("text/event-stream")) {
      this.end();
      return response;
    }
    const reader = source.getReader();
    let closed = false;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.closeBody = () => {
          if (closed) return;
          closed = true;
          this.end();
          controller.close();
          // The subscription stops; tRPC's own end (its `return` frame) is never sent.
          void reader.cancel().catch(() => {});
        };
        if (this.reachedTarget()) this.closeBody();
      },
      pull: async (controller) => {
        try {
          const { done, value } = await reader.read();
          if (closed) return;
          if (done) {
            closed = true;
            this.end();
            controller.close();
            return;
          }
          this.ids.scan(value);
          controller.enqueue(value);
          if (this.reachedTarget()) this.closeBody?.();
        } catch (error) {
          if (closed) return;
          closed = true;
          this.end();
          controller.error(error);
        }
      },
      cancel: (reason) => {
        this.end();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  }

  /** Ends the stream once the last event given so far has been handed over; resolves once ended. */
  finish(): Promise<void> {
    if (this.target === undefined) this.target = this.given;
    if (this.reachedTarget()) {
      this.closeBody?.();
      // No response yet and nothing to deliver: nothing to wait for.
      if (!this.closeBody && this.target === null) return Promise.resolve();
    }
    return this.whenEnded();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  private reachedTarget(): boolean {
    return this.target === null || (this.target !== undefined && this.ids.last === this.target);
  }

  private whenEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }
}

const NEWLINE = 0x0a;
const ID_FIELD = "id:";

/**
 * Follows SSE text as it goes out and keeps the id of the last complete event (an `id:` line
 * ended by a blank line). Only `id:` lines are decoded; data lines are skipped byte-wise.
 */
export class SseEventIds {
  last: string | null = null;
  /** The current line while it may still be an `id:` line; null once it cannot be. */
  private line: string | null = "";
  private pending: string | null = null;
  private readonly decoder = new TextDecoder();

  scan(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.line !== null && end > start) {
        this.line += this.decoder.decode(chunk.subarray(start, end));
        const prefix = this.line.slice(0, ID_FIELD.length);
        if (!ID_FIELD.startsWith(prefix)) this.line = null;
      }
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  }

  private endLine(): void {
    const line = this.line;
    this.line = "";
    if (line === "") {
      if (this.pending !== null) this.last = this.pending;
      this.pending = null;
    } else if (line?.startsWith(ID_FIELD)) {
      // One space after the colon is part of the syntax, not of the value.
      this.pending = line.slice(line.startsWith(`${ID_FIELD} `) ? ID_FIELD.length + 1 : ID_FIELD.length);
    }
  }
}
