import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import type { Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

const ink = {
  background: "#0f1117",
  gutter: "#0f1117",
  gutterText: "#4b5263",
  activeLine: "#161a23",
  selection: "#2b3550",
  text: "#d7dce5",
  caret: "#f1f3f8",
  border: "#232838",
};

const editorChrome = EditorView.theme(
  {
    "&": { color: ink.text, backgroundColor: ink.background, height: "100%" },
    ".cm-scroller": {
      fontFamily: "var(--font-mono)",
      fontSize: "14px",
      lineHeight: "1.6",
    },
    ".cm-content": { caretColor: ink.caret, padding: "12px 0" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: ink.caret, borderLeftWidth: "2px" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
      { backgroundColor: ink.selection },
    ".cm-activeLine": { backgroundColor: ink.activeLine },
    ".cm-gutters": { backgroundColor: ink.gutter, color: ink.gutterText, border: "none", paddingLeft: "6px" },
    ".cm-activeLineGutter": { backgroundColor: ink.activeLine, color: "#9aa3b5" },
    ".cm-foldPlaceholder": { backgroundColor: "transparent", border: "none", color: "#7f8aa3" },
    ".cm-tooltip": { border: `1px solid ${ink.border}`, backgroundColor: "#171b26", color: ink.text },
    ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "#2b3550", color: ink.caret },
    ".cm-panels": { backgroundColor: "#141823", color: ink.text },
    ".cm-searchMatch": { backgroundColor: "#4d3f12", outline: "1px solid #7a6420" },
    ".cm-selectionMatch": { backgroundColor: "#23304a" },
    "&.cm-focused .cm-matchingBracket": { backgroundColor: "#2f3a55", outline: "1px solid #4a5a80" },
    ".cm-placeholder": { color: "#5b6478", fontStyle: "italic" },
    // Remote carets: the author's name stays visible above the caret, not only on hover.
    ".cm-ySelectionCaret": { borderLeftWidth: "2px", borderRightWidth: "0" },
    ".cm-ySelectionInfo": {
      opacity: "1",
      top: "-1.45em",
      left: "-2px",
      fontFamily: "var(--font-sans)",
      fontSize: "11px",
      fontWeight: "600",
      padding: "1px 5px",
      borderRadius: "4px 4px 4px 0",
      lineHeight: "1.35",
    },
    ".cm-ySelectionCaretDot": { display: "none" },
  },
  { dark: true },
);

const highlighting = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: "#c792ea" },
  { tag: [t.definitionKeyword, t.modifier], color: "#c792ea" },
  { tag: [t.string, t.special(t.string), t.character], color: "#a5d6a7" },
  { tag: [t.regexp, t.escape], color: "#f78c6c" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "#f9a870" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "#6a7489", fontStyle: "italic" },
  { tag: [t.docComment], color: "#7d88a0", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: "#82aaff" },
  { tag: [t.definition(t.variableName), t.definition(t.function(t.variableName))], color: "#e6e9f0" },
  { tag: [t.typeName, t.className, t.namespace], color: "#ffcb6b" },
  { tag: [t.propertyName, t.attributeName], color: "#89ddff" },
  { tag: [t.operator, t.punctuation, t.separator, t.bracket], color: "#9aa5bd" },
  { tag: [t.meta, t.annotation, t.processingInstruction], color: "#f07178" },
  { tag: t.self, color: "#ff9cac", fontStyle: "italic" },
  { tag: t.invalid, color: "#ff5370" },
  { tag: t.strong, fontWeight: "bold" },
  { tag: t.emphasis, fontStyle: "italic" },
]);

export const pairpadTheme: Extension = [editorChrome, syntaxHighlighting(highlighting)];
