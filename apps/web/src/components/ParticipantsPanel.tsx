import type { Peer } from "../room/Room.ts";

const roleLabels = { interviewer: "Interviewer", candidate: "Candidate", observer: "Observer" } as const;

export function ParticipantsPanel({ peers, connected }: { peers: Peer[]; connected: boolean }) {
  return (
    <section className="panel" aria-labelledby="participants-title">
      <h2 id="participants-title" className="panel-title">
        Participants <span className="count">{peers.length}</span>
      </h2>
      {!connected && peers.length <= 1 && <p className="muted small">Waiting for the connection…</p>}
      <ul className="participants" aria-label="Participants">
        {peers.map((peer) => (
          <li key={peer.clientId} data-role={peer.role}>
            <span className="avatar" style={{ backgroundColor: peer.color }} aria-hidden="true">
              {initials(peer.name)}
            </span>
            <span className="participant-name">
              {peer.name}
              {peer.isSelf && <span className="muted"> (you)</span>}
            </span>
            <span className={`role role-${peer.role}`}>{roleLabels[peer.role]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function initials(name: string) {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}
