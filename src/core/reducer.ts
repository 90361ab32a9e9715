// THE reducer (DESIGN.md): the only code that writes live state. The server
// folds each incoming record through it, replay (state-at-T) and the alarm
// report fold stored records through it, so live and replayed state cannot
// disagree. It embeds the alarm engine of ../shared/spec/metrics.md §3.
//
// Contract: records are folded one at a time in `ts` order (ties in input
// order). The state is plain data (JSON- and structuredClone-safe) and is
// mutated in place; clone it (`cloneState`) to keep a keyframe.
import type { Facility } from './facility/schema.ts';
import type { FacilityIndex } from './facility/model.ts';
import { ALARM_KINDS, alarmId, isEvent, type AlarmKind, type AlarmOutcome, type EventRecord, type TelemetryRecord, type TwinRecord } from './records.ts';
import { toIso, toIsoOrNull } from './metrics/period.ts';

/** A door opening with an access grant or exit request this recent (ms) is not forced (metrics.md §3). */
export const FORCED_WINDOW_MS = 10_000;
/** Denials are counted, and denied-burst alarms suppressed, over this window (ms). */
export const DENIED_WINDOW_MS = 60_000;
/** Denials within `DENIED_WINDOW_MS` that make a burst. */
export const DENIED_BURST_COUNT = 3;

/** A sensor's latest reading: value in its unit, `ts` epoch ms. */
export interface SensorState { value: number; ts: number }
/** A door contact: `since` is the epoch ms it last changed, null if never. */
export interface DoorState { open: boolean; since: number | null }
/** A camera stream: `since` is the epoch ms it last changed, null if never. */
export interface CameraState { online: boolean; since: number | null }

/** A raised alarm and its handling; times in epoch ms, null until they happen. */
export interface Alarm {
  id: string;
  kind: AlarmKind;
  door: string;
  onset: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  outcome: AlarmOutcome | null;
  note: string | null;
}

/** An alarm whose onset is known but not yet final (it can still be cancelled by a record at or before its onset). */
export interface PendingAlarm { kind: 'door-forced' | 'door-held'; door: string; onset: number }

/** What the alarm engine remembers of a reader door: only the last 60 s of access (bounded). */
export interface DoorMemory {
  /** Epoch ms of the latest `access.granted` / `access.rex`, or null. */
  lastAccess: number | null;
  /** Epoch ms of the denials within `DENIED_WINDOW_MS` of the latest, ascending. */
  denials: number[];
  /** Onset (epoch ms) of the door's latest denied-burst alarm, or null. */
  lastBurst: number | null;
}

/** The whole live state; plain data, mutated in place by `reduce` and `advance`. */
export interface TwinState {
  /** Latest time (epoch ms) folded in by a record or `advance`; null before any. */
  at: number | null;
  /** `advance` was called up to this time (epoch ms): every event at or before it is final. */
  sealed: number | null;
  /** Number of the latest state change (door, camera, alarm); 0 before any. */
  seq: number;
  /** Latest reading per sensor; a sensor with no reading yet is absent. */
  sensors: Record<string, SensorState>;
  /** Every door of the facility, closed until its first `door.opened`. */
  doors: Record<string, DoorState>;
  /** Every camera of the facility, online until its first `camera.offline`. */
  cameras: Record<string, CameraState>;
  /** Every alarm raised, by id, in the order raised (resolved ones too). */
  alarms: Record<string, Alarm>;
  /** Alarms waiting for time to pass their onset, ascending by onset. */
  pending: PendingAlarm[];
  /** Alarm-engine memory of each reader door. */
  memory: Record<string, DoorMemory>;
}

/** A numbered state change, for the hub to broadcast. */
export type StateChange =
  | { seq: number; kind: 'door'; door: string; open: boolean; since: number }
  | { seq: number; kind: 'camera'; camera: string; online: boolean; since: number }
  | { seq: number; kind: 'alarm.raised' | 'alarm.acknowledged' | 'alarm.resolved'; alarm: Alarm };

/** What folding one record did: its numbered changes and, for a reading that is now the sensor's latest, the reading; or why it was refused (state unchanged). */
export type ReduceResult =
  | { ok: true; changes: StateChange[]; reading: TelemetryRecord | null }
  | { ok: false; reason: string };

