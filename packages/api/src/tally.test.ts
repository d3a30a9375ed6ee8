import { describe, expect, test } from "bun:test";
import { Tally } from "./tally.ts";

describe("Tally", () => {
  test("counts per key and in total; a key back at zero is forgotten", () => {
    const tally = new Tally();
    tally.add("client:a");
    tally.add("client:a");
    tally.add("client:b");
    expect([tally.get("client:a"), tally.get("client:b"), tally.total, tally.size]).toEqual([2, 1, 3, 2]);

    expect(tally.remove("client:a")).toBe(1);
    expect(tally.remove("client:b")).toBe(0);
    // Only keys holding something stay: one entry per client ever seen would grow without bound.
    expect([tally.get("client:b"), tally.total, tally.size]).toEqual([0, 1, 1]);
  });

  test("a removal past zero (a release counted twice) leaves zero, and the others' counts alone", () => {
    const tally = new Tally();
    tally.add("a", 2);
    tally.add("b");
    expect(tally.remove("a", 5)).toBe(0);
    expect(tally.remove("never-added")).toBe(0);
    expect([tally.get("a"), tally.get("b"), tally.total, tally.size]).toEqual([0, 1, 1, 1]);
    tally.add("a");
    expect(tally.get("a")).toBe(1);
  });

  test("a hold is given back once, however often its release is called", () => {
    const tally = new Tally();
    const release = tally.hold("a");
    tally.hold("a");
    expect(tally.get("a")).toBe(2);
    release();
    release();
    expect(tally.get("a")).toBe(1);
  });
});
