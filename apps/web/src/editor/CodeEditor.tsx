import { indentWithTab } from "@codemirror/commands";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as Y from "yjs";
import type { Room } from "../room/Room.ts";
import type { LanguageId } from "../trpc.ts";
import { languageLabel } from "./languages.ts";
import { syntaxFor } from "./syntax.ts";
import { pairpadTheme } from "./theme.ts";

const EDITOR_HINT_ID = "editor-keyboard-hint";

interface Props {
  room: Room;
  language: LanguageId;
  readOnly: boolean;
  onRun: () => void;
}

/** CodeMirror bound to the room's shared `code` text, with everyone's cursors. */
export function CodeEditor({ room, language, readOnly, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const syntax = useRef(new Compartment());
  const editable = useRef(new Compartment());
  const run = useRef(onRun);
  run.current = onRun;
  // The first values only; later changes arrive through the effects below.
  const initial = useRef({ language, readOnly });

  useEffect(() => {
    if (!host.current) return;
    const undoManager = new Y.UndoManager(room.code);
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: room.code.toString(),
        extensions: [
          // Above basicSetup: Mod-Enter runs instead of inserting a line; undo is per author.
          Prec.highest(
            keymap.of([
              {
                key: "Mod-Enter",
                run: () => {
                  run.current();
                  return true;
                },
              },
              ...yUndoManagerKeymap,
            ]),
          ),
          basicSetup,
          keymap.of([indentWithTab]),
          pairpadTheme,
          placeholder("Start typing; everyone in the room sees it live."),
          syntax.current.of(syntaxFor(initial.current.language)),
          editable.current.of(editMode(initial.current.language, initial.current.readOnly)),
          yCollab(room.code, room.awareness, { undoManager }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      view.current = null;
      editor.destroy();
      undoManager.destroy();
    };
  }, [room]);

  useEffect(() => {
    view.current?.dispatch({ effects: syntax.current.reconfigure(syntaxFor(language)) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(editMode(language, readOnly)) });
  }, [language, readOnly]);

  return (
    <>
      <p id={EDITOR_HINT_ID} className="sr-only">
        Control or Command plus Enter runs the code. Tab indents; press Escape, then Tab, to leave the editor.
      </p>
      <div className="editor-host" ref={host} data-language={language} data-readonly={readOnly} />
    </>
  );
}

function editMode(language: LanguageId, readOnly: boolean) {
  return [
    EditorState.readOnly.of(readOnly),
    EditorView.contentAttributes.of({
      "aria-label": `Code editor, ${languageLabel(language)}${readOnly ? ", read-only" : ""}`,
      "aria-describedby": EDITOR_HINT_ID,
    }),
  ];
}
