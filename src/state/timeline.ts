// The timeline (issue 6): LIVE or REPLAY, the cursor, the range shown, play
// at a speed, the range's events (density and stepping), alarm markers,
// bookmarks and the open incident. Its own small zustand store: the bar and
// the incident panel re-render on it, the scene never does (it reads the live
// buffer, into which replay writes the state at the cursor while the socket's
// writes are paused: live.ts `replay`, socket.ts).
import { create } from 'zustand';
import { selectAndFrame } from '../app/commands.ts';
import { debug } from '../app/debug.ts';
import { applyStateAt } from '../net/dispatch.ts';
import { fetchEvents, fetchIncident, fetchStateAt, type HistoryEvent, type IncidentJson } from '../net/history.ts';
import { resyncLive } from '../net/socket.ts';
import { live, replay, serverNow } from './live.ts';
import { useTwin } from './store.ts';
import {
  advanceCursor, nextEventTime, prevEventTime, rangeAround, RANGE_SPANS_MS, STATE_DEBOUNCE_MS, type RangeKey, type TimeRange,
} from './timelineMath.ts';

/** The incident opens with the cursor this long before the onset, ms. */
export const INCIDENT_LEAD_MS = 30_000;
/** How often the live range follows the clock and its events are refreshed, ms. */
export const LIVE_REFRESH_MS = 15_000;
/** Quiet time after the shown state changes before rolling figures follow it, ms (while playing: the least time between two). */
export const FIGURES_FOLLOW_MS = 500;
export const FIGURES_FOLLOW_PLAYING_MS = 2_000;

/** A bookmarked moment with the operator's note. */
export interface Bookmark { at: number; note: string }

export interface TimelineState {
  mode: 'live' | 'replay';
  /** The cursor, epoch ms (server clock); in LIVE it is "now" as of the last refresh. */
  cursor: number;
  /** The cursor time of the state the scene shows (NaN before the first replayed state). */
  shownAt: number;
  rangeKey: RangeKey;
  range: TimeRange;
  playing: boolean;
  speed: number;
  /** The range's events, ascending by time. */
  events: HistoryEvent[];
  /** Their times, epoch ms (same order). */
  eventTimes: Float64Array;
  eventsTruncated: boolean;
  /** Alarm onsets by alarm id (from events and from alarms the store has seen). */
  alarmMarkers: Record<string, number>;
  bookmarks: Bookmark[];
  incidentId: string | null;
  incident: IncidentJson | null;
  /** When the incident was fetched (browser clock, epoch ms): the report's "generated" time. */
  incidentAt: number;
  /** Why the last history call failed, or null. */
  error: string | null;
}

export const useTimeline = create<TimelineState>()(() => ({
  mode: 'live', cursor: serverNow(), shownAt: Number.NaN, rangeKey: '24h',
  range: rangeAround(RANGE_SPANS_MS['24h'], serverNow(), null), playing: false, speed: 60,
  events: [], eventTimes: new Float64Array(0), eventsTruncated: false, alarmMarkers: {}, bookmarks: [],
  incidentId: null, incident: null, incidentAt: 0, error: null,
}));

const get = () => useTimeline.getState();
const set = (p: Partial<TimelineState>) => useTimeline.setState(p);

const errText = (e: unknown) => (e as Error).message;
const isAbort = (e: unknown) => (e as Error).name === 'AbortError';

// ---- state at the cursor ----

let stateTimer: ReturnType<typeof setTimeout> | null = null;
let stateAbort: AbortController | null = null;
let stateAgain = false;

async function fetchStateNow(): Promise<void> {
  if (stateAbort && get().playing) { stateAgain = true; return; } // playing: one in flight, then the newest cursor
  stateAbort?.abort();
  const ac = new AbortController();
  stateAbort = ac;
  const at = get().cursor;
  try {
    const snap = await fetchStateAt(at, ac.signal);
    if (ac.signal.aborted || !replay.active || !live.buffer) return;
    replay.atMs = at;
    applyStateAt(live.buffer, snap);
    set({ shownAt: at, error: null });
  } catch (e) {
    if (!isAbort(e)) set({ error: `State at ${new Date(at).toISOString()}: ${errText(e)}` });
  } finally {
    if (stateAbort === ac) stateAbort = null;
    if (stateAgain && replay.active) { stateAgain = false; void fetchStateNow(); }
  }
}

