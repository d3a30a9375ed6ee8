import { realpathSync } from "node:fs";
import { dirname } from "node:path";
import {
  type LanguageId,
  type LanguageInfo,
  LanguageUnavailableError,
} from "@pairpad/api/execution/executor";

import { firstLine, jvmFlags, type LanguageRecipe, matchVersion, type RecipeContext } from "./recipe.ts";
import { compiledRecipes } from "./recipes-compiled.ts";
import { interpretedRecipes } from "./recipes-interpreted.ts";

export type { LanguageRecipe, RecipeContext };
export { LanguageUnavailableError };

export const recipes: Record<LanguageId, LanguageRecipe> = {
  javascript: {
    id: "javascript",
    name: "JavaScript (Bun)",
    tools: ["bun"],
    sourceFile: () => "main.js",
    run: (ctx) => [ctx.tools.bun ?? "bun", "--no-install", "run", ctx.sourceFile, ...ctx.args],
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", BUN_INSTALL_CACHE_DIR: "/tmp/.bun", NO_COLOR: "1" },
    version: (tools) => ({
      argv: [tools.bun ?? "bun", "--version"],
      parse: (out) => matchVersion(out, /(\d+\.\d+\.\d+\S*)/),
    }),
  },
  typescript: {
    id: "typescript",
    name: "TypeScript (Bun)",
    tools: ["bun"],
    sourceFile: () => "main.ts",
    run: (ctx) => [ctx.tools.bun ?? "bun", "--no-install", "run", ctx.sourceFile, ...ctx.args],
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", BUN_INSTALL_CACHE_DIR: "/tmp/.bun", NO_COLOR: "1" },
    version: (tools) => ({
      argv: [tools.bun ?? "bun", "--version"],
      parse: (out) => matchVersion(out, /(\d+\.\d+\.\d+\S*)/),
    }),
  },
  python: {
    id: "python",
    name: "Python 3",
    tools: ["python3"],
    sourceFile: () => "main.py",
    // -I: ignore PYTHON* variables and the user site; -B: no .pyc files in the work dir.
    run: (ctx) => [ctx.tools.python3 ?? "python3", "-I", "-B", ctx.sourceFile, ...ctx.args],
    env: { PYTHONIOENCODING: "utf-8" },
    version: (tools) => ({
      argv: [tools.python3 ?? "python3", "--version"],
      parse: (out) => matchVersion(out, /Python\s+(\S+)/),
    }),
  },
  java: {
    id: "java",
    name: "Java",
    tools: ["java", "javac"],
    sourceFile: (code) => `${javaMainClass(code)}.java`,
    compile: (ctx) => [
      ctx.tools.javac ?? "javac",
      ...jvmFlags(ctx.memoryBytes, "-J"),
      "-encoding",
      "UTF-8",
      "-g:none",
      "-d",
      ctx.workDir,
      ctx.sourceFile,
    ],
    run: (ctx) => [
      ctx.tools.java ?? "java",
      ...jvmFlags(ctx.memoryBytes),
      "-XX:+ExitOnOutOfMemoryError",
      "-Dfile.encoding=UTF-8",
      "-cp",
      ctx.workDir,
      ctx.sourceFile.replace(/\.java$/, ""),
      ...ctx.args,
    ],
    version: (tools) => ({
      argv: [tools.java ?? "java", "-XX:+UseSerialGC", "-version"],
      parse: (out) => matchVersion(out, /version "([^"]+)"/) ?? firstLine(out),
    }),
    // -XX:+ExitOnOutOfMemoryError exits with status 3 after printing this line (on stdout).
    runtimeOutOfMemory: (exitCode, output) =>
      exitCode === 3 && /^Terminating due to java\.lang\.OutOfMemoryError/m.test(output),
  },
  cpp: {
    id: "cpp",
    name: "C++ (g++)",
    tools: ["g++"],
    sourceFile: () => "main.cpp",
    compile: (ctx) => [
      ctx.tools["g++"] ?? "g++",
      "-std=c++17",
      "-O2",
      "-pipe",
      "-fdiagnostics-color=never",
      "-o",
      "main",
      ctx.sourceFile,
    ],
    run: (ctx) => [`${ctx.workDir}/main`, ...ctx.args],
    version: (tools) => ({
      argv: [tools["g++"] ?? "g++", "-dumpfullversion"],
      parse: (out) => matchVersion(out, /(\d+(?:\.\d+)*)/),
    }),
  },
  ...compiledRecipes,
  ...interpretedRecipes,
};

