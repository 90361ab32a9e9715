// The timeline bar under the scene (issue 6): LIVE / REPLAY badge and Back
// to live, play/pause and speed, step to the previous/next event, the range
// picker, event density, alarm and bookmark markers, and the cursor; drag
// the bar to scrub. State in state/timeline.ts; maths in timelineMath.ts.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRenderCount } from '../app/debug.ts';
import { ALARM_KIND_LABELS } from '../state/alarms.ts';
import type { AlarmKind } from '../core/records.ts';
import {
  addBookmark, backToLive, openIncident, play, removeBookmark, setCursor, setRangeKey, setSpeed, startTimeline, stepEvent, stopPlay, useTimeline,
} from '../state/timeline.ts';
import { bucketCounts, PLAY_SPEEDS, RANGE_SPANS_MS, timeToX, xToTime, type RangeKey } from '../state/timelineMath.ts';
import './timeline.css';

/** Width of one density bucket, px. */
const BUCKET_PX = 3;

/** "2026-11-24 07:31:05" in UTC. */
export function formatUtc(ms: number): string {
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
}

function Density({ width }: { width: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { range, eventTimes } = useTimeline(useShallow((s) => ({ range: s.range, eventTimes: s.eventTimes })));
  useEffect(() => {
    const c = ref.current;
    if (!c || width <= 0) return;
    const h = c.clientHeight || 28;
    c.width = Math.round(width); c.height = h;
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, c.width, h);
    const counts = bucketCounts(range, Math.floor(width / BUCKET_PX), eventTimes);
    let max = 0;
    for (const n of counts) if (n > max) max = n;
    if (max === 0) return;
    g.fillStyle = 'rgba(86, 180, 233, 0.75)';
    counts.forEach((n, i) => {
      if (n === 0) return;
      const bh = Math.max(2, (Math.log1p(n) / Math.log1p(max)) * (h - 2));
      g.fillRect(i * BUCKET_PX, h - bh, BUCKET_PX - 1, bh);
    });
  }, [range, eventTimes, width]);
  return <canvas ref={ref} className="tl-density" aria-hidden="true" />;
}

function Markers({ width }: { width: number }) {
  const { range, alarmMarkers, bookmarks, incident } = useTimeline(useShallow((s) => ({ range: s.range, alarmMarkers: s.alarmMarkers, bookmarks: s.bookmarks, incident: s.incident })));
  const x = (t: number) => timeToX(range, width, t);
  const inRange = (t: number) => t >= range.from && t <= range.to;
  const win = incident ? { from: Date.parse(incident.alarm.window.from), to: Date.parse(incident.alarm.window.to) } : null;
  return (
    <>
      {win && <div className="tl-window" style={{ left: Math.max(0, x(win.from)), width: Math.max(2, Math.min(width, x(win.to)) - Math.max(0, x(win.from))) }} title="Incident window" />}
      {Object.entries(alarmMarkers).filter(([, t]) => inRange(t)).map(([id, t]) => {
        const kind = id.slice(0, id.indexOf(':')) as AlarmKind;
        return (
          <button
            key={id} type="button" className="tl-alarm" data-alarm={id} style={{ left: x(t) }}
            title={`${ALARM_KIND_LABELS[kind] ?? kind} at ${formatUtc(t)}: click to reconstruct`}
            onPointerDown={(e) => e.stopPropagation()} onClick={() => { void openIncident(id); }}
          />
        );
      })}
      {bookmarks.filter((b) => inRange(b.at)).map((b) => (
        <button
          key={b.at} type="button" className="tl-bookmark" data-at={b.at} style={{ left: x(b.at) }} title={`${b.note || 'Bookmark'} — ${formatUtc(b.at)} (right-click removes)`}
          onPointerDown={(e) => e.stopPropagation()} onClick={() => setCursor(b.at)}
          onContextMenu={(e) => { e.preventDefault(); removeBookmark(b.at); }}
        />
      ))}
    </>
  );
}

