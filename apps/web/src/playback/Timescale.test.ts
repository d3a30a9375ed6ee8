import { describe, expect, test } from "bun:test";
import { IDLE_GAP_MS, SKIPPED_GAP_MS, Timescale } from "./Timescale.ts";

describe("Timescale", () => {
  const t0 = 1_700_000_000_000;
  // Two bursts of activity an hour apart.
  const instants = [t0, t0 + 200, t0 + 1_000, t0 + 3_600_000, t0 + 3_600_500];
  const scale = new Timescale([...instants, t0 + 200]);

  test("activity keeps its pace and an idle pause is shortened", () => {
    expect(instants.map((t) => scale.toScaled(t))).toEqual([
      0,
      200,
      1_000,
      1_000 + SKIPPED_GAP_MS,
      1_500 + SKIPPED_GAP_MS,
    ]);
    expect(scale.duration).toBe(1_500 + SKIPPED_GAP_MS);
    expect(scale.skippedGaps()).toEqual([{ from: 1_000, to: 1_000 + SKIPPED_GAP_MS, idleMs: 3_599_000 }]);
  });

  test("every recorded instant maps back exactly; between two, never onto the later one", () => {
    for (const t of instants) expect(scale.toReal(scale.toScaled(t))).toBe(t);
    expect(scale.toReal(1_000 + SKIPPED_GAP_MS - 0.5)).toBeLessThan(t0 + 3_600_000);
    expect(scale.toReal(1_000 + SKIPPED_GAP_MS / 2)).toBeGreaterThan(t0 + 1_000 + IDLE_GAP_MS);
    expect(scale.toReal(-5)).toBe(t0);
    expect(scale.toReal(1e12)).toBe(t0 + 3_600_500);
  });

  test("steps go from one recorded instant to the next or previous", () => {
    expect(scale.step(0, 1)).toBe(200);
    expect(scale.step(150, 1)).toBe(200);
    expect(scale.step(200, -1)).toBe(0);
    expect(scale.step(scale.duration, 1)).toBe(scale.duration);
    expect(scale.step(0, -1)).toBe(0);
  });

  test("an empty recording is a point", () => {
    const empty = new Timescale([]);
    expect(empty.duration).toBe(0);
    expect(empty.toScaled(t0)).toBe(0);
  });
});
