// Incident reconstruction (issue 6): everything about one alarm that an
// operator needs to replay and export it, read from the store. The state at
// the onset comes from the same replay as `/api/state?at=` (latest keyframe,
// then the one reducer over the stored records), so the incident, the live
// view and the replay cannot disagree.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import type { Door } from '../../src/core/facility/schema.ts';
import { pointInPolygon, pointSegmentDistance } from '../../src/core/geometry.ts';
import { camerasSeeingPoint } from '../../src/core/metrics/coverage.ts';
import type { CoverageLevel } from '../../src/core/facility/schema.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { ALARM_KINDS, type AlarmKind, type EventRecord, type EventType } from '../../src/core/records.ts';
import { initialState, reduce, stateToJson } from '../../src/core/reducer.ts';
import type {
  BadgeStep, IncidentAction, IncidentAlarm, IncidentBadge, IncidentCamera, IncidentDoor, IncidentEvent,
  IncidentLifecycle, IncidentParts, IncidentReadings,
} from '../../src/core/bundle.ts';
import { HttpError } from '../http/respond.ts';
import { stateAt } from '../store/replay.ts';
import type { Store, StoredRecord } from '../store/types.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Minutes of history before and after the onset an incident covers by default. */
export const DEFAULT_WINDOW_MINUTES = 15;
/** Most minutes `before` or `after` may ask for (24 h). */
export const MAX_WINDOW_MINUTES = 24 * 60;
/** The window runs on to the resolution when that is later than onset + after, but not beyond onset + this, ms (24 h). */
export const MAX_RESOLUTION_SPAN_MS = 24 * HOUR_MS;
/** A badge's trail covers the window widened by this on each side, ms (1 h). */
export const BADGE_TRAIL_MARGIN_MS = HOUR_MS;
/** Readings are down-sampled to buckets of this, ms (1 min). */
export const READINGS_STEP_MS = MINUTE_MS;
/** Height above the slab at which cameras are judged to see the door, m (a face). */
export const DOOR_TARGET_HEIGHT_M = 1.5;
/**
 * Cameras are judged at a person this far in front of the door on each side,
 * m. NOTE: not at the door's own position: a door stands in a wall, and a
 * point on a wall's centre line is blocked by that wall for every camera
 * (metrics.md §2, end points included).
 */
export const DOOR_APPROACH_M = 0.5;
/** A wall this close to a door's position is the wall it stands in, m. */
const DOOR_WALL_TOLERANCE_M = 0.25;
/** Most events one incident carries; a wider window is refused. */
export const MAX_INCIDENT_EVENTS = 100_000;

/** The DORI levels that count as seeing the door: recognition or better. */
const SEEING_LEVELS: ReadonlySet<string> = new Set(['recognition', 'identification']);
const ACCESS_BY_BADGE: EventType[] = ['access.granted', 'access.denied'];
const ALARM_ACTIONS: EventType[] = ['alarm.acknowledged', 'alarm.resolved'];
const CAMERA_EVENTS: EventType[] = ['camera.offline', 'camera.online'];
const ID_RE = /^[A-Za-z0-9_.:-]+$/;

/** An alarm id taken apart: `<kind>:<door>:<onset ms>` (metrics.md §3). */
export interface ParsedAlarmId { kind: AlarmKind; door: string; onset: number }

/** Takes an alarm id apart, or says why it is not one. The door id may itself contain `:`. */
export function parseAlarmId(id: string): { ok: true; value: ParsedAlarmId } | { ok: false; reason: string } {
  const bad = (why: string) => ({ ok: false as const, reason: `alarm id ${JSON.stringify(id.slice(0, 200))}: ${why}; expected <kind>:<door>:<onset ms>, e.g. door-forced:D-101:1793608440000` });
  if (id.length > 200) return bad('longer than 200 characters');
  const first = id.indexOf(':'), last = id.lastIndexOf(':');
  if (first < 0 || last === first) return bad('not three parts');
  const kind = id.slice(0, first), door = id.slice(first + 1, last), onsetText = id.slice(last + 1);
  if (!(ALARM_KINDS as readonly string[]).includes(kind)) return bad(`unknown kind ${JSON.stringify(kind)} (known: ${ALARM_KINDS.join(', ')})`);
  if (door === '' || !ID_RE.test(door)) return bad('the door id is empty or has characters ids may not have');
  if (!/^-?\d{1,16}$/.test(onsetText) || !Number.isSafeInteger(Number(onsetText))) return bad(`the onset ${JSON.stringify(onsetText)} is not epoch milliseconds`);
  return { ok: true, value: { kind: kind as AlarmKind, door, onset: Number(onsetText) } };
}

/** What the builder reads. */
export interface IncidentSources {
  store: Store;
  index: FacilityIndex;
  /** How far the live state has got (epoch ms): nothing after it is final yet. */
  liveUntil: () => number;
}

