// Just enough of the y-protocols wire format for cheap load-generating clients: the clients never
// hold a Y.Doc. Writers encode Yjs updates by hand (append-only inserts into the `code` Y.Text),
// readers look at the message header and scan update payloads for latency markers.

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const MSG_QUERY_AWARENESS = 3;
/** Hocuspocus: like sync, but the receiver must not answer with its own step 1. */
export const MSG_SYNC_REPLY = 4;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export class Writer {
  private buf: Uint8Array<ArrayBuffer>;
  pos = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  uint(n: number): this {
    this.ensure(8);
    while (n > 0x7f) {
      this.buf[this.pos++] = 0x80 | (n % 0x80);
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  byte(n: number): this {
    this.ensure(1);
    this.buf[this.pos++] = n;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  varBytes(b: Uint8Array): this {
    return this.uint(b.length).bytes(b);
  }

  /** ASCII/UTF-8 string with a varint length prefix, as lib0's writeVarString. */
  string(s: string): this {
    return this.varBytes(textEncoder.encode(s));
  }

  done(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.pos);
  }
}

const textEncoder = new TextEncoder();

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  uint(): number {
    let n = 0;
    let mult = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error("truncated varint");
      n += (b & 0x7f) * mult;
      if (b < 0x80) return n;
      mult *= 0x80;
    }
  }

  skipVarBytes(): void {
    const len = this.uint();
    this.pos += len;
  }
}

/** Sync step 1 carrying an empty state vector: "send me everything". */
export function syncStep1Empty(): Uint8Array<ArrayBuffer> {
  return new Writer().uint(MSG_SYNC).uint(SYNC_STEP1).varBytes(Uint8Array.of(0)).done();
}

/** Sync step 2 carrying an empty update: our reply to the server's step 1 (we hold nothing). */
export function syncStep2Empty(): Uint8Array<ArrayBuffer> {
  return new Writer().uint(MSG_SYNC).uint(SYNC_STEP2).varBytes(Uint8Array.of(0, 0)).done();
}

/** Hocuspocus's first frame for a document: Auth/Token with a token and a provider version. */
export function hocuspocusAuth(): Uint8Array<ArrayBuffer> {
  return new Writer().uint(MSG_AUTH).uint(0).string("bench").string("bench").done();
}

const CONTENT_STRING = 4;
const HAS_ORIGIN = 0x80;

/**
 * A writer of append-only inserts into the root Y.Text `code`, encoded as Yjs v1 updates without
 * a Y.Doc: each insert has the previous one as left origin. ASCII content only (clock = length).
 */
export class TextAppender {
  private clock = 0;

  constructor(readonly clientId: number) {}

  update(text: string): Uint8Array {
    const w = new Writer(32 + text.length);
    w.uint(1).uint(1).uint(this.clientId).uint(this.clock);
    if (this.clock === 0) {
      w.byte(CONTENT_STRING).uint(1).string("code");
    } else {
      w.byte(CONTENT_STRING | HAS_ORIGIN)
        .uint(this.clientId)
        .uint(this.clock - 1);
    }
    w.string(text);
    w.uint(0); // empty delete set
    this.clock += text.length;
    return w.done();
  }
}

/** A sync/update message around a Yjs update, with the per-server frame prefix. */
export function updateMessage(prefix: Uint8Array, update: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Writer(prefix.length + update.length + 8)
    .bytes(prefix)
    .uint(MSG_SYNC)
    .uint(SYNC_UPDATE)
    .varBytes(update)
    .done();
}

// Latency markers: "~@<id>@" inside the inserted text; ids index a table of send times.
const TILDE = 0x7e;
const AT = 0x40;

export function marker(id: number): string {
  return `~@${id}@`;
}

/** Calls `onId` for every marker found in `buf` from `from` on. */
export function scanMarkers(buf: Uint8Array, from: number, onId: (id: number) => void): void {
  const end = buf.length - 2;
  for (let i = buf.indexOf(TILDE, from); i !== -1 && i < end; i = buf.indexOf(TILDE, i + 1)) {
    if (buf[i + 1] !== AT) continue;
    let j = i + 2;
    let id = 0;
    let digits = 0;
    for (let c = buf[j]; c !== undefined && c >= 0x30 && c <= 0x39; c = buf[++j]) {
      id = id * 10 + (c - 0x30);
      digits++;
    }
    if (digits > 0 && buf[j] === AT) onId(id);
    i = j;
  }
}
