import {
  Compartment,
  EditorState,
  type Extension,
  RangeSetBuilder,
  StateEffect,
  StateField,
} from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import type { LanguageId } from "../trpc.ts";
import { languageLabel } from "./languages.ts";
import { syntaxFor } from "./syntax.ts";
import { pairpadTheme } from "./theme.ts";

/** A stretch of the code and the colour of its author (`null`: nobody known). */
export interface ColouredSpan {
  from: number;
  to: number;
  author: string | null;
  color: string | null;
}

interface Props {
  code: string;
  language: LanguageId;
  spans: ColouredSpan[];
}

const setAuthorship = StateEffect.define<DecorationSet>();

const authorship = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update: (decorations, tr) => {
    for (const effect of tr.effects) if (effect.is(setAuthorship)) return effect.value;
    return decorations.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

function decorate(spans: ColouredSpan[], length: number): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const span of spans) {
    const to = Math.min(span.to, length);
    if (span.color === null || span.author === null || span.from >= to) continue;
    builder.add(
      span.from,
      to,
      Decoration.mark({
        class: "cm-authored",
        attributes: {
          style: `--author-color: ${span.color}`,
          "data-author": span.author,
          title: span.author,
        },
      }),
    );
  }
  return builder.finish();
}

/** The one change that turns `before` into `after`: the differing middle between a common prefix and suffix. */
function difference(before: string, after: string) {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

/**
 * A read-only CodeMirror showing the replayed code. Each new point applies only what changed, so
 * scrolling and selection stay put, and the view follows the change as it plays.
 */
export function ReplayEditor({ code, language, spans }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const syntax = useRef(new Compartment());
  const naming = useRef(new Compartment());
  const initial = useRef({ code, language, spans });

  useEffect(() => {
    if (!host.current) return;
    const first = initial.current;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: first.code,
        extensions: [
          basicSetup,
          pairpadTheme,
          EditorState.readOnly.of(true),
          authorship.init(() => decorate(first.spans, first.code.length)),
          syntax.current.of(syntaxFor(first.language)),
          naming.current.of(accessibleName(first.language)),
        ],
      }),
    });
    view.current = editor;
    return () => {
      view.current = null;
      editor.destroy();
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const change = difference(editor.state.doc.toString(), code);
    const changed = change.from !== change.to || change.insert !== "";
    editor.dispatch({
      changes: changed ? change : undefined,
      effects: [
        setAuthorship.of(decorate(spans, code.length)),
        ...(changed ? [EditorView.scrollIntoView(change.from + change.insert.length, { y: "nearest" })] : []),
      ],
    });
  }, [code, spans]);

  useEffect(() => {
    view.current?.dispatch({
      effects: [
        syntax.current.reconfigure(syntaxFor(language)),
        naming.current.reconfigure(accessibleName(language)),
      ],
    });
  }, [language]);

  return <div className="editor-host" ref={host} data-language={language} data-testid="replay-editor" />;
}

function accessibleName(language: LanguageId): Extension {
  return EditorView.contentAttributes.of({
    "aria-label": `Replayed code, ${languageLabel(language)}, read-only`,
  });
}
