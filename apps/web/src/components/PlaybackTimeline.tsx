import { type KeyboardEvent, memo } from "react";
import { clockTime, describeMarker, duration, markerLane } from "../playback/markers.ts";
import type { Timescale } from "../playback/Timescale.ts";
import type { Marker } from "../trpc.ts";

export const speeds = [1, 2, 4, 8, 16, 32] as const;
export type Speed = (typeof speeds)[number];

/** Shift+arrow and Page Up/Down move this far in replay time. */
const BIG_STEP_MS = 10_000;

interface Props {
  scale: Timescale;
  /** Replay time of the current point (ms from the start). */
  value: number;
  onSeek: (value: number) => void;
  markers: Marker[];
  onMarker: (marker: Marker) => void;
  /** Wall-clock time of the current point. */
  time: number;
  position: number;
  total: number;
  playing: boolean;
  onTogglePlay: () => void;
  speed: Speed;
  onSpeed: (speed: Speed) => void;
}

/** Slider over replay time (idle pauses shortened), the markers above it, play/pause and speed. */
export function PlaybackTimeline(props: Props) {
  const { scale, value, onSeek, markers, onMarker, time, position, total, playing, speed } = props;
  const length = scale.duration;

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const big = event.shiftKey;
    let next: number | null = null;
    switch (event.key) {
      case "ArrowRight":
      case "ArrowUp":
        next = big ? value + BIG_STEP_MS : scale.step(value, 1);
        break;
      case "ArrowLeft":
      case "ArrowDown":
        next = big ? value - BIG_STEP_MS : scale.step(value, -1);
        break;
      case "PageUp":
        next = value + BIG_STEP_MS;
        break;
      case "PageDown":
        next = value - BIG_STEP_MS;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = length;
        break;
    }
    if (next === null) return;
    event.preventDefault();
    onSeek(Math.max(0, Math.min(length, next)));
  }

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-track">
        <TimelineMarkers scale={scale} markers={markers} onMarker={onMarker} />
        <label htmlFor="timeline-slider" className="sr-only">
          Replay position
        </label>
        <input
          id="timeline-slider"
          className="timeline-slider"
          type="range"
          min={0}
          max={length}
          step={1}
          value={value}
          disabled={length === 0}
          aria-valuetext={`${clockTime(time)}, update ${position} of ${total}`}
          aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight PageUp PageDown Home End"
          onKeyDown={onKeyDown}
          onChange={(e) => onSeek(Number(e.target.value))}
        />
      </div>
      <div className="timeline-controls">
        <button
          type="button"
          className="button primary play"
          onClick={props.onTogglePlay}
          disabled={length === 0}
          aria-label={playing ? "Pause" : "Play"}
        >
          <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span>
          <span className="play-text">{playing ? "Pause" : "Play"}</span>
        </button>
        <p className="timeline-clock">
          <time dateTime={new Date(time).toISOString()} data-testid="replay-clock">
            {clockTime(time)}
          </time>
          <span className="muted small">
            {duration(value)} / {duration(length)} · update {position}/{total}
          </span>
        </p>
        <fieldset className="speeds">
          <legend className="sr-only">Playback speed</legend>
          {speeds.map((s) => (
            <button
              key={s}
              type="button"
              className="speed"
              aria-pressed={s === speed}
              aria-label={`${s} times speed`}
              onClick={() => props.onSpeed(s)}
            >
              {s}×
            </button>
          ))}
        </fieldset>
      </div>
    </section>
  );
}

/**
 * The markers and skipped idle pauses above the slider. Memoised: they only move when the
 * recording changes, not on every frame of playback.
 */
const TimelineMarkers = memo(function TimelineMarkers(props: {
  scale: Timescale;
  markers: Marker[];
  onMarker: (marker: Marker) => void;
}) {
  const { scale, markers, onMarker } = props;
  const percent = (scaled: number) => (scale.duration > 0 ? (scaled / scale.duration) * 100 : 0);
  const gaps = scale.skippedGaps();
  return (
    <div className="timeline-markers">
      {gaps.length <= 500 &&
        gaps.map((gap) => (
          <span
            key={gap.from}
            className="timeline-gap"
            style={{ left: `${percent(gap.from)}%`, width: `${percent(gap.to - gap.from)}%` }}
            title={`${duration(gap.idleMs)} idle, skipped`}
          />
        ))}
      {markers.map((marker) => {
        const label = `${clockTime(marker.at)} ${describeMarker(marker)}`;
        return (
          <button
            key={marker.id}
            type="button"
            // The events list is the keyboard's way to the markers; one tab stop each here would be too many.
            tabIndex={-1}
            className={`timeline-marker marker-${marker.kind} lane-${markerLane(marker.kind)}`}
            style={{ left: `${percent(scale.toScaled(marker.at))}%` }}
            aria-label={label}
            title={label}
            data-marker={marker.kind}
            onClick={() => onMarker(marker)}
          />
        );
      })}
    </div>
  );
});
