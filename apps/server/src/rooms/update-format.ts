import * as binary from "lib0/binary";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** Type refs of `ContentType` that carry a node name (XmlElement, XmlHook). */
const namedTypeRefs = new Set([3, 5]);
const typeRefCount = 7;

/** One client's structs in an update: the clocks they cover and where their bytes lie. */
export interface ClientSection {
  client: number;
  /** Clocks `clock` (included) to `end` (excluded). */
  clock: number;
  end: number;
  /** Bytes `from` (its struct count) to `to` of the update. */
  from: number;
  to: number;
}

/** Where the parts of a checked update lie. */
export interface UpdateLayout {
  sections: ClientSection[];
  /** Where the delete set starts. */
  deleteSetAt: number;
  /** Some struct holds other content than characters (a map value, an embed, a format, a type...). */
  richContent: boolean;
}

/** Content refs other than deleted (1) and string (4): JSON, binary, embed, format, type, any, doc. */
const richRefs = new Set([2, 3, 5, 6, 7, 8, 9]);

/**
 * Reads a whole Yjs (v1) update without applying it, with Yjs' own decoder primitives, and
 * throws if any part is missing, unreadable, empty or followed by extra bytes; returns where its
 * clients' structs lie.
 *
 * `Y.applyUpdate` integrates the structs before it reads the delete set, so an update that breaks
 * after its structs is half-applied when it throws: checking first keeps a refused update from
 * touching the document. It allocates no structs (a keystroke costs about a microsecond, see
 * `bench/update-check.ts`).
 */
export function checkUpdate(update: Uint8Array): UpdateLayout {
  const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update));
  const rest = decoder.restDecoder;
  const clients = decoding.readVarUint(rest);
  const layout: UpdateLayout = { sections: [], deleteSetAt: 0, richContent: false };
  for (let c = 0; c < clients; c++) {
    const from = rest.pos;
    const structs = decoding.readVarUint(rest);
    const client = decoder.readClient();
    const start = decoding.readVarUint(rest);
    let clock = start;
    for (let s = 0; s < structs; s++) clock += readStruct(decoder, client, clock, layout);
    layout.sections.push({ client, clock: start, end: clock, from, to: rest.pos });
  }
  layout.deleteSetAt = rest.pos;
  const deleted = decoding.readVarUint(rest);
  for (let c = 0; c < deleted; c++) {
    decoding.readVarUint(rest); // client
    const ranges = decoding.readVarUint(rest);
    for (let r = 0; r < ranges; r++) {
      decoder.readDsClock();
      if (decoder.readDsLen() === 0) throw new Error("empty delete range");
    }
  }
  if (decoding.hasContent(rest)) throw new Error("trailing bytes after the update");
  return layout;
}

/** The update without some of its clients' structs (its delete set stays whole). */
export function withoutSections(
  update: Uint8Array,
  layout: UpdateLayout,
  dropped: ClientSection[],
): Uint8Array {
  const encoder = encoding.createEncoder();
  const kept = layout.sections.filter((section) => !dropped.includes(section));
  encoding.writeVarUint(encoder, kept.length);
  for (const section of kept) encoding.writeUint8Array(encoder, update.subarray(section.from, section.to));
  encoding.writeUint8Array(encoder, update.subarray(layout.deleteSetAt));
  return encoding.toUint8Array(encoder);
}

/**
 * Reads one struct; returns its length. Yjs integrates a client's structs in clock order and
 * assumes that what a struct refers to of its own client came before it: a later reference makes
 * the integration throw half-way, so it is refused here.
 */
function readStruct(decoder: Y.UpdateDecoderV1, client: number, clock: number, layout: UpdateLayout): number {
  const rest = decoder.restDecoder;
  const info = decoder.readInfo();
  const ref = info & binary.BITS5;
  if (ref === 0 || ref === 10) {
    // GC or Skip: a length.
    const length = decoding.readVarUint(rest);
    if (length === 0) throw new Error("empty struct");
    return length;
  }
  if (info & binary.BIT8) checkReference(decoder.readLeftID(), client, clock);
  if (info & binary.BIT7) checkReference(decoder.readRightID(), client, clock);
  if ((info & (binary.BIT7 | binary.BIT8)) === 0) {
    if (decoder.readParentInfo()) skipString(rest);
    else checkReference(decoder.readLeftID(), client, clock);
    if (info & binary.BIT6) skipString(rest);
  }
  if (richRefs.has(ref)) layout.richContent = true;
  const length = readContent(decoder, ref);
  if (length === 0) throw new Error("empty struct");
  return length;
}

/**
 * Steps over a string without decoding it; returns its length in UTF-16 code units, as Yjs counts
 * (a four-byte UTF-8 sequence is a surrogate pair, a continuation byte adds nothing).
 */
function skipString(rest: decoding.Decoder): number {
  const bytes = decoding.readVarUint8Array(rest);
  let units = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

function checkReference(id: Y.ID, client: number, clock: number): void {
  if (id.client === client && id.clock >= clock)
    throw new Error("a struct refers to a later one of its client");
}

/** Reads an item's content as Yjs' `contentRefs` would; returns its length. */
function readContent(decoder: Y.UpdateDecoderV1, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoder.readLen();
    case 2: {
      // JSON
      const len = decoder.readLen();
      for (let i = 0; i < len; i++) {
        const json = decoder.readString();
        if (json !== "undefined") JSON.parse(json);
      }
      return len;
    }
    case 3: // binary
      decoder.readBuf();
      return 1;
    case 4: // string
      return skipString(decoder.restDecoder);
    case 5: // embed
      decoder.readJSON();
      return 1;
    case 6: // format
      decoder.readKey();
      decoder.readJSON();
      return 1;
    case 7: {
      // type
      const typeRef = decoder.readTypeRef();
      if (typeRef >= typeRefCount) throw new Error(`unknown type ref ${typeRef}`);
      if (namedTypeRefs.has(typeRef)) decoder.readKey();
      return 1;
    }
    case 8: {
      // any
      const len = decoder.readLen();
      for (let i = 0; i < len; i++) decoder.readAny();
      return len;
    }
    case 9: // subdocument
      decoder.readString();
      decoder.readAny();
      return 1;
    default:
      throw new Error(`unknown content ref ${ref}`);
  }
}
