import type { RoomDirectory } from "@pairpad/api/ports";
import type { Server, WebSocketHandler } from "bun";
import type { Connection } from "./connection.ts";
import { LiveRoomDirectory } from "./directory.ts";
import { RoomServer, type RoomServerDeps } from "./room-server.ts";
import type { RoomStats } from "./stats.ts";

export { CloseCode } from "./close-codes.ts";
export { type RoomConfig, roomDefaults } from "./config.ts";
export type { Connection as RoomConnection, SocketData } from "./connection.ts";
export type { RoomServerDeps } from "./room-server.ts";
export type { RoomStats } from "./stats.ts";

/** What the HTTP layer needs from the real-time server. */
export interface Rooms {
  /** Live documents and presence for `packages/api`, across nodes. */
  directory: RoomDirectory;
  /**
   * Route `/ws/sessions/:id` here; returns a Response only when it did not upgrade. `clientKey`: who
   * the client is for per-client limits (its address, as http.ts resolves it).
   */
  upgrade(
    req: Request,
    server: Server<Connection>,
    sessionId: string,
    clientKey?: string,
  ): Promise<Response | undefined>;
  /** Pass to `Bun.serve({ websocket })`. */
  websocket: WebSocketHandler<Connection>;
  stats(): RoomStats;
  /** Resolves once this node listens on the bus. */
  ready(): Promise<void>;
  /** Closes every socket (1001), flushes and compacts every room, leaves the bus. */
  close(): Promise<void>;
}

export function createRoomServer(deps: RoomServerDeps): Rooms {
  const server = new RoomServer(deps);
  return {
    directory: new LiveRoomDirectory(server),
    upgrade: (req, bunServer, sessionId, clientKey) => server.upgrade(req, bunServer, sessionId, clientKey),
    websocket: server.websocket,
    stats: () => server.stats(),
    ready: () => server.ready(),
    close: () => server.close(),
  };
}