/** The state before any record: every door closed, every camera online, no readings, no alarms. */
export function initialState(ix: FacilityIndex): TwinState {
  const s: TwinState = { at: null, sealed: null, seq: 0, sensors: {}, doors: {}, cameras: {}, alarms: {}, pending: [], memory: {} };
  for (const [id, { door }] of ix.doors) {
    put(s.doors, id, { open: false, since: null });
    if (door.reader) put(s.memory, id, { lastAccess: null, denials: [], lastBurst: null });
  }
  for (const id of ix.cameras.keys()) put(s.cameras, id, { online: true, since: null });
  return s;
}

/** A deep copy of a state (a replay keyframe). */
export function cloneState(s: TwinState): TwinState {
  return structuredClone(s);
}

const fail = (reason: string): ReduceResult => ({ ok: false, reason });

// NOTE: ids are facility data and "__proto__" or "constructor" are valid ids: the state's
// records are read only through own properties and written as own data properties.
function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}
function put<T>(rec: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true });
}

function raise(s: TwinState, kind: AlarmKind, door: string, onset: number, changes: StateChange[]): void {
  const id = alarmId(kind, door, onset);
  if (own(s.alarms, id) !== undefined) return; // the same alarm, found twice at one instant
  const alarm: Alarm = {
    id, kind, door, onset,
    acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, outcome: null, note: null,
  };
  put(s.alarms, id, alarm);
  changes.push({ seq: ++s.seq, kind: 'alarm.raised', alarm: { ...alarm } });
}

/** Raises the pending alarms with onset before `limit` (or at it, when `inclusive`), in onset order. */
function flush(s: TwinState, limit: number, inclusive: boolean, changes: StateChange[]): void {
  const p = s.pending;
  let n = 0;
  while (n < p.length && (p[n]!.onset < limit || (inclusive && p[n]!.onset === limit))) n++;
  if (n === 0) return;
  for (const a of p.splice(0, n)) raise(s, a.kind, a.door, a.onset, changes);
}

function addPending(s: TwinState, a: PendingAlarm): void {
  const p = s.pending;
  for (const q of p) if (q.kind === a.kind && q.door === a.door && q.onset === a.onset) return;
  let i = p.length;
  while (i > 0 && p[i - 1]!.onset > a.onset) i--;
  p.splice(i, 0, a);
}

function dropPending(s: TwinState, kind: PendingAlarm['kind'], door: string): void {
  const p = s.pending;
  for (let i = p.length - 1; i >= 0; i--) if (p[i]!.kind === kind && p[i]!.door === door) p.splice(i, 1);
}

/** Moves the clock to `ts` for a record: raises what fell due strictly before it. */
function moveTo(s: TwinState, ts: number, changes: StateChange[]): void {
  if (s.at === null || ts > s.at) {
    flush(s, ts, false, changes);
    s.at = ts;
  }
}

interface Hours { days: Set<number>; start: number; end: number; timeZone: string; lastMinute: number; lastWeekday: number; lastMinuteOfDay: number }
const hoursCache = new WeakMap<Facility, Hours | null>();
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function hoursOf(f: Facility): Hours | null {
  let h = hoursCache.get(f);
  if (h !== undefined) return h;
  const bh = f.businessHours;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  h = bh === undefined ? null : {
    days: new Set(bh.days), start: minutes(bh.start), end: minutes(bh.end), timeZone: f.timezone,
    lastMinute: NaN, lastWeekday: 0, lastMinuteOfDay: 0,
  };
  hoursCache.set(f, h);
  return h;
}

