// What checking an update before applying it costs on the hot path (finding 10 of issue 10):
// `checkUpdate` against `Y.applyUpdate` for a keystroke and for a paste, per call.
// Run: bun bench/update-check.ts
import * as Y from "yjs";
import { checkUpdate } from "../apps/server/src/rooms/update-format.ts";

function updatesOf(edit: (text: Y.Text) => void, count: number): { base: Uint8Array; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.getText("code").insert(0, "x".repeat(2_000));
  const base = Y.encodeStateAsUpdate(doc);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) edit(doc.getText("code"));
  return { base, updates };
}

/** The best of ten rounds: the steady state, not the JIT's warm-up or another process's turn. */
function time(label: string, run: () => void, calls: number): void {
  let ns = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round++) {
    const start = Bun.nanoseconds();
    run();
    ns = Math.min(ns, (Bun.nanoseconds() - start) / calls);
  }
  console.log(`${label.padEnd(40)} ${(ns / 1000).toFixed(2)} µs per update`);
}

for (const [name, edit] of [
  ["keystroke", (t: Y.Text) => t.insert(t.length, "a")],
  ["paste of 4 KiB", (t: Y.Text) => t.insert(100, "y".repeat(4096))],
] as const) {
  const { base, updates } = updatesOf(edit, 5_000);
  console.log(`${name}: ${updates[0]?.length} bytes`);
  time(
    "  checkUpdate",
    () => {
      for (const u of updates) checkUpdate(u);
    },
    updates.length,
  );
  time(
    "  Y.applyUpdate (fresh doc per round)",
    () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, base);
      for (const u of updates) Y.applyUpdate(doc, u);
    },
    updates.length,
  );
}
