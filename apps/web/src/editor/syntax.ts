import { cpp } from "@codemirror/lang-cpp";
import { java } from "@codemirror/lang-java";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import type { Extension } from "@codemirror/state";
import type { LanguageId } from "../trpc.ts";

/** Syntax highlighting and language support per language (kept out of the landing page's bundle). */
const syntaxes: Record<LanguageId, () => Extension> = {
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  python: () => python(),
  java: () => java(),
  cpp: () => cpp(),
};

export function syntaxFor(language: LanguageId): Extension {
  return syntaxes[language]();
}
