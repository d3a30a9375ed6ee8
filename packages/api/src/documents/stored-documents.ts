import type { LanguageId } from "../execution/executor.ts";
import type { Clock, Participant, RoomDirectory } from "../ports.ts";
import { CODE_TEXT, type DocumentStore, META_MAP, replaceText } from "./store.ts";

/** A room directory with no live rooms: every read and change goes to the stored document. */
export class StoredDocuments implements RoomDirectory {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock = () => new Date(),
  ) {}

  async participants(_sessionId: string): Promise<Participant[]> {
    return [];
  }

  readCode(sessionId: string) {
    return this.store.readCode(sessionId);
  }

  replaceCode(sessionId: string, code: string, actor: string): Promise<void> {
    return this.store.change(sessionId, actor, this.clock(), (doc) =>
      replaceText(doc.getText(CODE_TEXT), code),
    );
  }

  setLanguage(sessionId: string, language: LanguageId, actor: string): Promise<void> {
    return this.setMetaAs(sessionId, { language }, actor);
  }

  setMeta(sessionId: string, values: Record<string, unknown>): Promise<void> {
    return this.setMetaAs(sessionId, values, null);
  }

  private setMetaAs(sessionId: string, values: Record<string, unknown>, actor: string | null) {
    return this.store.change(sessionId, actor, this.clock(), (doc) => {
      const meta = doc.getMap(META_MAP);
      for (const [key, value] of Object.entries(values)) if (meta.get(key) !== value) meta.set(key, value);
    });
  }

  async closeSession(): Promise<void> {}
}