/** Window widths asked for, minutes. */
export interface IncidentOptions { beforeMinutes?: number; afterMinutes?: number }

function doorJson(ix: FacilityIndex, id: string): IncidentDoor {
  const d = ix.doors.get(id)!;
  return {
    id, name: d.door.name, floor: d.floor.id, position: [d.door.position[0], d.door.position[1]],
    zones: [d.door.zones[0], d.door.zones[1]], hasReader: d.door.reader,
  };
}

/** The alarm's door, then every other door of the zones on either side of it, in model order. */
function incidentDoors(ix: FacilityIndex, door: Door): string[] {
  const ids = [door.id];
  for (const z of door.zones) {
    if (z === 'outside') continue;
    for (const d of ix.doorsByZone.get(z) ?? []) if (!ids.includes(d.id)) ids.push(d.id);
  }
  return ids;
}

/** Where cameras are judged to see a door: `DOOR_APPROACH_M` in front of it on each side of its wall (or along both axes when it stands in none), with the zone each point is in. */
export function doorViewpoints(ix: FacilityIndex, doorId: string): { x: number; y: number; zone: string | null }[] {
  const { door, floor } = ix.doors.get(doorId)!;
  const p = door.position;
  let wall: { from: [number, number]; to: [number, number] } | null = null;
  let nearest = DOOR_WALL_TOLERANCE_M;
  for (const w of floor.walls) {
    const d = pointSegmentDistance(p, w.from, w.to);
    if (d <= nearest && (w.to[0] !== w.from[0] || w.to[1] !== w.from[1])) { nearest = d; wall = w; }
  }
  let dirs: [number, number][];
  if (wall) {
    const dx = wall.to[0] - wall.from[0], dy = wall.to[1] - wall.from[1], len = Math.hypot(dx, dy);
    dirs = [[-dy / len, dx / len], [dy / len, -dx / len]];
  } else {
    dirs = [[1, 0], [-1, 0], [0, 1], [0, -1]];
  }
  return dirs.map(([nx, ny]) => {
    const x = p[0] + nx * DOOR_APPROACH_M, y = p[1] + ny * DOOR_APPROACH_M;
    const inside = door.zones.find((z) => z !== 'outside' && pointInPolygon(x, y, ix.zones.get(z)?.zone.polygon ?? []));
    return { x, y, zone: inside ?? (door.zones.includes('outside') ? 'outside' : null) };
  });
}

/** A camera that sees a door: its best view over the door's viewpoints. */
export interface DoorSight { cameraId: string; pixelDensity: number; level: CoverageLevel; seenFrom: string | null }

/** The lifecycle by the rules of metrics.md §3 from the stored actions at or after the onset. */
export function lifecycleOf(onset: number, actions: readonly StoredRecord<EventRecord>[]): IncidentLifecycle {
  const lc: IncidentLifecycle = {
    status: 'open', raised: toIso(onset), acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null,
    outcome: null, note: null, ttaS: null, ttrS: null, actions: [],
  };
  let ackMs: number | null = null, resMs: number | null = null;
  for (const { record: e } of actions) {
    if (e.ts < onset) continue; // the reducer refuses these; they changed nothing
    if (e.type === 'alarm.acknowledged') {
      lc.actions.push({ ts: toIso(e.ts), type: e.type, by: e.by });
      if (ackMs === null && resMs === null) { ackMs = e.ts; lc.acknowledgedBy = e.by; }
    } else if (e.type === 'alarm.resolved') {
      const a: IncidentAction = { ts: toIso(e.ts), type: e.type, by: e.by, outcome: e.outcome };
      if (e.note !== undefined) a.note = e.note;
      lc.actions.push(a);
      if (resMs === null) {
        resMs = e.ts; lc.resolvedBy = e.by; lc.outcome = e.outcome; lc.note = e.note ?? null;
        if (ackMs === null) { ackMs = e.ts; lc.acknowledgedBy = e.by; }
      }
    }
  }
  if (ackMs !== null) { lc.acknowledgedAt = toIso(ackMs); lc.ttaS = (ackMs - onset) / 1000; lc.status = 'acknowledged'; }
  if (resMs !== null) { lc.resolvedAt = toIso(resMs); lc.ttrS = (resMs - onset) / 1000; lc.status = 'resolved'; }
  return lc;
}

function eventJson(e: EventRecord): IncidentEvent {
  return { ...e, ts: toIso(e.ts) } as IncidentEvent;
}

/** Builds incidents over one facility; caches what depends on the model only. */
export class IncidentBuilder {
  private readonly sightCache = new Map<string, DoorSight[]>();

  constructor(private readonly src: IncidentSources) {}

