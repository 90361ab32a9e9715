// The timeline bar under the scene (issue 6): LIVE / REPLAY badge and Back
// to live, play/pause and speed, step to the previous/next event, the range
// picker, event density, alarm and bookmark markers, and the cursor; drag
// the bar to scrub; the bookmark note form and list pop up above it. State
// in state/timeline.ts; maths in timelineMath.ts.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRenderCount } from '../app/debug.ts';
import { ALARM_KIND_LABELS } from '../state/alarms.ts';
import type { AlarmKind } from '../core/records.ts';
import {
  backToLive, beginBookmark, BOOKMARK_NOTE_MAX, closeBookmarkPanel, openIncident, play, removeBookmark, saveBookmark, setCursor, setRangeKey,
  setSpeed, showBookmarks, startTimeline, stepEvent, stopPlay, useBookmarkPanel, useTimeline,
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
          key={b.at} type="button" className="tl-bookmark" data-at={b.at} style={{ left: x(b.at) }}
          title={`${b.note || 'Bookmark'} — ${formatUtc(b.at)}: click to go there, right-click deletes`}
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
  const text = mode === 'live' ? 'Now' : formatUtc(cursor);
  // The date part drops out when the timeline is narrow (timeline.css); the title keeps the whole instant.
  const cut = text.indexOf(' ');
  return (
    <span className="tl-time" data-cursor={mode === 'replay' ? cursor : ''} title={text}>
      {cut > 0 ? <><span className="tl-date">{text.slice(0, cut + 1)}</span>{text.slice(cut + 1)}</> : text}
    </span>
  );
}

/** A small panel above the timeline, lined up with the button that opened it and kept inside the timeline's padding. */
function Popover({ anchor, label, className, children }: { anchor: RefObject<HTMLElement | null>; label: string; className: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const a = anchor.current, el = ref.current, box = el?.parentElement;
    if (!a || !el || !box) return;
    const pad = parseFloat(getComputedStyle(box).paddingRight) || 0;
    const left = a.getBoundingClientRect().left - box.getBoundingClientRect().left;
    el.style.left = `${Math.max(pad, Math.min(left, box.clientWidth - pad - el.offsetWidth))}px`;
  });
  return <div ref={ref} className={`tl-pop ${className}`} role="dialog" aria-label={label}>{children}</div>;
}

/** Escape inside a popover closes it; stopped here so the global Escape does not also clear the selection. */
function closeOnEscape(e: KeyboardEvent, done: () => void): void {
  if (e.key !== 'Escape') return;
  e.preventDefault();
  e.stopPropagation();
  closeBookmarkPanel();
  done();
}

/** The note for a new bookmark at `at` (or the note of the one already there): Enter saves, Escape cancels. */
function BookmarkForm({ at, done }: { at: number; done: () => void }) {
  const [note, setNote] = useState(() => useTimeline.getState().bookmarks.find((b) => b.at === at)?.note ?? '');
  const isEdit = useTimeline((s) => s.bookmarks.some((b) => b.at === at));
  return (
    <form
      className="tl-note" onKeyDown={(e) => closeOnEscape(e, done)}
      onSubmit={(e) => { e.preventDefault(); saveBookmark(note); done(); }}
    >
      <label>
        <span className="tl-pop-head">{isEdit ? 'Edit bookmark' : 'Bookmark'} at <time dateTime={new Date(at).toISOString()}>{formatUtc(at)}</time></span>
        {/* NOTE: autoFocus is meant: the form opens on an explicit click or key, to be typed in. */}
        <input
          type="text" name="note" autoFocus maxLength={BOOKMARK_NOTE_MAX} placeholder="Note (optional)" autoComplete="off"
          value={note} onChange={(e) => setNote(e.target.value)} onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <div className="tl-pop-actions">
        <button type="button" onClick={() => { closeBookmarkPanel(); done(); }}>Cancel</button>
        <button type="submit" className="primary">Save</button>
      </div>
    </form>
  );
}

