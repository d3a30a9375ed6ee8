import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { isLanguageId } from "../editor/languages.ts";
import { cursorColors } from "../identity.ts";
import type { LanguageId, Role } from "../trpc.ts";

/** Close codes of the real-time server (public contract). */
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_DELETED = 4410;

export type Connection = "connecting" | "connected" | "reconnecting" | "closed";

export interface RoomUser {
  name: string;
  color: string;
  role: Role;
}

export interface Peer extends RoomUser {
  clientId: number;
  isSelf: boolean;
}

export interface RoomState {
  connection: Connection;
  /** The first full sync with the server has happened. */
  synced: boolean;
  /** Why the server closed the room for good (4404, 4410, …), if it did. */
  closedWith: { code: number; reason: string } | null;
  language: LanguageId | null;
  locked: boolean;
  peers: Peer[];
}

const roles: readonly Role[] = ["interviewer", "candidate", "observer"];
/** Socket tickets last ten minutes: a fresh one every three keeps reconnects working. */
const TICKET_REFRESH_MS = 3 * 60_000;
const TICKET_RETRY_MS = 2_000;

function readUser(value: unknown): RoomUser | null {
  if (!value || typeof value !== "object") return null;
  const { name, color, role } = value as Record<string, unknown>;
  if (typeof name !== "string" || typeof color !== "string") return null;
  return { name, color, role: roles.includes(role as Role) ? (role as Role) : "candidate" };
}

/**
 * One session's shared document: the Y.Doc with `code` and `meta`, the WebSocket provider and
 * the awareness of who is here. Exposes a plain snapshot for `useSyncExternalStore`.
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly code: Y.Text;
  readonly meta: Y.Map<unknown>;
  readonly provider: WebsocketProvider;
  private state: RoomState;
  private everConnected = false;
  private user: RoomUser;
  private readonly listeners = new Set<() => void>();

  private ticketTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  /**
   * `ticket` (the interviewer): fetches a short-lived socket ticket, so that the interviewer token
   * never goes into the WebSocket URL; the socket opens once the first one is in, and a fresh one
   * is kept ready for reconnects.
   */
  constructor(options: {
    sessionId: string;
    wsBase: string;
    ticket: (() => Promise<string>) | null;
    user: RoomUser;
  }) {
    this.code = this.doc.getText("code");
    this.meta = this.doc.getMap("meta");
    // `role=observer` only matters on links made before observer ids (the server decides).
    const params: Record<string, string> =
      !options.ticket && options.user.role === "observer" ? { role: "observer" } : {};
    this.state = {
      connection: "connecting",
      synced: false,
      closedWith: null,
      language: null,
      locked: false,
      peers: [],
    };
    this.provider = new WebsocketProvider(options.wsBase, options.sessionId, this.doc, {
      params,
      connect: options.ticket === null,
      // Every change goes through the server, which decides what is allowed.
      disableBc: true,
    });
    if (options.ticket) this.keepTicket(options.ticket);
    this.user = { ...options.user };
    this.provider.awareness.setLocalStateField("user", { ...this.user });

    this.provider.on("status", ({ status }) => {
      if (status === "connected") this.everConnected = true;
      const connection: Connection =
        status === "connected" ? "connected" : this.everConnected ? "reconnecting" : "connecting";
      if (this.state.connection !== "closed") this.update({ connection });
    });
    this.provider.on("sync", (synced) => {
      if (synced) this.update({ synced: true });
    });
    this.provider.on("closed", (event) => {
      this.update({ connection: "closed", closedWith: { code: event.code, reason: event.reason } });
    });
    this.meta.observe(() => this.readMeta());
    this.provider.awareness.on("change", () => this.readPeers());
    this.readMeta();
    this.readPeers();
  }

  get awareness() {
    return this.provider.awareness;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getState = (): RoomState => this.state;

  setLanguage(language: LanguageId) {
    if (this.meta.get("language") !== language) this.meta.set("language", language);
  }

  /** Changes the name this participant appears under. */
  setName(name: string) {
    if (name === this.user.name) return;
    this.user = { ...this.user, name };
    this.provider.awareness.setLocalStateField("user", { ...this.user });
  }

  /** Fetches a ticket now and every few minutes (tickets last ten); connects once the first is in. */
  private keepTicket(fetchTicket: () => Promise<string>) {
    let connected = false;
    const refresh = async () => {
      let next = TICKET_REFRESH_MS;
      try {
        const ticket = await fetchTicket();
        if (this.destroyed) return;
        this.provider.params = { ...this.provider.params, ticket };
        if (!connected) {
          connected = true;
          this.provider.connect();
        }
      } catch {
        // Offline or the server restarting: try again soon.
        next = TICKET_RETRY_MS;
      }
      if (!this.destroyed) this.ticketTimer = setTimeout(() => void refresh(), next);
    };
    void refresh();
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.ticketTimer);
    this.listeners.clear();
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
  }

  private readMeta() {
    const language = this.meta.get("language");
    this.update({
      language: isLanguageId(language) ? language : null,
      locked: this.meta.get("locked") === true,
    });
  }

  private readPeers() {
    const self = this.doc.clientID;
    const peers: Peer[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = readUser(state.user);
      if (user) peers.push({ ...user, clientId, isSelf: clientId === self });
    }
    if (this.avoidColorClash(peers)) return; // the awareness change calls back in with the new colour
    const rank = (p: Peer) => (p.isSelf ? 0 : 1) + roles.indexOf(p.role) * 2;
    peers.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
    this.update({ peers });
  }

  /** Two people with one colour cannot tell their cursors apart: the later joiner takes a free one. */
  private avoidColorClash(peers: Peer[]): boolean {
    const me = peers.find((p) => p.isSelf);
    if (!me || !peers.some((p) => !p.isSelf && p.color === me.color && p.clientId < me.clientId))
      return false;
    const taken = new Set(peers.filter((p) => !p.isSelf).map((p) => p.color));
    const free = cursorColors.find((c) => !taken.has(c));
    if (!free) return false;
    this.user = { ...this.user, color: free };
    this.provider.awareness.setLocalStateField("user", { ...this.user });
    return true;
  }

  private update(patch: Partial<RoomState>) {
    const next = { ...this.state, ...patch };
    const changed = (Object.keys(patch) as Array<keyof RoomState>).some((key) =>
      key === "peers" ? !samePeers(this.state.peers, next.peers) : this.state[key] !== next[key],
    );
    if (!changed) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function samePeers(a: Peer[], b: Peer[]) {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return q && p.clientId === q.clientId && p.name === q.name && p.color === q.color && p.role === q.role;
    })
  );
}

export function webSocketBase(): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/sessions`;
}
