import { Replayer } from "@pairpad/api/playback/replayer";
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AuthorsLegend } from "../components/AuthorsLegend.tsx";
import { Brand } from "../components/Brand.tsx";
import { EventsList } from "../components/EventsList.tsx";
import { OutputPanel } from "../components/OutputPanel.tsx";
import { PlaybackTimeline, type Speed } from "../components/PlaybackTimeline.tsx";
import { ReplayActions } from "../components/ReplayActions.tsx";
import { ReplayTerminal } from "../components/ReplayTerminal.tsx";
import { InterviewerMarkers } from "../content/InterviewerMarkers.tsx";
import { ScorecardForm } from "../content/ScorecardForm.tsx";
import { isLanguageId, languageLabel } from "../editor/languages.ts";
import { type ColouredSpan, ReplayEditor } from "../editor/ReplayEditor.tsx";
import { loadName } from "../identity.ts";
import { clockTime, runOfMarker } from "../playback/markers.ts";
import { authorKey, type Recording } from "../playback/recording.ts";
import { Timescale } from "../playback/Timescale.ts";
import { followLink, paths } from "../router.ts";
import type { Api, LanguageId, Marker, Session } from "../trpc.ts";

/** Updates applied per slice while building checkpoints (a few milliseconds each). */
const WARM_UP_SLICE = 500;

interface Props {
  api: Api;
  session: Session;
  recording: Recording;
  /** True while a newer recording is loading; this one stays on screen meanwhile. */
  refreshing: boolean;
  onReload: () => void;
  onRestored: (message: string) => void;
  /** Where the view is (wall-clock), kept by the page so a reload resumes at the same point. */
  resumeAt: RefObject<number | null>;
}

