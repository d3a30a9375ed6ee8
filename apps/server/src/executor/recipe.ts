import type { LanguageId } from "@pairpad/api/execution/executor";

/** Where a recipe's commands run and what they may use. Paths are as seen inside the sandbox. */
export interface RecipeContext {
  /** Absolute paths of the recipe's tools, by tool name. */
  tools: Record<string, string>;
  /** The work directory, holding the source file. */
  workDir: string;
  /** Name of the source file in the work directory. */
  sourceFile: string;
  /** Memory limit of the phase, in bytes (runtimes with their own heap are sized from it). */
  memoryBytes: number;
  /** Memory limit of the run phase, for heap limits baked in at compile time. */
  runMemoryBytes: number;
  args: string[];
}

export interface LanguageRecipe {
  id: LanguageId;
  name: string;
  /** Binaries needed, looked up on the tool path. The first one's version is reported. */
  tools: string[];
  /** Source file name for this code (Java names it after the public class). */
  sourceFile(code: string): string;
  compile?(ctx: RecipeContext): string[];
  run(ctx: RecipeContext): string[];
  /** Extra environment for compile and run, on top of the sandbox's minimal one. */
  env?: Record<string, string>;
  version(tools: Record<string, string>): { argv: string[]; parse(output: string): string | null };
  /** Host paths outside the system directories the toolchain reads (bound read-only when they exist). */
  readOnly?: string[];
  /**
   * A file written beside the source before the run: the request's `seed` (e.g. a question's SQL schema
   * and data), or `fallback` when the request has none.
   */
  seed?: { file: string; fallback: string };
  /** True when the run's output says the runtime itself stopped for lack of memory (below the cgroup limit). */
  runtimeOutOfMemory?(exitCode: number | null, output: string): boolean;
}

export const MiB = 1024 * 1024;

/** The JVM would otherwise size itself from the host's RAM and die under the cgroup limit. */
export function jvmFlags(memoryBytes: number, prefix = ""): string[] {
  const total = Math.max(64 * MiB, memoryBytes);
  // Leave room for metaspace, code cache, thread stacks and the JVM's own malloc arenas.
  const heap = Math.max(16 * MiB, Math.floor(total * 0.5));
  return [
    `-XX:MaxRAM=${total}`,
    `-Xmx${Math.floor(heap / MiB)}m`,
    "-Xss8m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:ReservedCodeCacheSize=32m",
    `-XX:MaxMetaspaceSize=${Math.max(32, Math.floor((total * 0.2) / MiB))}m`,
    "-XX:CICompilerCount=1",
    "-XX:-UsePerfData",
    "-XX:-UseContainerSupport",
    "-Xshare:auto",
  ].map((flag) => prefix + flag);
}

export const firstLine = (output: string) => output.trim().split("\n")[0] ?? "";
export const matchVersion = (output: string, pattern: RegExp) => pattern.exec(output)?.[1] ?? null;