  /** The cameras that see a door at recognition level or better from either side, best first (model order among equals). */
  camerasSeeingDoor(doorId: string): DoorSight[] {
    let hit = this.sightCache.get(doorId);
    if (!hit) {
      const ix = this.src.index;
      const floor = ix.doors.get(doorId)!.floor;
      const best = new Map<string, DoorSight>();
      for (const v of doorViewpoints(ix, doorId)) {
        for (const c of camerasSeeingPoint(ix.facility, floor.id, v.x, v.y, DOOR_TARGET_HEIGHT_M)) {
          if (c.level === null || !SEEING_LEVELS.has(c.level)) continue;
          const had = best.get(c.cameraId);
          if (!had || c.pixelDensity > had.pixelDensity) best.set(c.cameraId, { cameraId: c.cameraId, pixelDensity: c.pixelDensity, level: c.level, seenFrom: v.zone });
        }
      }
      const order = floor.cameras.map((c) => c.id);
      hit = [...best.values()].sort((a, b) => b.pixelDensity - a.pixelDensity || order.indexOf(a.cameraId) - order.indexOf(b.cameraId));
      this.sightCache.set(doorId, hit);
    }
    return hit;
  }

  /**
   * Each camera's stream over `[from, to]`: online or not at `from`, and every
   * change in `(from, to]`. Camera state depends on camera events alone, so
   * the reducer folds just those, from the latest keyframe at or before
   * `from`: the changes are the reducer's own, without reading the window's
   * readings again.
   */
  private async cameraStreams(ids: readonly string[], from: number, to: number): Promise<Map<string, { atStart: boolean; changes: { ts: number; online: boolean }[] }>> {
    const { store, index: ix } = this.src;
    const out = new Map<string, { atStart: boolean; changes: { ts: number; online: boolean }[] }>();
    if (ids.length === 0) return out;
    const keyframe = await store.snapshotAtOrBefore(from);
    const s = initialState(ix);
    for (const id of ids) {
      const kept = keyframe && Object.hasOwn(keyframe.state.cameras, id) ? keyframe.state.cameras[id] : undefined;
      if (kept) Object.defineProperty(s.cameras, id, { value: { ...kept }, writable: true, enumerable: true, configurable: true });
    }
    const events = await store.events({ ...(keyframe ? { from: keyframe.ts + 1 } : {}), to, about: ids, types: CAMERA_EVENTS });
    let i = 0;
    for (; i < events.length && events[i]!.record.ts <= from; i++) reduce(s, events[i]!.record, ix);
    for (const id of ids) out.set(id, { atStart: s.cameras[id]?.online ?? true, changes: [] });
    for (; i < events.length; i++) {
      const r = reduce(s, events[i]!.record, ix);
      if (!r.ok) continue;
      for (const c of r.changes) if (c.kind === 'camera') out.get(c.camera)?.changes.push({ ts: c.since, online: c.online });
    }
    return out;
  }