export function PlaybackView({ api, session, recording, refreshing, onReload, onRestored, resumeAt }: Props) {
  const { updates, markers, authors } = recording;
  const replayer = useMemo(() => new Replayer(updates), [updates]);
  const scale = useMemo(
    () => new Timescale([...updates.map((u) => u.at), ...markers.map((m) => m.at)]),
    [updates, markers],
  );
  // Checkpoints for the whole recording, built a slice at a time after it opens, so the first long
  // jump is as quick as later ones. The view reads the replayer only inside its memo, right after
  // seeking, so these seeks in between never show.
  useEffect(() => {
    let built = 0;
    let timer = 0;
    const step = () => {
      built = Math.min(updates.length, built + WARM_UP_SLICE);
      replayer.seek(built);
      if (built < updates.length) timer = window.setTimeout(step, 0);
    };
    timer = window.setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [replayer, updates.length]);

  const [value, setValue] = useState(() =>
    resumeAt.current === null ? 0 : scale.toScaled(resumeAt.current),
  );
  const valueRef = useRef(value);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>(1);

  const seek = useCallback((next: number) => {
    valueRef.current = next;
    setValue(next);
  }, []);

  const time = scale.toReal(value);
  useEffect(() => {
    resumeAt.current = time;
  }, [resumeAt, time]);

  // The document at this point, and who wrote each part of it.
  const frame = useMemo(() => {
    const state = replayer.at(time);
    return { state, authorship: replayer.authorship() };
  }, [replayer, time]);

  const colorOf = useMemo(() => new Map(authors.map((a) => [a.key, a.color])), [authors]);
  const spans: ColouredSpan[] = useMemo(
    () =>
      frame.authorship.map((span) => ({
        from: span.from,
        to: span.to,
        author: span.actor,
        color: span.actor === null ? null : (colorOf.get(authorKey(span.actor, span.role)) ?? null),
      })),
    [frame, colorOf],
  );
  const written = useMemo(() => {
    const counts = new Map<string | null, number>();
    for (const span of frame.authorship) {
      const key = span.actor === null ? null : authorKey(span.actor, span.role);
      counts.set(key, (counts.get(key) ?? 0) + span.to - span.from);
    }
    return counts;
  }, [frame]);

  const language: LanguageId = isLanguageId(frame.state.language) ? frame.state.language : session.language;

  // The latest event, and the latest run, at or before this point.
  const { current, run } = useMemo(() => {
    let current: Marker | null = null;
    let run: Marker | null = null;
    for (const marker of markers) {
      if (marker.at > time) continue;
      if (!current || marker.at >= current.at) current = marker;
      if (marker.kind === "run" && (!run || marker.at >= run.at)) run = marker;
    }
    return { current, run };
  }, [markers, time]);
  const shownRun = useMemo(() => (run ? runOfMarker(run) : null), [run]);

  useEffect(() => {
    document.title = `Replay · ${session.title} · Pairpad`;
  }, [session.title]);

  // Playing advances replay time by the frame's duration times the speed.
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let request = 0;
    const tick = (now: number) => {
      const next = Math.min(scale.duration, valueRef.current + (now - last) * speed);
      last = now;
      seek(next);
      if (next >= scale.duration) setPlaying(false);
      else request = requestAnimationFrame(tick);
    };
    request = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(request);
  }, [playing, speed, scale, seek]);

  const togglePlay = useCallback(() => {
    // Play from the start again once the end is reached.
    if (!playing && valueRef.current >= scale.duration) seek(0);
    setPlaying(!playing);
  }, [playing, scale, seek]);

  const jumpTo = useCallback(
    (marker: Marker) => {
      setPlaying(false);
      seek(scale.toScaled(marker.at));
    },
    [scale, seek],
  );

  return (
    <div className="room playback" data-playing={playing}>
      <header className="topbar room-topbar">
        <Brand />
        <div className="room-title">
          <h1 title={session.title}>
            <span className="muted">Replay · </span>
            {session.title}
          </h1>
        </div>
        <div className="topbar-end">
          <button
            type="button"
            className="button ghost small"
            onClick={onReload}
            disabled={refreshing}
            title="Load what happened since this page opened"
          >
            {refreshing ? "Reloading…" : "Reload"}
          </button>
          <a className="button secondary small" href={paths.session(session.id)} onClick={followLink}>
            Back to the session
          </a>
        </div>
      </header>

      <div className="room-body">
        <main className="workspace">
          <div className="toolbar">
            <span className="language-badge" data-testid="replay-language">
              {languageLabel(language)}
            </span>
            <span className="muted small toolbar-note">
              {updates.length === 0
                ? "Nothing was typed in this session yet."
                : `Read-only replay · idle pauses over 5 s are shortened`}
            </span>
            <span className="spacer" />
            <time className="toolbar-clock" dateTime={new Date(time).toISOString()}>
              {clockTime(time)}
            </time>
          </div>
          <div className="editor-frame">
            <ReplayEditor code={frame.state.code} language={language} spans={spans} />
          </div>
          <PlaybackTimeline
            scale={scale}
            value={value}
            onSeek={seek}
            markers={markers}
            onMarker={jumpTo}
            time={time}
            position={frame.state.position}
            total={updates.length}
            playing={playing}
            onTogglePlay={togglePlay}
            speed={speed}
            onSpeed={setSpeed}
          />
          <ReplayTerminal api={api} sessionId={session.id} time={time} />
        </main>

        <aside className="sidebar" aria-label="Replay details">
          <AuthorsLegend authors={authors} written={written} />
          <div className="panel replay-run">
            <OutputPanel
              run={shownRun}
              error={null}
              empty="No run yet at this point. Each run marker on the timeline shows its output here."
            />
          </div>
          <ReplayActions
            api={api}
            session={session}
            code={frame.state.code}
            language={language}
            time={time}
            onRestored={onRestored}
          />
          <EventsList markers={markers} currentId={current?.id ?? null} onMarker={jumpTo} />
          <InterviewerMarkers
            api={api}
            sessionId={session.id}
            time={time}
            onJump={(at) => {
              setPlaying(false);
              seek(scale.toScaled(at));
            }}
          />
          <div className="panel">
            <ScorecardForm api={api} sessionId={session.id} name={loadName() ?? "interviewer"} />
          </div>
        </aside>
      </div>
    </div>
  );
}
