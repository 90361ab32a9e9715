// History over HTTP (interfaces.md): GET /api/events, GET /api/telemetry.
// Times in queries are ISO 8601 with an offset or epoch ms; in answers ISO UTC.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { pointInPolygon } from '../../src/core/geometry.ts';
import { parseTimestamp } from '../../src/core/parse.ts';
import { EVENT_TYPES, type EventType } from '../../src/core/records.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { HttpError, sendJson } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { requireRole } from '../auth/guard.ts';
import type { Authenticator } from '../auth/tokens.ts';
import type { EventQuery, Store } from './types.ts';

/** Most events one call returns (`limit` may lower it). */
export const MAX_EVENTS = 100_000;
/** Most raw readings one call returns; ask with `step` for more. */
export const MAX_READINGS = 100_000;
/** Most buckets one down-sampled call returns. */
export const MAX_BUCKETS = 100_000;

/** A time query parameter (ISO 8601 with an offset, or epoch ms); 400 when unreadable. */
export function queryTime(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const t = parseTimestamp(v);
  if (!t.ok) throw new HttpError(400, `${name}: ${t.reason}`);
  return t.ms;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A step such as `500ms`, `30s`, `5m`, `1h`, `1d`; a bare number is milliseconds. */
export function parseStepMs(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!) : NaN;
  if (!(ms >= 1)) throw new HttpError(400, `step: expected a duration like 500ms, 30s, 5m, 1h or 1d (a bare number is milliseconds), got ${JSON.stringify(v)}`);
  return ms;
}

/** The ids whose events belong to a zone: the doors touching it and the cameras standing in it. */
export function zoneSubjects(ix: FacilityIndex, zoneId: string): string[] {
  const z = ix.zones.get(zoneId);
  if (!z) throw new HttpError(400, `zone: unknown zone ${JSON.stringify(zoneId)}`);
  const ids = (ix.doorsByZone.get(zoneId) ?? []).map((d) => d.id);
  for (const c of z.floor.cameras) if (pointInPolygon(c.position[0], c.position[1], z.zone.polygon)) ids.push(c.id);
  return ids;
}

/** Registers the history routes. */
export function historyRoutes(o: { router: Router; store: Store; index: FacilityIndex; auth: Authenticator }): void {
  const ix = o.index;

  o.router.get('/api/events', async ({ req, res, url }) => {
    await requireRole(o.auth, req, 'viewer');
    const q: EventQuery = {};
    const from = queryTime(url, 'from'), to = queryTime(url, 'to');
    if (from !== undefined) q.from = from;
    if (to !== undefined) q.to = to;
    const types = url.searchParams.get('types');
    if (types) {
      const list = types.split(',').map((t) => t.trim()).filter(Boolean);
      const bad = list.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
      if (bad.length) throw new HttpError(400, `types: unknown event type(s) ${bad.map((b) => JSON.stringify(b)).join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
      q.types = list as EventType[];
    }
    let about: string[] | null = null;
    const door = url.searchParams.get('door');
    if (door) {
      if (!ix.doors.has(door)) throw new HttpError(400, `door: unknown door ${JSON.stringify(door)}`);
      about = [door];
    }
    const zone = url.searchParams.get('zone');
    if (zone) {
      const inZone = zoneSubjects(ix, zone);
      about = about ? about.filter((id) => inZone.includes(id)) : inZone;
    }
    if (about) q.about = about;
    const limitParam = url.searchParams.get('limit');
    const limit = limitParam === null ? MAX_EVENTS : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) throw new HttpError(400, `limit: expected an integer 1–${MAX_EVENTS}, got ${JSON.stringify(limitParam)}`);
    q.limit = limit;
    const rows = await o.store.events(q);
    sendJson(res, 200, {
      from: from === undefined ? null : toIso(from), to: to === undefined ? null : toIso(to),
      count: rows.length, truncated: rows.length === limit,
      events: rows.map((r) => ({ ...r.record, ts: toIso(r.record.ts) })),
    });
  });

  o.router.get('/api/telemetry', async ({ req, res, url }) => {
    await requireRole(o.auth, req, 'viewer');
    const sensor = url.searchParams.get('sensor');
    if (!sensor) throw new HttpError(400, 'sensor: required, e.g. ?sensor=T-CR101-1');
    if (!ix.sensors.has(sensor)) throw new HttpError(400, `sensor: unknown sensor ${JSON.stringify(sensor)}`);
    let from = queryTime(url, 'from'), to = queryTime(url, 'to');
    const stepParam = url.searchParams.get('step');
    if (stepParam === null || stepParam === '') {
      const rows = await o.store.telemetry({ sensor, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), limit: MAX_READINGS + 1 });
      if (rows.length > MAX_READINGS) throw new HttpError(400, `more than ${MAX_READINGS} readings in the range; narrow from/to or give step`);
      sendJson(res, 200, {
        sensor, from: from === undefined ? null : toIso(from), to: to === undefined ? null : toIso(to),
        readings: rows.map((r) => ({ ts: toIso(r.record.ts), value: r.record.value })),
      });
      return;
    }
    const stepMs = parseStepMs(stepParam);
    if (from === undefined || to === undefined) {
      const range = await o.store.timeRange();
      from ??= range?.from ?? 0;
      to ??= range?.to ?? 0;
    }
    if ((to - from) / stepMs > MAX_BUCKETS) throw new HttpError(400, `step: more than ${MAX_BUCKETS} buckets from ${toIso(from)} to ${toIso(to)}; give a longer step`);
    const buckets = await o.store.telemetryBuckets({ sensor, from, to, stepMs });
    sendJson(res, 200, {
      sensor, from: toIso(from), to: toIso(to), stepMs,
      buckets: buckets.map((b) => ({ ts: toIso(b.ts), min: b.min, max: b.max, mean: b.mean, count: b.count })),
    });
  });
}
