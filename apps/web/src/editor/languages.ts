import type { LanguageId } from "../trpc.ts";

/** Display names of the API's languages; the `Record` makes a new API language a type error until it is added. */
const labels: Record<LanguageId, string> = {
  javascript: "JavaScript",
  typescript: "TypeScript",
  python: "Python",
  java: "Java",
  cpp: "C++",
  go: "Go",
  rust: "Rust",
  ruby: "Ruby",
  php: "PHP",
  csharp: "C#",
  kotlin: "Kotlin",
  bash: "Bash",
  sql: "SQL (SQLite)",
  scala: "Scala",
  haskell: "Haskell",
  lua: "Lua",
  perl: "Perl",
  r: "R",
};

export const languageIds = Object.keys(labels) as LanguageId[];

export function isLanguageId(value: unknown): value is LanguageId {
  return typeof value === "string" && Object.hasOwn(labels, value);
}

export function languageLabel(id: LanguageId): string {
  return labels[id];
}
