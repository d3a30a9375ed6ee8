import { memo, useEffect, useRef } from "react";
import { clockTime, describeMarker } from "../playback/markers.ts";
import type { Marker } from "../trpc.ts";

interface Props {
  markers: Marker[];
  /** The latest marker at or before the current point. */
  currentId: number | null;
  onMarker: (marker: Marker) => void;
}

/** The markers as a list: the keyboard's and screen reader's way to jump to an event. */
export const EventsList = memo(function EventsList({ markers, currentId, onMarker }: Props) {
  const list = useRef<HTMLOListElement>(null);

  // Keep the current event in view inside the list's own scroll area, without moving the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `currentId` is the signal to look again
  useEffect(() => {
    const box = list.current;
    const item = box?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!box || !item) return;
    if (
      item.offsetTop < box.scrollTop ||
      item.offsetTop + item.offsetHeight > box.scrollTop + box.clientHeight
    ) {
      box.scrollTop = item.offsetTop - box.clientHeight / 2;
    }
  }, [currentId]);

  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title" className="panel-title">
        Events <span className="count">{markers.length}</span>
      </h2>
      {markers.length === 0 && <p className="muted small">Nothing happened in this session yet.</p>}
      <ol className="events" ref={list}>
        {markers.map((marker) => (
          <li key={marker.id}>
            <button
              type="button"
              className={`event marker-${marker.kind}`}
              aria-current={marker.id === currentId ? "true" : undefined}
              onClick={() => onMarker(marker)}
            >
              <span className="event-dot" aria-hidden="true" />
              <time dateTime={new Date(marker.at).toISOString()}>{clockTime(marker.at)}</time>
              <span className="event-text">{describeMarker(marker)}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
});