function scheduleState(): void {
  if (stateTimer) clearTimeout(stateTimer);
  stateTimer = setTimeout(() => { stateTimer = null; void fetchStateNow(); }, get().playing ? 0 : STATE_DEBOUNCE_MS);
}

/** Moves the cursor to `t` (epoch ms), entering REPLAY; the scene follows once the state at `t` arrives. */
export function setCursor(t: number): void {
  const now = serverNow();
  const at = Math.min(t, now);
  const s = get();
  let range = s.range;
  if (at < range.from || at > range.to) range = rangeAround(RANGE_SPANS_MS[s.rangeKey], now, at);
  if (!replay.active) { replay.active = true; }
  set({ mode: 'replay', cursor: at, range });
  if (range !== s.range) void loadEvents();
  scheduleState();
}

/** Back to live: stops playing, resumes the socket's writes and re-syncs the buffer with the server's current state. */
export async function backToLive(): Promise<void> {
  stopPlay();
  if (stateTimer) clearTimeout(stateTimer);
  stateTimer = null;
  stateAbort?.abort();
  stateAbort = null;
  stateAgain = false;
  replay.active = false;
  replay.atMs = Number.NaN;
  const now = serverNow();
  set({ mode: 'live', cursor: now, shownAt: Number.NaN, range: rangeAround(RANGE_SPANS_MS[get().rangeKey], now, null) });
  try {
    const snap = await fetchStateAt(null);
    if (!replay.active) resyncLive(snap);
  } catch (e) {
    set({ error: `Back to live: ${errText(e)}; the live socket re-syncs by itself` });
  }
  void loadEvents();
}

// ---- play ----

let raf = 0;
let lastFrame = 0;

function frame(now: number): void {
  const s = get();
  if (!s.playing) return;
  const dt = now - lastFrame;
  lastFrame = now;
  const end = Math.min(serverNow(), s.range.to);
  const next = advanceCursor(s.cursor, dt, s.speed, end);
  if (next !== s.cursor) setCursor(next);
  if (next >= end) { stopPlay(); return; }
  raf = requestAnimationFrame(frame);
}

/** Starts playing from the cursor (entering REPLAY at the range start when live). */
export function play(): void {
  if (get().playing) return;
  if (!replay.active) setCursor(get().range.from);
  set({ playing: true });
  lastFrame = performance.now();
  raf = requestAnimationFrame(frame);
}

/** Pauses. */
export function stopPlay(): void {
  cancelAnimationFrame(raf);
  if (get().playing) set({ playing: false });
}

export function setSpeed(speed: number): void { set({ speed }); }

/** Moves the cursor to the previous (-1) or next (+1) event of the range. */
export function stepEvent(dir: -1 | 1): void {
  const s = get();
  const t = dir > 0 ? nextEventTime(s.eventTimes, s.cursor) : prevEventTime(s.eventTimes, s.cursor);
  if (t !== null) setCursor(t);
}

// ---- range and events ----

let eventsAbort: AbortController | null = null;

/** Loads the events of the range (density, stepping, markers). */
export async function loadEvents(): Promise<void> {
  eventsAbort?.abort();
  const ac = new AbortController();
  eventsAbort = ac;
  const { from, to } = get().range;
  try {
    const r = await fetchEvents(from, to, ac.signal);
    if (ac.signal.aborted) return;
    const events = [...r.events].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
    const eventTimes = Float64Array.from(events, (e) => Date.parse(e.ts));
    const alarmMarkers = { ...get().alarmMarkers };
    for (const e of events) {
      const id = typeof e['alarm'] === 'string' ? e['alarm'] : null;
      const onset = id ? Number(id.slice(id.lastIndexOf(':') + 1)) : Number.NaN;
      if (id && Number.isFinite(onset)) alarmMarkers[id] = onset;
    }
    set({ events, eventTimes, eventsTruncated: r.truncated, alarmMarkers });
  } catch (e) {
    if (!isAbort(e)) set({ error: `Events: ${errText(e)}` });
  }
}

