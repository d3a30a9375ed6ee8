import { languageIds } from "@pairpad/api/execution/executor";
import { documentLanguageChanged, setSessionLanguage } from "@pairpad/api/session/language";
import type { SessionRow } from "@pairpad/db/schema";
import type { Background } from "./background.ts";
import { Connection } from "./connection.ts";
import type { Fanout } from "./fanout.ts";
import { ServerChange } from "./origins.ts";
import type { Room } from "./room.ts";
import type { RoomServerDeps } from "./room-server.ts";

interface LanguageChange {
  language: string;
  previous: string | null;
  actor: string | null;
}

export const validLanguage = (value: unknown): value is (typeof languageIds)[number] =>
  typeof value === "string" && (languageIds as readonly string[]).includes(value);

export interface RoomMetaOptions {
  deps: Pick<RoomServerDeps, "db" | "events" | "clock" | "logger">;
  fanout: Fanout;
  background: Background;
  /** The session was locked (the interview ended): its live run stops. */
  onLocked?(sessionId: string): void;
}

/**
 * The rules of a room's `meta` map: only the server locks and unlocks a session; a language is one
 * the sandbox runs, and changing it updates the session row, the history and the events.
 */
export class RoomMeta {
  /** Per session, the language change waiting for the one being written (later ones join it). */
  private readonly waiting = new Map<string, LanguageChange>();

  constructor(private readonly options: RoomMetaOptions) {}

  /** Watches the room's `meta` for as long as the room lives. */
  observe(room: Room): void {
    const { fanout } = this.options;
    room.meta.observe((event) => {
      const origin = event.transaction.origin;
      const byClient = origin instanceof Connection;
      if (event.keysChanged.has("locked")) {
        if (byClient) {
          // Only the server locks and unlocks a session.
          queueMicrotask(() => fanout.setMeta(room, { locked: room.locked }, null, false));
        } else {
          room.locked = room.meta.get("locked") === true;
          if (room.locked) this.options.onLocked?.(room.sessionId);
        }
      }
      if (event.keysChanged.has("language")) {
        const language = room.meta.get("language");
        const previous = room.language;
        if (!validLanguage(language)) {
          if (byClient && previous)
            queueMicrotask(() => fanout.setMeta(room, { language: previous }, null, false));
          return;
        }
        room.language = language;
        const sideEffects = byClient || (origin instanceof ServerChange && origin.sideEffects);
        if (sideEffects && language !== previous) {
          const actor = byClient ? origin.actor : (origin as ServerChange).actor;
          this.languageChanged(room.sessionId, { language, previous, actor });
        }
      }
    });
  }

  /**
   * Updates the session row, the history and the events, in the order of the changes. Changes made
   * while one is being written wait as one, the latest: a client flipping the language in a loop
   * (a hundred updates a second) queued two writes and an event per flip, without bound.
   */
  private languageChanged(sessionId: string, change: LanguageChange): void {
    const waiting = this.waiting.get(sessionId);
    if (waiting) {
      waiting.language = change.language;
      waiting.actor = change.actor;
      return;
    }
    this.waiting.set(sessionId, change);
    this.options.background.inOrder(sessionId, "language", async () => {
      const next = this.waiting.get(sessionId);
      this.waiting.delete(sessionId);
      // Back where it was before the changes that waited: nothing changed.
      if (!next || next.language === next.previous) return;
      await documentLanguageChanged(this.options.deps, sessionId, next);
    });
  }

  /** `sessions.language`/`status` and `meta.language`/`locked` agree after a load. */
  reconcile(room: Room, session: SessionRow): void {
    const meta = room.meta;
    const language = meta.get("language");
    const locked = session.status === "ended";
    room.locked = locked;
    room.language = validLanguage(language) ? language : session.language;
    const fixes: Record<string, unknown> = {};
    if (!validLanguage(language)) fixes.language = session.language;
    if ((meta.get("locked") === true) !== locked) fixes.locked = locked;
    if (Object.keys(fixes).length > 0) {
      this.options.fanout.change(room, new ServerChange(null, false), () => {
        for (const [key, value] of Object.entries(fixes)) meta.set(key, value);
      });
    }
    if (validLanguage(language) && language !== session.language) {
      this.options.background.inOrder(room.sessionId, "language", () =>
        setSessionLanguage(this.options.deps, room.sessionId, language),
      );
    }
  }
}
