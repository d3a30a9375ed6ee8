/** A pause longer than this is idle time: the replay shortens it to `SKIPPED_GAP_MS`. */
export const IDLE_GAP_MS = 5_000;
export const SKIPPED_GAP_MS = 1_000;

/** An idle pause the replay skips over, in replay time. */
export interface SkippedGap {
  from: number;
  to: number;
  idleMs: number;
}

/**
 * The replay's clock: wall-clock instants of the session mapped to replay time, where activity
 * keeps its pace and every idle pause lasts `SKIPPED_GAP_MS`. Each recorded instant maps to an exact
 * replay time and back, so a point on the slider shows exactly the state after that instant.
 */
export class Timescale {
  /** Recorded instants (ms since the epoch), ascending and distinct. */
  private readonly real: number[];
  /** Replay time (ms from the start) of each instant. */
  private readonly scaled: number[];

  constructor(instants: Iterable<number>) {
    this.real = [...new Set(instants)].sort((a, b) => a - b);
    this.scaled = [];
    let t = 0;
    this.real.forEach((instant, i) => {
      const previous = this.real[i - 1];
      if (previous !== undefined) t += instant - previous > IDLE_GAP_MS ? SKIPPED_GAP_MS : instant - previous;
      this.scaled.push(t);
    });
  }

  /** Length of the replay in replay time. */
  get duration(): number {
    return this.scaled.at(-1) ?? 0;
  }

  get start(): number {
    return this.real[0] ?? 0;
  }

  get end(): number {
    return this.real.at(-1) ?? 0;
  }

  /** Replay time of a wall-clock instant. */
  toScaled(time: number): number {
    const i = lastAtOrBefore(this.real, time);
    if (i < 0) return 0;
    const from = this.real[i] ?? 0;
    const to = this.real[i + 1];
    const base = this.scaled[i] ?? 0;
    if (to === undefined) return base;
    const span = (this.scaled[i + 1] ?? base) - base;
    return base + Math.floor(((time - from) * span) / (to - from));
  }

  /** Wall-clock instant of a replay time; between two instants it never reaches the later one. */
  toReal(scaledTime: number): number {
    const i = lastAtOrBefore(this.scaled, scaledTime);
    if (i < 0) return this.start;
    const base = this.scaled[i] ?? 0;
    const from = this.real[i] ?? 0;
    const next = this.scaled[i + 1];
    const to = this.real[i + 1];
    if (next === undefined || to === undefined) return from;
    const real = from + Math.floor(((scaledTime - base) * (to - from)) / (next - base));
    return Math.min(real, to - 1);
  }

  /** The replay time of the recorded instant after (+1) or before (-1) `scaledTime`. */
  step(scaledTime: number, direction: 1 | -1): number {
    if (direction > 0) {
      const i = lastAtOrBefore(this.scaled, scaledTime) + 1;
      return this.scaled[i] ?? this.duration;
    }
    const i = firstAtOrAfter(this.scaled, scaledTime) - 1;
    return this.scaled[i] ?? 0;
  }

  /** The idle pauses shortened by the scale. */
  skippedGaps(): SkippedGap[] {
    const gaps: SkippedGap[] = [];
    for (let i = 1; i < this.real.length; i++) {
      const idleMs = (this.real[i] ?? 0) - (this.real[i - 1] ?? 0);
      if (idleMs > IDLE_GAP_MS) gaps.push({ from: this.scaled[i - 1] ?? 0, to: this.scaled[i] ?? 0, idleMs });
    }
    return gaps;
  }
}

/** Index of the last value ≤ `x` in an ascending array, or -1. */
function lastAtOrBefore(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first value ≥ `x` in an ascending array (its length if none). */
function firstAtOrAfter(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
