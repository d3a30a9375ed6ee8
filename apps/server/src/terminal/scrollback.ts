/** The last `maxBytes` a terminal showed, for watchers who join late. */
export class Scrollback {
  private chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  append(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    // A copy: the chunk may be a view into a buffer that is reused.
    this.chunks.push(chunk.slice());
    this.size += chunk.byteLength;
    while (this.size > this.maxBytes && this.chunks.length > 0) {
      const first = this.chunks[0] as Uint8Array;
      const over = this.size - this.maxBytes;
      if (first.byteLength <= over) {
        this.chunks.shift();
        this.size -= first.byteLength;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
      }
    }
  }

  replace(contents: Uint8Array): void {
    this.clear();
    this.append(contents);
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }

  contents(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  get bytes(): number {
    return this.size;
  }
}
