import { cpp } from "@codemirror/lang-cpp";
import { go } from "@codemirror/lang-go";
import { java } from "@codemirror/lang-java";
import { javascript } from "@codemirror/lang-javascript";
import { php } from "@codemirror/lang-php";
import { python } from "@codemirror/lang-python";
import { rust } from "@codemirror/lang-rust";
import { SQLite, sql } from "@codemirror/lang-sql";
import { StreamLanguage, type StreamParser } from "@codemirror/language";
import { csharp, kotlin, scala } from "@codemirror/legacy-modes/mode/clike";
import { haskell } from "@codemirror/legacy-modes/mode/haskell";
import { lua } from "@codemirror/legacy-modes/mode/lua";
import { perl } from "@codemirror/legacy-modes/mode/perl";
import { r } from "@codemirror/legacy-modes/mode/r";
import { ruby } from "@codemirror/legacy-modes/mode/ruby";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import type { Extension } from "@codemirror/state";
import type { LanguageId } from "../trpc.ts";

/** Languages without a Lezer grammar of their own use CodeMirror's ported stream modes. */
const legacy = (parser: StreamParser<unknown>) => () => StreamLanguage.define(parser);

/** Syntax highlighting and language support per language (kept out of the landing page's bundle). */
const syntaxes: Record<LanguageId, () => Extension> = {
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  python: () => python(),
  java: () => java(),
  cpp: () => cpp(),
  go: () => go(),
  rust: () => rust(),
  php: () => php({ plain: true }),
  sql: () => sql({ dialect: SQLite }),
  ruby: legacy(ruby),
  csharp: legacy(csharp),
  kotlin: legacy(kotlin),
  scala: legacy(scala),
  bash: legacy(shell),
  haskell: legacy(haskell),
  lua: legacy(lua),
  perl: legacy(perl),
  r: legacy(r),
};

export function syntaxFor(language: LanguageId): Extension {
  return syntaxes[language]();
}