/** Picks the range span; keeps the cursor inside it. */
export function setRangeKey(k: RangeKey): void {
  const s = get();
  set({ rangeKey: k, range: rangeAround(RANGE_SPANS_MS[k], serverNow(), s.mode === 'replay' ? s.cursor : null) });
  void loadEvents();
}

// ---- incident ----

let incidentAbort: AbortController | null = null;

/** Opens an alarm's incident: fetches it, moves the cursor to onset − 30 s, selects the door and frames it with its cameras. */
export async function openIncident(alarmId: string, opts: { cursor?: number } = {}): Promise<void> {
  incidentAbort?.abort();
  const ac = new AbortController();
  incidentAbort = ac;
  set({ incidentId: alarmId, incident: null, error: null });
  try {
    const inc = await fetchIncident(alarmId, ac.signal);
    if (ac.signal.aborted) return;
    set({ incident: inc, incidentAt: Date.now() });
    const onset = Date.parse(inc.alarm.onset);
    stopPlay();
    // The incident's window is ±15 min: the 1 h range shows it at a readable scale.
    set({ rangeKey: '1h', range: rangeAround(RANGE_SPANS_MS['1h'], serverNow(), onset) });
    void loadEvents();
    setCursor(opts.cursor ?? onset - INCIDENT_LEAD_MS);
    // The door and the cameras that see it are framed together and highlighted with their own frusta
    // (scene/Highlight.tsx); the all-cameras frusta layer stays as it was.
    selectAndFrame(inc.alarm.door.id, inc.cameras.map((c) => c.id));
  } catch (e) {
    if (!isAbort(e)) set({ error: `Incident ${alarmId}: ${errText(e)}` });
  }
}

/** Closes the incident view (the cursor stays where it is). */
export function closeIncident(): void {
  incidentAbort?.abort();
  set({ incidentId: null, incident: null });
}

// ---- bookmarks ----

function bookmarkKey(): string {
  return `twinspace.bookmarks.${useTwin.getState().index?.facility.id ?? 'none'}`;
}

/** Loads the facility's bookmarks from localStorage. */
export function loadBookmarks(): void {
  try {
    const raw = JSON.parse(window.localStorage.getItem(bookmarkKey()) ?? '[]') as unknown;
    const list = Array.isArray(raw) ? raw.filter((b): b is Bookmark => !!b && typeof b === 'object' && Number.isFinite((b as Bookmark).at) && typeof (b as Bookmark).note === 'string') : [];
    set({ bookmarks: list.sort((a, b) => a.at - b.at) });
  } catch {
    set({ bookmarks: [] });
  }
}

function storeBookmarks(bookmarks: Bookmark[]): void {
  set({ bookmarks });
  try { window.localStorage.setItem(bookmarkKey(), JSON.stringify(bookmarks)); } catch { /* private mode: kept for the session */ }
}

/** Bookmarks `at` (epoch ms) with a note (stored per facility); a bookmark already at `at` gets the new note. */
export function addBookmark(at: number, note: string): void {
  storeBookmarks([...get().bookmarks.filter((b) => b.at !== at), { at, note }].sort((a, b) => a.at - b.at));
}

/** Removes a bookmark. */
export function removeBookmark(at: number): void {
  storeBookmarks(get().bookmarks.filter((b) => b.at !== at));
}

/** Longest bookmark note kept, characters. */
export const BOOKMARK_NOTE_MAX = 200;

/** The timeline's bookmark popover (hud/Timeline.tsx): the note form for a moment (epoch ms), the list, or closed. */
export type BookmarkPanel = { kind: 'note'; at: number } | { kind: 'list' } | null;

/** Which bookmark popover is open; its own store so the global Escape and the `b` shortcut reach it. */
export const useBookmarkPanel = create<{ panel: BookmarkPanel }>()(() => ({ panel: null }));

/** Opens the note form for the moment shown: the cursor in REPLAY, now when live (the live cursor lags by up to LIVE_REFRESH_MS). */
export function beginBookmark(): void {
  const s = get();
  useBookmarkPanel.setState({ panel: { kind: 'note', at: Math.round(s.mode === 'live' ? serverNow() : s.cursor) } });
}

/** Opens or closes the bookmark list. */
export function showBookmarks(open: boolean): void {
  useBookmarkPanel.setState({ panel: open ? { kind: 'list' } : null });
}

