import * as Y from "yjs";
import type { Room } from "../room/Room.ts";

/**
 * Where the code cursor is now, as an offset: the candidate's when one is here (what a note is
 * usually about), else the writer's own. From the awareness state y-codemirror keeps.
 */
export function codeCursor(room: Room): number | null {
  let own: number | null = null;
  for (const [clientId, state] of room.awareness.getStates()) {
    const head = (state as { cursor?: { head?: unknown } }).cursor?.head;
    if (!head) continue;
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(head),
      room.doc,
    );
    if (!position) continue;
    if ((state as { user?: { role?: string } }).user?.role === "candidate") return position.index;
    if (clientId === room.doc.clientID) own = position.index;
  }
  return own;
}
