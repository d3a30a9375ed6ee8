/**
 * How many of something each key holds now (runs per client, streams per owner). A count never goes
 * below zero, and a key whose count falls to zero is forgotten: the map holds only keys that hold
 * something, so it does not grow with every client ever seen.
 */
export class Tally<K = string> {
  private readonly counts = new Map<K, number>();
  private sum = 0;

  /** What `key` holds now (0 for a key never counted). */
  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  /** All keys' counts together. */
  get total(): number {
    return this.sum;
  }

  /** Keys that hold something. */
  get size(): number {
    return this.counts.size;
  }

  /** One more (or `by` more) for `key`; its count after. */
  add(key: K, by = 1): number {
    const value = this.get(key) + by;
    this.counts.set(key, value);
    this.sum += by;
    return value;
  }

  /** One more for `key`, given back by the returned function (once, however often it is called). */
  hold(key: K): () => void {
    this.add(key);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.remove(key);
    };
  }

  /** One fewer (or `by` fewer) for `key`, never below zero; its count after. */
  remove(key: K, by = 1): number {
    const held = this.get(key);
    const taken = Math.min(held, by);
    this.sum -= taken;
    if (held - taken > 0) this.counts.set(key, held - taken);
    else this.counts.delete(key);
    return held - taken;
  }
}