/** ISO weekday (1 = Monday) and minute of the day (0–1439) of epoch ms `ms` in IANA time zone `timeZone` (DST-correct). */
export function localWeekdayMinute(timeZone: string, ms: number): { weekday: number; minute: number } {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  let weekday = 0, hour = 0, minute = 0;
  for (const part of fmt.formatToParts(ms)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

/**
 * Whether epoch ms `ms` falls in the facility's business hours, in its time
 * zone (`start` inclusive, `end` exclusive; no `businessHours` means always).
 * NOTE: a window with `end` before `start` runs past midnight and belongs to
 * the day it starts on; the spec leaves this case open.
 */
export function isBusinessHours(f: Facility, ms: number): boolean {
  const h = hoursOf(f);
  if (h === null) return true;
  // Every zone offset in use is a whole number of minutes, so one UTC minute is one local minute.
  const utcMinute = Math.floor(ms / 60_000);
  if (utcMinute !== h.lastMinute) {
    const l = localWeekdayMinute(h.timeZone, ms);
    h.lastMinute = utcMinute; h.lastWeekday = l.weekday; h.lastMinuteOfDay = l.minute;
  }
  const wd = h.lastWeekday, m = h.lastMinuteOfDay;
  if (h.start <= h.end) return h.days.has(wd) && m >= h.start && m < h.end;
  const prev = wd === 1 ? 7 : wd - 1;
  return (h.days.has(wd) && m >= h.start) || (h.days.has(prev) && m < h.end);
}

function hasCriticalSide(ix: FacilityIndex, door: string): boolean {
  const d = ix.doors.get(door)?.door;
  if (!d) return false;
  return d.zones.some((z) => z !== 'outside' && ix.zones.get(z)?.zone.critical === true);
}

/** The onset (epoch ms) written in an alarm id `<kind>:<door>:<onset ms>`, or null if it is not one. */
function onsetOfId(id: string): number | null {
  const first = id.indexOf(':'), last = id.lastIndexOf(':');
  if (first < 0 || last <= first + 1 || !(ALARM_KINDS as readonly string[]).includes(id.slice(0, first))) return null;
  const ms = Number(id.slice(last + 1));
  return id.length > last + 1 && Number.isFinite(ms) ? ms : null;
}

function reduceAlarmAction(s: TwinState, e: Extract<EventRecord, { type: 'alarm.acknowledged' | 'alarm.resolved' }>): ReduceResult {
  const changes: StateChange[] = [];
  const id = e.alarm;
  const known = own(s.alarms, id);
  if (known === undefined) {
    // An alarm whose onset is this very instant may still be pending: acting on it makes it final.
    const due = s.pending.some((p) => p.onset <= e.ts && alarmId(p.kind, p.door, p.onset) === id);
    if (!due) {
      const onset = onsetOfId(id);
      const what = e.type === 'alarm.acknowledged' ? 'acknowledgement' : 'resolution';
      if (onset !== null && onset > e.ts) {
        return fail(`alarm: ${what} at ${toIso(e.ts)} is earlier than the onset of ${JSON.stringify(id)} (${toIso(onset)}); no such alarm has been raised`);
      }
      return fail(`alarm: names no raised alarm ${JSON.stringify(id)}`);
    }
  } else if (e.ts < known.onset) {
    return fail(`alarm: ${e.type === 'alarm.acknowledged' ? 'acknowledgement' : 'resolution'} at ${toIso(e.ts)} is earlier than the onset of ${JSON.stringify(id)} (${toIso(known.onset)})`);
  }
  moveTo(s, e.ts, changes);
  if (own(s.alarms, id) === undefined) {
    const i = s.pending.findIndex((p) => alarmId(p.kind, p.door, p.onset) === id);
    const p = s.pending.splice(i, 1)[0]!;
    raise(s, p.kind, p.door, p.onset, changes);
  }
  const a = own(s.alarms, id)!;
  if (e.type === 'alarm.acknowledged') {
    if (a.acknowledgedAt === null) {
      a.acknowledgedAt = e.ts; a.acknowledgedBy = e.by;
      changes.push({ seq: ++s.seq, kind: 'alarm.acknowledged', alarm: { ...a } });
    }
  } else if (a.resolvedAt === null) {
    if (a.acknowledgedAt === null) { a.acknowledgedAt = e.ts; a.acknowledgedBy = e.by; }
    a.resolvedAt = e.ts; a.resolvedBy = e.by; a.outcome = e.outcome; a.note = e.note ?? null;
    changes.push({ seq: ++s.seq, kind: 'alarm.resolved', alarm: { ...a } });
  }
  // NOTE: a second acknowledgement or resolution is not a bad record (metrics.md §3); the first one stands.
  return { ok: true, changes, reading: null };
}

function reduceEvent(s: TwinState, e: EventRecord, ix: FacilityIndex): ReduceResult {
  if (s.at !== null && e.ts < s.at) {
    return fail(`out of order: event at ${toIso(e.ts)} is before the state's time ${toIso(s.at)}; events must be folded in ts order`);
  }
  if (s.sealed !== null && e.ts <= s.sealed) {
    return fail(`out of order: event at ${toIso(e.ts)} is not after ${toIso(s.sealed)}, which time has already passed`);
  }
  if (e.type === 'alarm.acknowledged' || e.type === 'alarm.resolved') return reduceAlarmAction(s, e);
  if (e.type === 'camera.offline' || e.type === 'camera.online') {
    const cam = own(s.cameras, e.camera);
    if (cam === undefined) return fail(`unknown camera ${JSON.stringify(e.camera)}`);
    const changes: StateChange[] = [];
    moveTo(s, e.ts, changes);
    const online = e.type === 'camera.online';
    if (cam.online !== online) {
      cam.online = online; cam.since = e.ts;
      changes.push({ seq: ++s.seq, kind: 'camera', camera: e.camera, online, since: e.ts });
    }
    return { ok: true, changes, reading: null };
  }
  const door = own(s.doors, e.door);
  const info = ix.doors.get(e.door);
  if (door === undefined || info === undefined) return fail(`unknown door ${JSON.stringify(e.door)}`);
  const changes: StateChange[] = [];
  moveTo(s, e.ts, changes);
  const mem = own(s.memory, e.door); // present exactly for reader doors: only they raise alarms
  const t = e.ts;
  switch (e.type) {
    case 'door.opened':
      if (door.open) break;
      door.open = true; door.since = t;
      changes.push({ seq: ++s.seq, kind: 'door', door: e.door, open: true, since: t });
      if (mem) {
        // Final only once time passes t: an access.granted / access.rex at t itself may still follow.
        if (mem.lastAccess === null || mem.lastAccess < t - FORCED_WINDOW_MS) addPending(s, { kind: 'door-forced', door: e.door, onset: t });
        addPending(s, { kind: 'door-held', door: e.door, onset: t + info.door.heldOpenSeconds * 1000 });
      }
      break;
    case 'door.closed':
      if (!door.open) break;
      door.open = false; door.since = t;
      changes.push({ seq: ++s.seq, kind: 'door', door: e.door, open: false, since: t });
      // NOTE: a close at the opening's own instant also cancels the held alarm, though (t, t + held] excludes t.
      if (mem) dropPending(s, 'door-held', e.door);
      break;
    case 'access.granted':
    case 'access.rex':
      if (!mem) break;
      mem.lastAccess = t;
      dropPending(s, 'door-forced', e.door); // any still pending has onset t
      if (e.type === 'access.granted' && hasCriticalSide(ix, e.door) && !isBusinessHours(ix.facility, t)) {
        raise(s, 'after-hours', e.door, t, changes);
      }
      break;
    case 'access.denied': {
      if (!mem) break;
      const d = mem.denials;
      d.push(t);
      let old = 0;
      while (old < d.length && d[old]! < t - DENIED_WINDOW_MS) old++;
      if (old > 0) d.splice(0, old);
      if (d.length >= DENIED_BURST_COUNT && (mem.lastBurst === null || mem.lastBurst < t - DENIED_WINDOW_MS)) {
        mem.lastBurst = t;
        raise(s, 'denied-burst', e.door, t, changes);
      }
      break;
    }
  }
  return { ok: true, changes, reading: null };
}

/**
 * Folds one record into the state (in place) and returns the numbered
 * changes it made. Alarms that fell due strictly before the record's `ts`
 * are raised first, with their exact onsets. An event earlier than the
 * state's time, an unknown id, or an acknowledgement / resolution naming no
 * raised alarm or earlier than its onset is refused and changes nothing.
 * A reading older than its sensor's latest is accepted but changes nothing.
 */
export function reduce(s: TwinState, rec: TwinRecord, ix: FacilityIndex): ReduceResult {
  if (isEvent(rec)) return reduceEvent(s, rec, ix);
  if (!ix.sensors.has(rec.sensor)) return fail(`unknown sensor ${JSON.stringify(rec.sensor)}`);
  const changes: StateChange[] = [];
  moveTo(s, rec.ts, changes);
  const prev = own(s.sensors, rec.sensor);
  if (prev !== undefined && rec.ts < prev.ts) return { ok: true, changes, reading: null };
  if (prev === undefined) put(s.sensors, rec.sensor, { value: rec.value, ts: rec.ts });
  else { prev.value = rec.value; prev.ts = rec.ts; }
  return { ok: true, changes, reading: rec };
}

/**
 * Lets time pass to `nowMs` (epoch ms) with no further record: raises the
 * pending alarms with onset ≤ nowMs (a door held past its limit, a forced
 * door) and seals that time, so a later event at or before it is refused.
 * Live, call it with a clock that lags ingest by its latency.
 */
export function advance(s: TwinState, nowMs: number): StateChange[] {
  const changes: StateChange[] = [];
  flush(s, nowMs, true, changes);
  if (s.at === null || nowMs > s.at) s.at = nowMs;
  if (s.sealed === null || nowMs > s.sealed) s.sealed = nowMs;
  return changes;
}

/** A refused record of a fold: its index in the input and the reason. */
export interface FoldRejection { index: number; reason: string }

/**
 * The state at `atMs` (epoch ms): folds the records (sorted by ts) with
 * ts ≤ atMs into a fresh state, then advances to atMs. Without `atMs`
 * it folds them all and advances to the last one's ts.
 */
export function replay(ix: FacilityIndex, records: readonly TwinRecord[], atMs?: number): { state: TwinState; rejected: FoldRejection[] } {
  const state = initialState(ix);
  const rejected: FoldRejection[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (atMs !== undefined && r.ts > atMs) break;
    const out = reduce(state, r, ix);
    if (!out.ok) rejected.push({ index: i, reason: out.reason });
  }
  const end = atMs ?? state.at;
  if (end !== null) advance(state, end);
  return { state, rejected };
}

/** An alarm as `/api/state` lists it (interfaces.md; `acknowledgedBy` added): times as ISO UTC strings. */
export interface AlarmStateJson { id: string; kind: AlarmKind; door: string; onset: string; acknowledgedAt: string | null; acknowledgedBy: string | null }

/** The `/api/state` document (interfaces.md): times as ISO UTC strings, `since` null if never changed. */
export interface StateJson {
  at: string | null;
  seq: number;
  sensors: Record<string, { value: number; ts: string }>;
  doors: Record<string, { open: boolean; since: string | null }>;
  cameras: Record<string, { online: boolean; since: string | null }>;
  alarms: AlarmStateJson[];
}

/** The state as the `/api/state` JSON; `atMs` (epoch ms) defaults to the state's own time. Open alarms are those not resolved. */
export function stateToJson(s: TwinState, atMs?: number): StateJson {
  const sensors: StateJson['sensors'] = {};
  for (const [id, r] of Object.entries(s.sensors)) put(sensors, id, { value: r.value, ts: toIso(r.ts) });
  const doors: StateJson['doors'] = {};
  for (const [id, d] of Object.entries(s.doors)) put(doors, id, { open: d.open, since: toIsoOrNull(d.since) });
  const cameras: StateJson['cameras'] = {};
  for (const [id, c] of Object.entries(s.cameras)) put(cameras, id, { online: c.online, since: toIsoOrNull(c.since) });
  const alarms: AlarmStateJson[] = [];
  for (const a of Object.values(s.alarms)) {
    if (a.resolvedAt === null) alarms.push({ id: a.id, kind: a.kind, door: a.door, onset: toIso(a.onset), acknowledgedAt: toIsoOrNull(a.acknowledgedAt), acknowledgedBy: a.acknowledgedBy });
  }
  return { at: toIsoOrNull(atMs ?? s.at), seq: s.seq, sensors, doors, cameras, alarms };
}