function Cursor({ width }: { width: number }) {
  const { range, cursor, mode } = useTimeline(useShallow((s) => ({ range: s.range, cursor: s.cursor, mode: s.mode })));
  const left = mode === 'live' ? width : timeToX(range, width, cursor);
  return <div className={`tl-cursor ${mode}`} style={{ left: Math.min(width, Math.max(0, left)) }} />;
}

function Bar() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const dragging = useRef(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  const at = (e: PointerEvent) => {
    const r = ref.current!.getBoundingClientRect();
    return xToTime(useTimeline.getState().range, r.width, e.clientX - r.left);
  };
  return (
    <div
      ref={ref} className="tl-bar" role="slider" aria-label="Timeline: drag to scrub" tabIndex={0}
      aria-valuemin={0} aria-valuemax={100}
      onPointerDown={(e) => { dragging.current = true; e.currentTarget.setPointerCapture(e.pointerId); stopPlay(); setCursor(at(e)); }}
      onPointerMove={(e) => { if (dragging.current) setCursor(at(e)); }}
      onPointerUp={(e) => { dragging.current = false; e.currentTarget.releasePointerCapture(e.pointerId); }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') { e.preventDefault(); stepEvent(-1); }
        if (e.key === 'ArrowRight') { e.preventDefault(); stepEvent(1); }
      }}
    >
      <Density width={width} />
      <Markers width={width} />
      <Cursor width={width} />
    </div>
  );
}

function CursorText() {
  const { cursor, mode } = useTimeline(useShallow((s) => ({ cursor: s.cursor, mode: s.mode })));
  return <span className="tl-time" data-cursor={mode === 'replay' ? cursor : ''}>{mode === 'live' ? 'Now' : formatUtc(cursor)}</span>;
}

export function Timeline() {
  useRenderCount('Timeline');
  const { mode, playing, speed, rangeKey, error, truncated, count } = useTimeline(useShallow((s) => ({
    mode: s.mode, playing: s.playing, speed: s.speed, rangeKey: s.rangeKey, error: s.error, truncated: s.eventsTruncated, count: s.events.length,
  })));
  useEffect(() => startTimeline(), []);
  const isLive = mode === 'live';
  return (
    <section className="timeline" data-mode={mode} aria-label="Timeline">
      <div className="tl-controls">
        <span className={`tl-badge ${mode}`} data-testid="timeline-mode">{isLive ? 'LIVE' : 'REPLAY'}</span>
        {!isLive && <button type="button" className="tl-live" onClick={() => { void backToLive(); }}>Back to live</button>}
        <button type="button" className="tl-prev" onClick={() => stepEvent(-1)} title="Previous event (←)">‹ Prev</button>
        <button type="button" className="tl-play" aria-pressed={playing} onClick={() => (playing ? stopPlay() : play())} title={playing ? 'Pause' : 'Play'}>
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" className="tl-next" onClick={() => stepEvent(1)} title="Next event (→)">Next ›</button>
        <label className="tl-speed">Speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {PLAY_SPEEDS.map((v) => <option key={v} value={v}>{v}×</option>)}
          </select>
        </label>
        <span className="tl-ranges" role="group" aria-label="Range">
          {(Object.keys(RANGE_SPANS_MS) as RangeKey[]).map((k) => (
            <button key={k} type="button" aria-pressed={rangeKey === k} onClick={() => setRangeKey(k)}>{k.replace('h', ' h').replace('d', ' d')}</button>
          ))}
        </span>
        <CursorText />
        <button
          type="button" className="tl-mark" title="Bookmark this moment with a note"
          onClick={() => {
            const s = useTimeline.getState();
            const note = window.prompt('Note for this bookmark', '');
            if (note !== null) addBookmark(Math.round(s.cursor), note);
          }}
        >★ Bookmark</button>
        <span className="tl-count muted">{count} events{truncated ? ' (truncated)' : ''}</span>
        {error && <span className="tl-error" role="status">{error}</span>}
      </div>
      <Bar />
    </section>
  );
}
