import { createHash } from "node:crypto";
import {
  chownSync,
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** What a successful compile left in the work dir, to run again without compiling. */
export interface CompiledProgram {
  files: Array<{ path: string; mode: number; data: Uint8Array }>;
  compileOutput: string;
  bytes: number;
}

export interface CompileCacheOptions {
  /** Most bytes held in memory for all programs together. Default 128 MiB. */
  maxBytes?: number;
  /** Programs larger than this are not kept. Default 32 MiB. */
  maxProgramBytes?: number;
}

/**
 * Compiled programs by a hash of language, toolchain, compile command and source: the same code compiled
 * again (a rerun in a session, the same solution in another) skips the compiler's start-up, which dominates
 * Java, Kotlin, Scala, Rust and C++ runs. Only successful compiles are kept; least recently used go first.
 * The key covers everything the output depends on, so an entry can be shared between sessions.
 */
export class CompileCache {
  private readonly entries = new Map<string, CompiledProgram>();
  private bytes = 0;
  readonly maxBytes: number;
  readonly maxProgramBytes: number;
  hits = 0;
  misses = 0;

  constructor(options: CompileCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    this.maxProgramBytes = options.maxProgramBytes ?? 32 * 1024 * 1024;
  }

  static key(parts: { language: string; toolchain: string; command: string[]; source: string }): string {
    const hash = createHash("sha256");
    for (const part of [parts.language, parts.toolchain, JSON.stringify(parts.command), parts.source]) {
      hash.update(part).update("\0");
    }
    return hash.digest("hex");
  }

  get(key: string): CompiledProgram | undefined {
    const program = this.entries.get(key);
    if (!program) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, program);
    return program;
  }

  set(key: string, program: CompiledProgram): void {
    if (program.bytes > this.maxProgramBytes || this.entries.has(key)) return;
    this.entries.set(key, program);
    this.bytes += program.bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Reads the regular files under `dir` (what the compiler wrote), except `skip`. Never follows a link: the
 * compile phase may run the code's own compile-time code (Template Haskell, macros), which could leave a
 * link to a host file for us to read as root. Null when the program is larger than `maxBytes`.
 */
export function captureProgram(
  dir: string,
  skip: string[],
  maxBytes: number,
  compileOutput: string,
): CompiledProgram | null {
  const files: CompiledProgram["files"] = [];
  let bytes = 0;
  const walk = (relative: string): boolean => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.includes(path)) continue;
      if (entry.isDirectory()) {
        if (!walk(path)) return false;
        continue;
      }
      if (!entry.isFile()) continue;
      const fd = openSync(join(dir, path), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) continue;
        bytes += stat.size;
        if (bytes > maxBytes) return false;
        const data = new Uint8Array(stat.size);
        let read = 0;
        while (read < stat.size) {
          const n = readSync(fd, data, read, stat.size - read, read);
          if (n === 0) break;
          read += n;
        }
        files.push({ path, mode: stat.mode & 0o755, data: data.subarray(0, read) });
      } finally {
        closeSync(fd);
      }
    }
    return true;
  };
  return walk("") ? { files, compileOutput, bytes } : null;
}

/**
 * Writes a cached program into a fresh work dir, owned by the run's uid (without one, as the caller: its
 * modes keep it readable and executable by the run's user).
 */
export function restoreProgram(program: CompiledProgram, dir: string, uid: number | undefined): void {
  for (const file of program.files) {
    const parts = file.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const sub = join(dir, ...parts.slice(0, i));
      try {
        mkdirSync(sub, { mode: 0o755 });
        if (uid !== undefined) chownSync(sub, uid, uid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    const path = join(dir, file.path);
    writeFileSync(path, file.data, { mode: file.mode || 0o644, flag: "wx" });
    if (uid !== undefined) chownSync(path, uid, uid);
  }
}
