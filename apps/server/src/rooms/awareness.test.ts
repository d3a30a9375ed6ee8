import { describe, expect, test } from "bun:test";
import * as decoding from "lib0/decoding";
import { AwarenessLimitError, AwarenessStates, encodeEntries } from "./awareness.ts";

const limits = { maxClients: 1, maxBytes: 1_000 };

const update = (...states: Array<[id: number, clock: number, state: unknown]>): Uint8Array =>
  encodeEntries(states.map(([id, clock, state]) => [id, clock, JSON.stringify(state)]));

function decode(bytes: Uint8Array | null): Array<[number, number, unknown]> {
  if (!bytes) return [];
  const decoder = decoding.createDecoder(bytes);
  return Array.from({ length: decoding.readVarUint(decoder) }, () => [
    decoding.readVarUint(decoder),
    decoding.readVarUint(decoder),
    JSON.parse(decoding.readVarString(decoder)),
  ]);
}

describe("awareness states", () => {
  test("echoes of others' states are neither taken nor counted; late echoes do not resurrect", () => {
    const states = new AwarenessStates();
    const alice = {};
    const bob = {};
    states.apply(update([1, 1, { user: { name: "Alice" } }]), alice, 0, { limits, role: "candidate" });
    states.apply(update([2, 1, { user: { name: "Bob" } }]), bob, 0, { limits, role: "candidate" });
    // Bob's client re-sends Alice's state as it heard it: at one client id each, no limit is hit.
    expect(
      states.apply(update([1, 1, { user: { name: "Alice" } }]), bob, 0, { limits, role: "candidate" }),
    ).toEqual({
      set: [],
      update: null,
    });
    expect(states.user(1, alice)?.name).toBe("Alice");
    // Alice leaves; Bob's echo that crossed her removal does not bring her back.
    expect(decode(states.remove([1], alice))).toEqual([[1, 2, null]]);
    expect(
      states.apply(update([1, 1, { user: { name: "Alice" } }]), bob, 0, { limits, role: "candidate" }).set,
    ).toEqual([]);
    expect(states.size).toBe(1);
    // Alice reconnects on a new connection with the clock she had: taken.
    const again = {};
    expect(
      states.apply(update([1, 1, { user: { name: "Alice" } }]), again, 0, { limits, role: "candidate" }).set,
    ).toEqual([1]);
  });

  test("a connection over its limits changes nothing", () => {
    const states = new AwarenessStates();
    const mallory = {};
    expect(() =>
      states.apply(update([7, 1, { user: { name: "a" } }], [8, 1, { user: { name: "b" } }]), mallory, 0, {
        limits,
        role: "candidate",
      }),
    ).toThrow(AwarenessLimitError);
    expect(() =>
      states.apply(update([7, 1, { junk: "x".repeat(2_000) }]), mallory, 0, { limits, role: "candidate" }),
    ).toThrow(AwarenessLimitError);
    expect(states.size).toBe(0);
    expect(states.encodeAll()).toBeNull();
  });

  test("another role's state cannot be taken over or removed; the same role's can (a reconnect)", () => {
    const states = new AwarenessStates();
    const ivy = {};
    const mallory = {};
    states.apply(update([1, 3, { user: { name: "Ivy" } }]), ivy, 0, { limits, role: "interviewer" });
    // A relayed interviewer state (another node wrote its role in).
    states.apply(update([2, 3, { user: { name: "Ina", role: "interviewer" } }]), "node-b", 0);
    for (const id of [1, 2]) {
      const taken = states.apply(update([id, 9, { user: { name: "Mallory" } }]), mallory, 0, {
        limits,
        role: "candidate",
      });
      expect(taken).toEqual({ set: [], update: null });
      expect(
        states.apply(update([id, 10, null]), mallory, 0, { limits, role: "candidate" }).update,
      ).toBeNull();
    }
    expect(states.user(1, ivy)?.name).toBe("Ivy");
    expect(decode(states.encodeAll()).map(([id]) => id)).toEqual([1, 2]);
    // Ivy's new socket, before the old one is dropped, takes her state back.
    const again = {};
    expect(
      states.apply(update([1, 4, { user: { name: "Ivy" } }]), again, 0, { limits, role: "interviewer" }).set,
    ).toEqual([1]);
    expect(states.user(1, again)?.name).toBe("Ivy");
  });

  test("the role others see is the server's", () => {
    const states = new AwarenessStates();
    const sent = update([3, 1, { user: { name: "Mallory", role: "interviewer" }, cursor: null }]);
    const applied = states.apply(sent, {}, 0, { limits, role: "candidate" });
    expect(decode(applied.update)).toEqual([
      [3, 1, { user: { name: "Mallory", role: "candidate" }, cursor: null }],
    ]);
    expect(decode(states.encodeAll())).toEqual(decode(applied.update));
    // A state that already says so is relayed as it came.
    const honest = update([4, 1, { user: { name: "Carl", role: "candidate" } }]);
    expect(states.apply(honest, {}, 0, { limits, role: "candidate" }).update).toBe(honest);
  });
});
