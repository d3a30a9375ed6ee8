import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompileCache, captureProgram, restoreProgram } from "./compile-cache.ts";

test("a compiled program is captured without following links, restored as it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairpad-capture-"));
  const into = mkdtempSync(join(tmpdir(), "pairpad-restore-"));
  try {
    writeFileSync(join(dir, "main.cpp"), "source");
    writeFileSync(join(dir, "main"), "binary", { mode: 0o755 });
    mkdirSync(join(dir, "META-INF"));
    writeFileSync(join(dir, "META-INF", "main.kotlin_module"), "module");
    // What compile-time code could leave behind to have us read a host file as root.
    symlinkSync("/etc/passwd", join(dir, "passwd"));
    symlinkSync("/etc", join(dir, "etc"));
    const program = captureProgram(dir, ["main.cpp"], 1024, "warning: x");
    expect(program?.files.map((f) => f.path).sort()).toEqual(["META-INF/main.kotlin_module", "main"]);
    expect(program?.compileOutput).toBe("warning: x");

    restoreProgram(program as NonNullable<typeof program>, into, process.getuid?.() ?? 0);
    expect(readFileSync(join(into, "main"), "utf8")).toBe("binary");
    expect(statSync(join(into, "main")).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(into, "META-INF", "main.kotlin_module"), "utf8")).toBe("module");
    // Too large to keep.
    expect(captureProgram(dir, ["main.cpp"], 8, "")).toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(into, { recursive: true, force: true });
  }
});

test("the cache keys on everything the program depends on and drops the least recently used", () => {
  const base = {
    language: "cpp",
    toolchain: "12.2.0 /usr/bin/g++",
    command: ["g++", "-O2"],
    source: "int main(){}",
  };
  const key = CompileCache.key(base);
  expect(CompileCache.key({ ...base })).toBe(key);
  for (const change of [
    { source: "int main(){ }" },
    { toolchain: "13.1.0 /usr/bin/g++" },
    { command: ["g++"] },
  ]) {
    expect(CompileCache.key({ ...base, ...change })).not.toBe(key);
  }
  const cache = new CompileCache({ maxBytes: 10, maxProgramBytes: 6 });
  const program = (bytes: number) => ({ files: [], compileOutput: "", bytes });
  cache.set("a", program(4));
  cache.set("b", program(4));
  cache.get("a");
  cache.set("c", program(4));
  expect(cache.get("a")).toBeDefined();
  expect(cache.get("b")).toBeUndefined();
  cache.set("huge", program(7));
  expect(cache.get("huge")).toBeUndefined();
});
