import type { Participant } from "@pairpad/api/ports";
import { ClientOp } from "@pairpad/api/terminal/protocol";
import type { Who } from "@pairpad/api/terminal/state";
import { Refusal } from "./admission.ts";
import type { SessionTerminal } from "./session-terminal.ts";

/** A participant's control or keystrokes for the run, carried out on the run's node. */
export interface Command {
  op: number;
  who: Who;
  json?: unknown;
}

/** What deciding about the keyboard needs from the hub. */
export interface KeyboardContext {
  nodeId: string;
  /** Everyone in the session now, on every node. */
  participants(sessionId: string): Participant[];
  /** The terminal's header changed: every watcher gets it. */
  broadcastState(terminal: SessionTerminal): void;
}

/**
 * Only the keyboard holder types and resizes; the holder, the runner and interviewers interrupt and
 * stop; interviewers and the holder hand the keyboard over. Observers do none of it. A holder who
 * reconnected (a new socket, same name and role) gets the keyboard back, on the run's node.
 */
export function authorize(terminal: SessionTerminal, { op, who }: Command, context: KeyboardContext): void {
  if (who.role === "observer") throw new Refusal("Observers cannot type in the terminal");
  const { keyboard, by } = terminal.state;
  let holds = keyboard?.connectionId === who.connectionId;
  if (!holds && keyboard && keyboard.name === who.name && keyboard.role === who.role) {
    const present = context
      .participants(terminal.sessionId)
      .some((p) => p.connectionId === keyboard.connectionId);
    if (!present && terminal.state.node === context.nodeId) {
      terminal.state = { ...terminal.state, keyboard: who };
      context.broadcastState(terminal);
      holds = true;
    }
  }
  const interviewer = who.role === "interviewer";
  const runner = by?.connectionId === who.connectionId;
  switch (op) {
    case ClientOp.input:
    case ClientOp.resize:
      if (!holds) throw new Refusal("You do not hold the keyboard");
      return;
    case ClientOp.interrupt:
    case ClientOp.stop:
      if (!holds && !runner && !interviewer)
        throw new Refusal("Only the runner or the interviewer can stop the run");
      return;
    case ClientOp.handover:
      if (!holds && !interviewer)
        throw new Refusal("Only the interviewer or the keyboard holder hands the keyboard over");
      return;
  }
}

/** Hands the keyboard to the participant `json.to` names: a candidate or interviewer in the session now. */
export function handOver(terminal: SessionTerminal, json: unknown, context: KeyboardContext): void {
  const to = (json as { to?: unknown } | null)?.to;
  const target = context
    .participants(terminal.sessionId)
    .find((p) => p.connectionId === to && p.role !== "observer");
  if (!target) throw new Refusal("The keyboard goes to a candidate or interviewer in the session");
  terminal.state = {
    ...terminal.state,
    keyboard: { connectionId: target.connectionId, name: target.name, role: target.role },
  };
  context.broadcastState(terminal);
}
