import { describe, expect, test } from "bun:test";
import { SseEventIds } from "./event-streams.ts";

const encoder = new TextEncoder();

/** SSE as tRPC writes it: its `connected` frame, tracked events, and an untracked one. */
const text = [
  "event: connected\ndata: {}\n\n\n",
  'data: {"type":"run-started","note":"id: not-an-id"}\nid: 001-a\n\n\n',
  'data: {"type":"run-finished"}\nid: 002-b\n\n\n',
  "event: ping\ndata: \n\n\n",
].join("");

describe("SseEventIds", () => {
  test("names the last event whose frame is complete, however the bytes are cut", () => {
    const bytes = encoder.encode(text);
    const secondEnds = text.indexOf("id: 002-b\n") + "id: 002-b\n\n".length;
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const ids = new SseEventIds();
      const seen: Array<string | null> = [];
      for (let at = 0; at < bytes.length; at += size) {
        ids.scan(bytes.subarray(at, at + size));
        seen.push(ids.last);
        // An id is only ever reported once its frame has ended.
        if (at + size < secondEnds) expect(ids.last).not.toBe("002-b");
      }
      expect(ids.last).toBe("002-b");
      expect([...new Set(seen)]).toEqual([null, "001-a", "002-b"].slice(size >= bytes.length ? 2 : 0));
    }
  });
});
