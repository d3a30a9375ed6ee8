import {
  hocuspocusAuth,
  MSG_AUTH,
  MSG_SYNC,
  MSG_SYNC_REPLY,
  marker,
  Reader,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  scanMarkers,
  syncStep1Empty,
  syncStep2Empty,
  TextAppender,
  updateMessage,
  Writer,
} from "./protocol.ts";
import type { Target } from "./servers.ts";

/** Send times of marked updates, indexed by marker id (a ring: ids are reused after 2^21). */
const SEND_TIMES = new Float64Array(1 << 21);
const MASK = SEND_TIMES.length - 1;
let nextMarkerId = 0;

/** When any client last received a frame: lets a scenario wait until a server's backlog drains. */
export const traffic = { lastReceiveAt: 0 };

/**
 * Collects writer→observer latencies of the updates sent while `open` (ids in [fromId, toId)).
 * Each observer counts once per update it receives.
 */
export class LatencyWindow {
  readonly samples: number[] = [];
  fromId = Number.POSITIVE_INFINITY;
  toId = Number.POSITIVE_INFINITY;

  open(): void {
    this.samples.length = 0;
    this.fromId = nextMarkerId;
    this.toId = Number.POSITIVE_INFINITY;
  }

  close(): number {
    this.toId = nextMarkerId;
    return this.toId - this.fromId;
  }

  record(id: number, now: number): void {
    if (id >= this.fromId && id < this.toId) this.samples.push(now - (SEND_TIMES[id & MASK] as number));
  }
}

export interface ClientOptions {
  /** Where to report latencies of received updates; absent for clients that only write. */
  latencies?: LatencyWindow;
}

/**
 * One raw y-protocols client on one WebSocket: answers the sync handshake with an empty
 * document, reads message headers, and scans update payloads for latency markers.
 */
export class RawClient {
  private readonly ws: WebSocket;
  private readonly prefix: Uint8Array;
  private appender: TextAppender | undefined;
  readonly startedAt = performance.now();
  /** performance.now() when the WebSocket opened (the server accepted the upgrade). */
  openedAt = 0;
  /** performance.now() when sync step 2 (the server's document) arrived. */
  syncedAt = 0;
  /** Size in bytes of the sync step 2 message. */
  syncBytes = 0;
  closed = false;
  readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private rejectSynced!: (e: Error) => void;

  constructor(
    private readonly target: Target,
    readonly room: string,
    private readonly options: ClientOptions = {},
  ) {
    this.prefix = target.prefix(room);
    this.synced = new Promise((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    this.ws = new WebSocket(target.url(room));
    this.ws.binaryType = "arraybuffer";
    this.ws.onopen = () => {
      this.openedAt = performance.now();
      if (target.hocuspocus) this.sendRaw(hocuspocusAuth());
      this.sendRaw(syncStep1Empty());
    };
    this.ws.onmessage = (ev) => this.receive(new Uint8Array(ev.data as ArrayBuffer));
    this.ws.onclose = (ev) => {
      this.closed = true;
      this.rejectSynced(new Error(`closed before sync: ${ev.code} ${ev.reason}`));
    };
    this.ws.onerror = () => this.rejectSynced(new Error(`websocket error on ${target.url(room)}`));
  }

  private sendRaw(body: Uint8Array<ArrayBuffer>): void {
    if (this.prefix.length === 0) {
      this.ws.send(body);
      return;
    }
    this.ws.send(new Writer(this.prefix.length + body.length).bytes(this.prefix).bytes(body).done());
  }

  private receive(buf: Uint8Array): void {
    traffic.lastReceiveAt = performance.now();
    const r = new Reader(buf);
    if (this.target.hocuspocus) r.skipVarBytes();
    const type = r.uint();
    if (type === MSG_SYNC || type === MSG_SYNC_REPLY) {
      const step = r.uint();
      if (step === SYNC_UPDATE) {
        const lat = this.options.latencies;
        if (lat) {
          const now = performance.now();
          scanMarkers(buf, r.pos, (id) => lat.record(id, now));
        }
      } else if (step === SYNC_STEP2) {
        if (this.syncedAt === 0) {
          this.syncedAt = performance.now();
          this.syncBytes = buf.length;
          this.resolveSynced();
        }
      } else if (step === SYNC_STEP1 && type === MSG_SYNC) {
        this.sendRaw(syncStep2Empty());
      }
    } else if (type === MSG_AUTH && r.uint() === 1) {
      this.rejectSynced(new Error("hocuspocus: permission denied"));
    }
  }

  /** Appends `text` to the shared Y.Text as this client (one update, one frame). */
  appendText(text: string): void {
    this.appender ??= new TextAppender(1 + Math.floor(Math.random() * 0x7ffffffe));
    this.ws.send(updateMessage(this.prefix, this.appender.update(text)));
  }

  /** Sends one marked update; observers report its latency. */
  sendMarked(): void {
    const id = nextMarkerId++;
    SEND_TIMES[id & MASK] = performance.now();
    this.appendText(marker(id));
  }

  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  close(): void {
    if (!this.closed) this.ws.close();
    this.closed = true;
  }
}

/** Opens clients `batch` at a time and waits until every one has synced. */
export async function connectAll<T extends RawClient>(
  count: number,
  make: (i: number) => T,
  batch = 100,
): Promise<T[]> {
  const clients: T[] = [];
  for (let i = 0; i < count; i += batch) {
    const group: T[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) group.push(make(j));
    await Promise.all(group.map((c) => c.synced));
    clients.push(...group);
  }
  return clients;
}

/**
 * Sends `rate` marked updates per second for `ms`, spread round-robin over `writers`, from one
 * ticker (each writer's updates stay evenly spaced). Resolves with the number sent.
 */
export function drive(writers: RawClient[], rate: number, ms: number): Promise<number> {
  return new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    let next = 0;
    const tick = () => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, ms) / 1000) * rate);
      while (sent < due) {
        (writers[next] as RawClient).sendMarked();
        next = (next + 1) % writers.length;
        sent++;
      }
      if (elapsed >= ms) {
        clearInterval(timer);
        resolve(sent);
      }
    };
    const timer = setInterval(tick, 1);
  });
}

export function closeAll(clients: RawClient[]): void {
  for (const c of clients) c.close();
}