/** The class javac and java need: the public top-level class, else Main. */
export function javaMainClass(code: string): string {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  const match = /\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*class\s+([A-Za-z_$][\w$]*)/.exec(
    withoutComments,
  );
  return match?.[1] ?? "Main";
}

export interface DetectedLanguage {
  info: LanguageInfo;
  /** Resolved real paths of the tools, when available. */
  tools: Record<string, string>;
}

/** A recipe's tools found on `toolPath`, resolved through symlinks (never through version-manager shims). */
export function findTools(
  recipe: LanguageRecipe,
  toolPath: string,
): { tools: Record<string, string>; missing: string[] } {
  const tools: Record<string, string> = {};
  const missing: string[] = [];
  for (const tool of recipe.tools) {
    const found = Bun.which(tool, { PATH: toolPath });
    if (!found) {
      missing.push(tool);
      continue;
    }
    try {
      tools[tool] = realpathSync(found);
    } catch {
      missing.push(tool);
    }
  }
  return { tools, missing };
}

/** Whether a language can run here, and its toolchain's version (asked of the toolchain itself). */
export async function detectLanguage(
  recipe: LanguageRecipe,
  toolPath: string,
  probe: (argv: string[]) => Promise<string | null>,
): Promise<DetectedLanguage> {
  const { tools, missing } = findTools(recipe, toolPath);
  const base = { id: recipe.id, name: recipe.name };
  if (missing.length > 0) {
    const reason = `${missing.join(" and ")} not found on ${toolPath}`;
    return { info: { ...base, version: null, available: false, reason }, tools };
  }
  const { argv, parse } = recipe.version(tools);
  const output = await probe(argv);
  if (output === null) {
    const reason = `${argv.join(" ")} failed`;
    return { info: { ...base, version: null, available: false, reason }, tools };
  }
  return { info: { ...base, version: parse(output), available: true }, tools };
}

/**
 * Each language's detection, started together: a slow toolchain (a JVM compiler asked its version) delays
 * only its own language.
 */
export function startDetection(
  toolPath: string,
  probe: (argv: string[]) => Promise<string | null>,
): Record<LanguageId, Promise<DetectedLanguage>> {
  return Object.fromEntries(
    Object.values(recipes).map((recipe) => [recipe.id, detectLanguage(recipe, toolPath, probe)]),
  ) as Record<LanguageId, Promise<DetectedLanguage>>;
}

/** Every language's detection, once all are done. */
export async function detectLanguages(
  toolPath: string,
  probe: (argv: string[]) => Promise<string | null>,
): Promise<Record<LanguageId, DetectedLanguage>> {
  const started = startDetection(toolPath, probe);
  const entries = await Promise.all(
    Object.entries(started).map(async ([id, detected]) => [id, await detected] as const),
  );
  return Object.fromEntries(entries) as Record<LanguageId, DetectedLanguage>;
}

/** Directories outside the usual system ones that hold a tool (e.g. a toolchain under /opt), to bind read-only. */
export function toolPrefixes(tools: Iterable<string>, covered: string[]): string[] {
  const prefixes = new Set<string>();
  for (const tool of tools) {
    if (covered.some((dir) => tool === dir || tool.startsWith(`${dir}/`))) continue;
    // <prefix>/bin/<tool> → <prefix>, so the toolchain's libraries come along.
    const binDir = dirname(tool);
    prefixes.add(binDir.endsWith("/bin") ? dirname(binDir) : binDir);
  }
  return [...prefixes];
}
