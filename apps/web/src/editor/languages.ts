import { cpp } from "@codemirror/lang-cpp";
import { java } from "@codemirror/lang-java";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import type { Extension } from "@codemirror/state";
import type { LanguageId } from "../trpc.ts";

interface LanguageView {
  label: string;
  syntax: () => Extension;
}

/** How each language of the API looks here; the `Record` makes a new API language a type error until it is added. */
export const languageViews: Record<LanguageId, LanguageView> = {
  javascript: { label: "JavaScript", syntax: () => javascript() },
  typescript: { label: "TypeScript", syntax: () => javascript({ typescript: true }) },
  python: { label: "Python", syntax: () => python() },
  java: { label: "Java", syntax: () => java() },
  cpp: { label: "C++", syntax: () => cpp() },
};

export const languageIds = Object.keys(languageViews) as LanguageId[];

export function isLanguageId(value: unknown): value is LanguageId {
  return typeof value === "string" && Object.hasOwn(languageViews, value);
}

export function languageLabel(id: LanguageId): string {
  return languageViews[id].label;
}
