import { replaceText } from "@pairpad/api/documents/store";
import type { LanguageId } from "@pairpad/api/execution/executor";
import type { Participant, RoomDirectory } from "@pairpad/api/ports";
import type { RoomServer } from "./room-server.ts";

/**
 * The live documents and presence of every node. Each call goes where the room is loaded: this
 * node, another node (forwarded over the bus), or, when no node has it, the stored document —
 * the same behaviour as `StoredDocuments`.
 */
export class LiveRoomDirectory implements RoomDirectory {
  constructor(private readonly rooms: RoomServer) {}

  async participants(sessionId: string): Promise<Participant[]> {
    await this.rooms.ready();
    return this.rooms.participants(sessionId);
  }

  async readCode(sessionId: string): Promise<{ code: string; language: LanguageId | null }> {
    const result = await this.rooms.run(sessionId, { op: "read" }, () => this.rooms.readStored(sessionId));
    return result as { code: string; language: LanguageId | null };
  }

  async replaceCode(sessionId: string, code: string, actor: string): Promise<void> {
    await this.rooms.run(sessionId, { op: "replace", code, actor }, () =>
      this.rooms.changeStored(sessionId, actor, (doc) => replaceText(doc.getText("code"), code)),
    );
  }

  setLanguage(sessionId: string, language: LanguageId, actor: string): Promise<void> {
    return this.setMetaAs(sessionId, { language }, actor);
  }

  setMeta(sessionId: string, values: Record<string, unknown>): Promise<void> {
    return this.setMetaAs(sessionId, values, null);
  }

  private async setMetaAs(sessionId: string, values: Record<string, unknown>, actor: string | null) {
    await this.rooms.run(sessionId, { op: "meta", values, actor }, async () => {
      let previous: unknown = null;
      await this.rooms.changeStored(sessionId, actor, (doc) => {
        const meta = doc.getMap("meta");
        previous = meta.get("language") ?? null;
        for (const [key, value] of Object.entries(values)) if (meta.get(key) !== value) meta.set(key, value);
      });
      if (typeof values.language === "string") {
        await this.rooms.storedLanguageChanged(sessionId, values.language, previous as string | null, actor);
      }
    });
  }

  closeSession(sessionId: string, reason: "deleted" | "expired"): Promise<void> {
    return this.rooms.closeSession(sessionId, reason);
  }
}