  /**
   * The incident of an alarm id. Throws HttpError 400 for a malformed id or
   * window, 404 for an alarm that was not raised (or not yet).
   */
  async build(alarmId: string, opts: IncidentOptions = {}): Promise<IncidentParts> {
    const { store, index: ix } = this.src;
    const parsed = parseAlarmId(alarmId);
    if (!parsed.ok) throw new HttpError(400, parsed.reason);
    const { kind, door: doorId, onset } = parsed.value;
    const doorEntry = ix.doors.get(doorId);
    if (!doorEntry) throw new HttpError(404, `no alarm ${JSON.stringify(alarmId)}: this facility has no door ${JSON.stringify(doorId)}`);
    if (!doorEntry.door.reader) throw new HttpError(404, `no alarm ${JSON.stringify(alarmId)}: door ${JSON.stringify(doorId)} has no reader and raises no alarms`);
    const liveUntil = this.src.liveUntil();
    if (onset > liveUntil) throw new HttpError(404, `no alarm ${JSON.stringify(alarmId)} has been raised: its onset ${toIso(onset)} is after the live state's time ${toIso(liveUntil)}`);

    const beforeMin = opts.beforeMinutes ?? DEFAULT_WINDOW_MINUTES, afterMin = opts.afterMinutes ?? DEFAULT_WINDOW_MINUTES;
    const actions = (await store.events({ about: [alarmId], types: ALARM_ACTIONS })).filter((r) => 'alarm' in r.record && r.record.alarm === alarmId);
    const lifecycle = lifecycleOf(onset, actions);
    const from = onset - beforeMin * MINUTE_MS;
    let plannedTo = onset + afterMin * MINUTE_MS;
    if (lifecycle.resolvedAt !== null) plannedTo = Math.max(plannedTo, Math.min(Date.parse(lifecycle.resolvedAt), onset + MAX_RESOLUTION_SPAN_MS));
    const to = Math.min(plannedTo, liveUntil);

    // The state at the onset: the same replay as /api/state?at= (latest keyframe, then the one reducer).
    const doorIds = incidentDoors(ix, doorEntry.door);
    const sights = this.camerasSeeingDoor(doorId);
    const atOnset = (await stateAt(store, ix, onset)).state;
    if (!Object.hasOwn(atOnset.alarms, alarmId)) throw new HttpError(404, `no alarm ${JSON.stringify(alarmId)} was raised: the stored records do not raise a ${kind} alarm at ${doorId} at ${toIso(onset)}`);
    const stateAtOnset = stateToJson(atOnset, onset);
    const streams = await this.cameraStreams(sights.map((c) => c.cameraId), from, to);

    const windowEvents = await store.events({ from, to, about: doorIds, limit: MAX_INCIDENT_EVENTS + 1 });
    if (windowEvents.length > MAX_INCIDENT_EVENTS) throw new HttpError(400, `more than ${MAX_INCIDENT_EVENTS} events in the window ${toIso(from)} – ${toIso(to)}; ask for a narrower before/after`);

    // Badges seen at the incident's doors, in order of first sight, then each one's trail anywhere.
    const badgeDoors = new Map<string, string[]>();
    for (const { record: e } of windowEvents) {
      if (e.type !== 'access.granted' && e.type !== 'access.denied') continue;
      let list = badgeDoors.get(e.badge);
      if (!list) badgeDoors.set(e.badge, list = []);
      if (!list.includes(e.door)) list.push(e.door);
    }
    const trails = new Map<string, BadgeStep[]>();
    for (const b of badgeDoors.keys()) trails.set(b, []);
    if (badgeDoors.size > 0) {
      const access = await store.events({ from: from - BADGE_TRAIL_MARGIN_MS, to: to + BADGE_TRAIL_MARGIN_MS, types: ACCESS_BY_BADGE });
      for (const { record: e } of access) {
        if (e.type !== 'access.granted' && e.type !== 'access.denied') continue;
        const trail = trails.get(e.badge);
        const d = ix.doors.get(e.door);
        if (!trail || !d) continue;
        trail.push({ ts: toIso(e.ts), type: e.type, door: e.door, zones: [d.door.zones[0], d.door.zones[1]], floor: d.floor.id });
      }
    }
    const badges: IncidentBadge[] = [...badgeDoors].map(([badge, doors]) => ({ badge, doors, trail: trails.get(badge) ?? [] }));

    const cameras: IncidentCamera[] = sights.map((sight) => {
      const cam = ix.cameras.get(sight.cameraId)!;
      const stream = streams.get(sight.cameraId)!;
      let online = stream.atStart, since = from, offlineMs = 0;
      for (const c of stream.changes) {
        if (!online) offlineMs += c.ts - since;
        online = c.online; since = c.ts;
      }
      if (!online) offlineMs += to - since;
      return {
        id: sight.cameraId, name: cam.camera.name, floor: cam.floor.id, level: sight.level, pixelDensity: sight.pixelDensity, seenFrom: sight.seenFrom,
        onlineAtStart: stream.atStart, onlineAtOnset: stateAtOnset.cameras[sight.cameraId]?.online ?? true,
        changes: stream.changes.map((c) => ({ ts: toIso(c.ts), online: c.online })), offlineMs,
      };
    });

    const readings: IncidentReadings = { stepMs: READINGS_STEP_MS, zones: [], sensors: [] };
    const bucketFrom = Math.floor(from / READINGS_STEP_MS) * READINGS_STEP_MS;
    for (const z of doorEntry.door.zones) {
      const zone = ix.zones.get(z)?.zone;
      if (!zone) continue; // outside
      readings.zones.push({
        id: zone.id, name: zone.name, isCritical: zone.critical === true,
        temperature: zone.temperature ? { setpoint: zone.temperature.setpoint, tolerance: zone.temperature.tolerance } : null,
      });
      for (const sensor of ix.sensorsByZone.get(z) ?? []) {
        const buckets = await store.telemetryBuckets({ sensor: sensor.id, from: bucketFrom, to, stepMs: READINGS_STEP_MS });
        readings.sensors.push({
          sensor: sensor.id, kind: sensor.kind, unit: sensor.unit, zone: z,
          buckets: buckets.map((b) => ({ ts: toIso(b.ts), min: b.min, max: b.max, mean: b.mean, count: b.count })),
        });
      }
    }

    const alarm: IncidentAlarm = {
      id: alarmId, kind, onset: toIso(onset), door: doorJson(ix, doorId), doors: doorIds.map((id) => doorJson(ix, id)),
      window: { from: toIso(from), to: toIso(to), beforeMinutes: beforeMin, afterMinutes: afterMin, isComplete: plannedTo <= liveUntil },
    };
    return {
      alarm, lifecycle, events: windowEvents.map((r) => eventJson(r.record)), badges, cameras, readings, stateAtOnset,
    };
  }
}
