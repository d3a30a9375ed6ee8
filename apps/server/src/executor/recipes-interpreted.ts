import type { LanguageRecipe } from "./recipe.ts";
import { MiB, matchVersion } from "./recipe.ts";
import { sampleSchema } from "./sample-schema.ts";

type Recipes = Record<"ruby" | "php" | "bash" | "sql" | "lua" | "perl" | "r", LanguageRecipe>;

/** Interpreted languages added after the first five: each runs its source file directly. */
export const interpretedRecipes: Recipes = {
  ruby: {
    id: "ruby",
    name: "Ruby",
    tools: ["ruby"],
    sourceFile: () => "main.rb",
    run: (ctx) => [ctx.tools.ruby ?? "ruby", ctx.sourceFile, ...ctx.args],
    env: { RUBYOPT: "" },
    version: (tools) => ({
      argv: [tools.ruby ?? "ruby", "--version"],
      parse: (out) => matchVersion(out, /ruby (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /NoMemoryError|failed to allocate memory/.test(output),
  },
  php: {
    id: "php",
    name: "PHP",
    tools: ["php"],
    sourceFile: () => "main.php",
    // Errors to stderr (the CLI prints them on stdout by default); PHP's own memory cap just under ours,
    // so a hog gets PHP's clear message rather than the kernel's kill.
    run: (ctx) => [
      ctx.tools.php ?? "php",
      "-d",
      "display_errors=stderr",
      "-d",
      "log_errors=0",
      "-d",
      `memory_limit=${Math.floor((ctx.memoryBytes * 0.75) / MiB)}M`,
      ctx.sourceFile,
      ...ctx.args,
    ],
    version: (tools) => ({
      argv: [tools.php ?? "php", "--version"],
      parse: (out) => matchVersion(out, /PHP (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /Allowed memory size of \d+ bytes exhausted/.test(output),
  },
  bash: {
    id: "bash",
    name: "Bash",
    tools: ["bash"],
    sourceFile: () => "main.sh",
    run: (ctx) => [ctx.tools.bash ?? "bash", ctx.sourceFile, ...ctx.args],
    version: (tools) => ({
      argv: [tools.bash ?? "bash", "--version"],
      parse: (out) => matchVersion(out, /version (\d+\.\d+\.\d+)/),
    }),
  },
  sql: {
    id: "sql",
    name: "SQL (SQLite)",
    tools: ["sqlite3"],
    sourceFile: () => "main.sql",
    seed: { file: "seed.sql", fallback: sampleSchema },
    // An in-memory database: the seed (the question's schema and data) first, then the code; the first
    // error stops it with a non-zero status.
    run: (ctx) => [
      ctx.tools.sqlite3 ?? "sqlite3",
      "-bail",
      "-batch",
      "-header",
      "-column",
      ":memory:",
      ".read seed.sql",
      `.read ${ctx.sourceFile}`,
    ],
    version: (tools) => ({
      argv: [tools.sqlite3 ?? "sqlite3", "--version"],
      parse: (out) => matchVersion(out, /^(\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /out of memory/i.test(output),
  },
  lua: {
    id: "lua",
    name: "Lua",
    tools: ["lua5.4"],
    sourceFile: () => "main.lua",
    run: (ctx) => [ctx.tools["lua5.4"] ?? "lua5.4", ctx.sourceFile, ...ctx.args],
    version: (tools) => ({
      argv: [tools["lua5.4"] ?? "lua5.4", "-v"],
      parse: (out) => matchVersion(out, /Lua (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /not enough memory/.test(output),
  },
  perl: {
    id: "perl",
    name: "Perl",
    tools: ["perl"],
    sourceFile: () => "main.pl",
    run: (ctx) => [ctx.tools.perl ?? "perl", ctx.sourceFile, ...ctx.args],
    version: (tools) => ({
      argv: [tools.perl ?? "perl", "-e", "print $^V"],
      parse: (out) => matchVersion(out, /v(\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /Out of memory/.test(output),
  },
  r: {
    id: "r",
    name: "R",
    tools: ["Rscript"],
    sourceFile: () => "main.R",
    run: (ctx) => [ctx.tools.Rscript ?? "Rscript", "--vanilla", ctx.sourceFile, ...ctx.args],
    version: (tools) => ({
      argv: [tools.Rscript ?? "Rscript", "--version"],
      parse: (out) => matchVersion(out, /version (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /cannot allocate (vector|memory)/.test(output),
  },
};
