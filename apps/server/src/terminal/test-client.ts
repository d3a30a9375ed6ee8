import { ClientOp, encodeTerminalFrame, ServerOp, TERMINAL_MESSAGE } from "@pairpad/api/terminal/protocol";
import type { TerminalState, Who } from "@pairpad/api/terminal/state";
import * as decoding from "lib0/decoding";

const encoder = new TextEncoder();

/**
 * A participant's room socket that watches the shared terminal (what the web client does, without
 * the editor): keeps the screen's bytes as received, the header, and refusals. Tests and bench/.
 */
export class TerminalClient {
  screen = "";
  bytes = 0;
  state: TerminalState | null = null;
  /** This socket as the server names it. */
  me: Who | null = null;
  readonly refusals: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Called on every output frame with the time it arrived (bench). */
  onOutput: ((text: string, at: number) => void) | null = null;
  private readonly decoder = new TextDecoder();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason }));
    });
    ws.addEventListener("message", (event) => this.receive(new Uint8Array(event.data as ArrayBuffer)));
  }

  /**
   * Opens `url` (a room socket URL with the session id and any query) and subscribes to its terminal.
   * `headers`: sent with the upgrade (Bun's WebSocket), e.g. `x-forwarded-for` to be another client.
   */
  static open(url: string, headers?: Record<string, string>): Promise<TerminalClient> {
    return new Promise((resolve, reject) => {
      const ws = headers ? new WebSocket(url, { headers } as never) : new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const client = new TerminalClient(ws);
      ws.addEventListener("open", () => {
        client.send(ClientOp.subscribe);
        client
          .until(() => client.state !== null)
          .then(() => resolve(client))
          .catch(reject);
      });
      ws.addEventListener("error", () => reject(new Error("socket error")));
    });
  }

  send(op: number, payload: Uint8Array | object = new Uint8Array(0)): void {
    const bytes = payload instanceof Uint8Array ? payload : encoder.encode(JSON.stringify(payload));
    this.ws.send(encodeTerminalFrame(op, bytes) as Uint8Array<ArrayBuffer>);
  }

  start(mode: "run" | "repl" = "run", cols = 80, rows = 24): void {
    this.send(ClientOp.start, { mode, cols, rows });
  }

  type(text: string): void {
    this.send(ClientOp.input, encoder.encode(text));
  }

  /** Resolves once `condition` holds (checked on every frame), or rejects after `timeoutMs`. */
  until(condition: () => boolean, timeoutMs = 30_000, what = "condition"): Promise<void> {
    return new Promise((resolve, reject) => {
      if (condition()) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; screen: ${JSON.stringify(this.screen.slice(-400))}, state: ${JSON.stringify(this.state)}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  waitFor(text: string, timeoutMs?: number): Promise<void> {
    return this.until(() => this.screen.includes(text), timeoutMs, JSON.stringify(text));
  }

  waitForEnd(runId?: string, timeoutMs?: number): Promise<TerminalState> {
    return this.until(
      () => this.state?.status === "ended" && (runId === undefined || this.state.runId === runId),
      timeoutMs,
      "the run's end",
    ).then(() => this.state as TerminalState);
  }

  close(): void {
    this.ws.close();
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== TERMINAL_MESSAGE) return;
    const op = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (op === ServerOp.output) {
      const text = this.decoder.decode(payload, { stream: true });
      this.screen += text;
      this.bytes += payload.byteLength;
      this.onOutput?.(text, performance.now());
    } else if (op === ServerOp.reset) {
      this.screen = this.decoder.decode(payload);
      this.bytes = payload.byteLength;
    } else if (op === ServerOp.state) {
      this.state = JSON.parse(this.decoder.decode(payload)) as TerminalState;
    } else if (op === ServerOp.you) {
      this.me = JSON.parse(this.decoder.decode(payload)) as Who;
    } else if (op === ServerOp.refused) {
      this.refusals.push((JSON.parse(this.decoder.decode(payload)) as { message: string }).message);
    }
    for (const check of this.waiters) check();
  }
}
