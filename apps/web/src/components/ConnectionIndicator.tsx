import type { Connection } from "../room/Room.ts";

const labels: Record<Connection, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
};

export function ConnectionIndicator({ connection }: { connection: Connection }) {
  return (
    <output className={`connection connection-${connection}`} aria-live="polite" data-connection={connection}>
      <span className="dot" aria-hidden="true" />
      {labels[connection]}
    </output>
  );
}