/** Every bookmark, newest first: click one to move the cursor there, × deletes it. */
function BookmarkList({ done }: { done: () => void }) {
  const bookmarks = useTimeline((s) => s.bookmarks);
  const current = useTimeline((s) => (s.mode === 'replay' ? Math.round(s.cursor) : Number.NaN));
  return (
    <div className="tl-list" onKeyDown={(e) => closeOnEscape(e, done)}>
      <div className="tl-pop-head">
        Bookmarks
        <button type="button" className="close" onClick={() => { closeBookmarkPanel(); done(); }} aria-label="Close bookmarks">×</button>
      </div>
      {bookmarks.length === 0 ? <p className="muted">None yet: ★ Bookmark, or press <kbd>b</kbd>.</p> : (
        <ul>
          {bookmarks.toReversed().map((b) => (
            <li key={b.at} data-at={b.at} className={b.at === current ? 'current' : undefined}>
              <button type="button" className="tl-go" onClick={() => { stopPlay(); setCursor(b.at); }} title="Move the cursor here">
                <time dateTime={new Date(b.at).toISOString()}>{formatUtc(b.at)}</time>
                <span className={b.note ? 'tl-note-text' : 'tl-note-text muted'}>{b.note || 'No note'}</span>
              </button>
              <button type="button" className="tl-del" onClick={() => removeBookmark(b.at)} aria-label={`Delete the bookmark at ${formatUtc(b.at)}`} title="Delete">×</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The ★ Bookmark and bookmark-list buttons in the control row. */
function BookmarkButtons({ markRef, listRef }: { markRef: RefObject<HTMLButtonElement | null>; listRef: RefObject<HTMLButtonElement | null> }) {
  const kind = useBookmarkPanel((s) => s.panel?.kind ?? null);
  const count = useTimeline((s) => s.bookmarks.length);
  return (
    <>
      <button
        ref={markRef} type="button" className="tl-mark" aria-haspopup="dialog" aria-expanded={kind === 'note'}
        title="Bookmark this moment with a note (b)" onClick={() => (kind === 'note' ? closeBookmarkPanel() : beginBookmark())}
      >★<span className="tl-word"> Bookmark</span></button>
      <button
        ref={listRef} type="button" className="tl-marks" aria-haspopup="dialog" aria-expanded={kind === 'list'}
        title="Bookmarks: go to one or delete it" onClick={() => showBookmarks(kind !== 'list')}
      >{count} ▾</button>
    </>
  );
}

/** The open bookmark popover, if any; closing it from inside gives the focus back to the button that opened it. */
function BookmarkPopover({ markRef, listRef }: { markRef: RefObject<HTMLButtonElement | null>; listRef: RefObject<HTMLButtonElement | null> }) {
  const panel = useBookmarkPanel((s) => s.panel);
  if (!panel) return null;
  if (panel.kind === 'note') {
    return (
      <Popover anchor={markRef} label="Bookmark note" className="tl-pop-note">
        <BookmarkForm key={panel.at} at={panel.at} done={() => markRef.current?.focus()} />
      </Popover>
    );
  }
  return (
    <Popover anchor={listRef} label="Bookmarks" className="tl-pop-list">
      <BookmarkList done={() => listRef.current?.focus()} />
    </Popover>
  );
}

export function Timeline() {
  useRenderCount('Timeline');
  const { mode, playing, speed, rangeKey, error, truncated, count } = useTimeline(useShallow((s) => ({
    mode: s.mode, playing: s.playing, speed: s.speed, rangeKey: s.rangeKey, error: s.error, truncated: s.eventsTruncated, count: s.events.length,
  })));
  useEffect(() => startTimeline(), []);
  const markRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLButtonElement>(null);
  const isLive = mode === 'live';
  return (
    <section className="timeline" data-mode={mode} aria-label="Timeline">
      <div className="tl-controls">
        <span className={`tl-badge ${mode}`} data-testid="timeline-mode">{isLive ? 'LIVE' : 'REPLAY'}</span>
        {!isLive && <button type="button" className="tl-live" onClick={() => { void backToLive(); }}>Back to live</button>}
        <button type="button" className="tl-prev" onClick={() => stepEvent(-1)} title="Previous event (←)" aria-label="Previous event">‹<span className="tl-word"> Prev</span></button>
        <button type="button" className="tl-play" aria-pressed={playing} onClick={() => (playing ? stopPlay() : play())} title={playing ? 'Pause' : 'Play'}>
          {playing ? <>❚❚<span className="tl-word"> Pause</span></> : <>▶<span className="tl-word"> Play</span></>}
        </button>
        <button type="button" className="tl-next" onClick={() => stepEvent(1)} title="Next event (→)" aria-label="Next event"><span className="tl-word">Next </span>›</button>
        <label className="tl-speed" title="Play speed"><span className="tl-word">Speed </span>
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
        <BookmarkButtons markRef={markRef} listRef={listRef} />
        <span className="tl-count muted">{count} events{truncated ? ' (truncated)' : ''}</span>
        {error && <span className="tl-error" role="status">{error}</span>}
      </div>
      <Bar />
      <BookmarkPopover markRef={markRef} listRef={listRef} />
    </section>
  );
}