/** Closes the bookmark popover (a note being written is dropped). */
export function closeBookmarkPanel(): void {
  useBookmarkPanel.setState({ panel: null });
}

/** Saves the note form: bookmarks its moment with `note` trimmed (empty is allowed: the marker then reads "Bookmark") and closes it. */
export function saveBookmark(note: string): void {
  const p = useBookmarkPanel.getState().panel;
  if (p?.kind !== 'note') return;
  addBookmark(p.at, note.trim().slice(0, BOOKMARK_NOTE_MAX));
  closeBookmarkPanel();
}

// ---- live upkeep and the URL ----

/**
 * Starts the timeline: restores `t=` / `incident=` from the URL, keeps them
 * in the URL (replacing the history entry; other parameters kept), follows
 * the clock while live, and collects alarm markers. Returns the stop function.
 */
export function startTimeline(): () => void {
  loadBookmarks();
  const params = new URLSearchParams(window.location.search);
  const inc = params.get('incident');
  const t = Date.parse(params.get('t') ?? '');
  if (inc) void openIncident(inc, Number.isFinite(t) ? { cursor: t } : {});
  else if (Number.isFinite(t)) setCursor(t);
  void loadEvents();

  const timer = setInterval(() => {
    const s = get();
    if (s.mode !== 'live') return;
    const now = serverNow();
    set({ cursor: now, range: rangeAround(RANGE_SPANS_MS[s.rangeKey], now, null) });
    void loadEvents();
  }, LIVE_REFRESH_MS);

  const unsubAlarms = useTwin.subscribe((s, prev) => {
    if (s.alarms === prev.alarms) return;
    const markers = get().alarmMarkers;
    const add = Object.values(s.alarms).filter((a) => markers[a.id] === undefined);
    if (add.length) set({ alarmMarkers: { ...markers, ...Object.fromEntries(add.map((a) => [a.id, a.onset])) } });
  });

  // Rolling figures (24 h, 7 d, 30 d) end at the moment the scene shows: follow the replayed state and the return to live.
  // Only once figures have been asked for (the panel or a drill-down was open), and not on every scrub move.
  let figuresTimer: ReturnType<typeof setTimeout> | null = null;
  const unsubFigures = useTimeline.subscribe((s, prev) => {
    if (s.shownAt === prev.shownAt && s.mode === prev.mode) return;
    const tw = useTwin.getState();
    if (tw.metrics.status === 'idle' || tw.figuresPeriod.preset === 'custom') return;
    if (figuresTimer && s.playing) return; // playing: the pending refresh takes the newest state when it fires
    if (figuresTimer) clearTimeout(figuresTimer);
    figuresTimer = setTimeout(() => { figuresTimer = null; useTwin.getState().loadFigures(); }, s.playing ? FIGURES_FOLLOW_PLAYING_MS : FIGURES_FOLLOW_MS);
  });

  let urlTimer: ReturnType<typeof setTimeout> | null = null;
  const unsubUrl = useTimeline.subscribe((s, prev) => {
    if (s.mode === prev.mode && s.incidentId === prev.incidentId && (s.cursor === prev.cursor || s.mode === 'live')) return;
    if (urlTimer) clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const cur = get();
      const url = new URL(window.location.href);
      if (cur.mode === 'replay') url.searchParams.set('t', new Date(cur.cursor).toISOString()); else url.searchParams.delete('t');
      if (cur.incidentId) url.searchParams.set('incident', cur.incidentId); else url.searchParams.delete('incident');
      window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    }, 250);
  });

  return () => {
    clearInterval(timer);
    if (urlTimer) clearTimeout(urlTimer);
    unsubAlarms();
    unsubUrl();
    unsubFigures();
    if (figuresTimer) clearTimeout(figuresTimer);
    stopPlay();
    eventsAbort?.abort();
  };
}

debug.timeline = () => { const s = get(); return { mode: s.mode, cursor: s.cursor, shownAt: s.shownAt, playing: s.playing }; };
debug.door = (id) => {
  const b = live.buffer, slot = b?.doorSlot.get(id);
  return b && slot !== undefined ? { open: b.doorOpen[slot] === 1, state: b.doors[slot]! } : null;
};
