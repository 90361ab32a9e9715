// The tour as the display runs it: stops checked against the facility, each
// with its title and dwell, and the order per loop. The default tour is
// generated from the facility: the overview, each floor, each critical zone,
// the coverage view (plan of the floor with the most critical area), the ROI.
// Pure: no React, no three, no DOM.
import type { FacilityIndex } from '../../core/facility/model.ts';
import type { Floor } from '../../core/facility/schema.ts';
import type { AlarmKind } from '../../core/records.ts';
import { polygonArea } from '../../core/geometry.ts';
import {
  DEFAULT_ALARM_TIMEOUT_S, DEFAULT_DWELL_S, STOP_KINDS, type StopKind, type StopSpec, type TourOrder, type TourSpec,
} from './tourFile.ts';
import { mulberry32 } from '../../core/random.ts';

/** A stop the display can show. */
export interface TourStop {
  kind: StopKind;
  /** The floor (floor, coverage) or zone (zone) it shows; null for overview and ROI. */
  id: string | null;
  /** The floor it stands on (null: all floors). */
  floorId: string | null;
  dwellMs: number;
  /** The big line. */
  title: string;
  /** The small line above it: what kind of stop and where. */
  kicker: string;
  /** `kind` or `kind:id`, unique enough for tests and `data-stop`. */
  key: string;
}

/** The checked tour. */
export interface TourPlan {
  stops: TourStop[];
  order: TourOrder;
  alarmTimeoutMs: number;
  /** The alarm kinds that preempt the tour; null: every kind. */
  alarmKinds: AlarmKind[] | null;
  /** What was asked for and could not be shown (unknown ids, stops of no use), as sentences. */
  warnings: string[];
}

/** Floors in elevation order (model order breaks ties). */
function floorsUp(ix: FacilityIndex): Floor[] {
  return ix.facility.floors.map((f, i) => ({ f, i })).sort((a, b) => a.f.elevation - b.f.elevation || a.i - b.i).map((x) => x.f);
}

/** The floor the coverage stop shows by default: the one with the most critical zone area (else the lowest). */
export function defaultCoverageFloor(ix: FacilityIndex): Floor | null {
  let best: Floor | null = null, bestArea = -1;
  for (const f of floorsUp(ix)) {
    const area = f.zones.filter((z) => z.critical).reduce((a, z) => a + polygonArea(z.polygon), 0);
    if (area > bestArea) { best = f; bestArea = area; }
  }
  return best;
}

/** The default tour's stops: overview, every floor (upwards), every critical zone (by floor, in model order), coverage, ROI. */
export function defaultStops(ix: FacilityIndex): StopSpec[] {
  const floors = floorsUp(ix);
  const stops: StopSpec[] = [{ kind: 'overview' }];
  for (const f of floors) stops.push({ kind: 'floor', id: f.id });
  for (const f of floors) for (const z of f.zones) if (z.critical) stops.push({ kind: 'zone', id: z.id });
  const cov = defaultCoverageFloor(ix);
  if (cov) stops.push({ kind: 'coverage', id: cov.id });
  stops.push({ kind: 'roi' });
  return stops;
}

const KIND_WORDS: Record<StopKind, string> = { overview: 'overview', floor: 'floor', zone: 'zone', coverage: 'coverage', roi: 'ROI' };

/** Resolves one stop against the facility, or says why it cannot be shown. */
function resolveStop(ix: FacilityIndex, s: StopSpec, dwellMs: number): TourStop | string {
  const name = ix.facility.name;
  switch (s.kind) {
    case 'overview':
      return { kind: 'overview', id: null, floorId: null, dwellMs, title: s.title ?? name, kicker: 'Plant overview', key: 'overview' };
    case 'roi':
      return { kind: 'roi', id: null, floorId: null, dwellMs, title: s.title ?? 'Return on resilience', kicker: 'Resilience ROI · the whole plant', key: 'roi' };
    case 'floor': {
      const f = s.id === undefined ? floorsUp(ix)[0] : ix.facility.floors.find((x) => x.id === s.id);
      if (!f) return `floor stop: unknown floor ${JSON.stringify(s.id)}`;
      const critical = f.zones.filter((z) => z.critical).length;
      return {
        kind: 'floor', id: f.id, floorId: f.id, dwellMs, title: s.title ?? f.name,
        kicker: `Floor ${f.id} · ${f.zones.length} zones, ${critical} critical`, key: `floor:${f.id}`,
      };
    }
    case 'coverage': {
      const f = s.id === undefined ? defaultCoverageFloor(ix) : ix.facility.floors.find((x) => x.id === s.id);
      if (!f) return `coverage stop: unknown floor ${JSON.stringify(s.id)}`;
      return {
        kind: 'coverage', id: f.id, floorId: f.id, dwellMs, title: s.title ?? `Coverage · ${f.name}`,
        kicker: `Camera coverage · plan of floor ${f.id}`, key: `coverage:${f.id}`,
      };
    }
    case 'zone': {
      if (s.id === undefined) return 'zone stop: needs the zone id (zone:<id>)';
      const z = ix.zones.get(s.id);
      if (!z) return `zone stop: unknown zone ${JSON.stringify(s.id)}`;
      const iso = z.zone.isoClass && !new RegExp(`ISO\\s*${z.zone.isoClass}\\b`).test(z.zone.name) ? ` · ISO ${z.zone.isoClass}` : '';
      return {
        kind: 'zone', id: z.zone.id, floorId: z.floor.id, dwellMs, title: s.title ?? z.zone.name,
        kicker: `${z.zone.critical ? 'Critical zone' : 'Zone'} ${z.zone.id} · ${z.floor.name}${iso}`, key: `zone:${z.zone.id}`,
      };
    }
  }
}

/** Checks a tour spec against the facility: unknown stops are dropped with a warning; none left falls back to the default tour. */
export function resolvePlan(ix: FacilityIndex, spec: TourSpec): TourPlan {
  const dwellS = spec.dwellS ?? DEFAULT_DWELL_S;
  const warnings: string[] = [];
  const resolve = (list: readonly StopSpec[]) => {
    const out: TourStop[] = [];
    for (const s of list) {
      const r = resolveStop(ix, s, Math.round((s.dwellS ?? dwellS) * 1000));
      if (typeof r === 'string') warnings.push(r); else out.push(r);
    }
    return out;
  };
  let stops = resolve(spec.stops ?? defaultStops(ix));
  let order: TourOrder = spec.order ?? 'listed';
  if (Array.isArray(order)) {
    const kinds = order;
    const kept = stops.filter((s) => kinds.includes(s.kind));
    if (kept.length === 0 && stops.length > 0) {
      warnings.push(`order: none of the stops is of kind ${kinds.map((k) => KIND_WORDS[k]).join(', ')}; order ignored`);
      order = 'listed';
    } else stops = kept;
  }
  if (stops.length === 0) {
    warnings.push('no stop of the tour can be shown; showing the default tour');
    stops = resolve(defaultStops(ix));
  }
  return { stops, order, alarmTimeoutMs: Math.round((spec.alarmTimeoutS ?? DEFAULT_ALARM_TIMEOUT_S) * 1000), alarmKinds: spec.alarmKinds ?? null, warnings };
}


/**
 * Which stop (index into `plan.stops`) is at each position of loop `loop`:
 * as listed; grouped by kind in the order's kind order (stable); or shuffled
 * per loop (deterministic, and never starting a loop with the stop that ended the previous one).
 */
export function loopOrder(plan: Pick<TourPlan, 'stops' | 'order'>, loop: number): number[] {
  const n = plan.stops.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  const { order } = plan;
  if (order === 'listed') return idx;
  if (Array.isArray(order)) {
    const rank = (k: StopKind) => { const r = order.indexOf(k); return r < 0 ? order.length + STOP_KINDS.indexOf(k) : r; };
    return idx.sort((a, b) => rank(plan.stops[a]!.kind) - rank(plan.stops[b]!.kind) || a - b);
  }
  if (n <= 2) return idx; // two stops can only alternate
  const shuffled = (l: number) => {
    const rnd = mulberry32(0x5eed + l * 7919);
    const p = idx.slice();
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [p[i], p[j]] = [p[j]!, p[i]!]; }
    return p;
  };
  const p = shuffled(loop);
  if (loop > 0 && n > 1) {
    const prevLast = shuffled(loop - 1)[n - 1];
    if (p[0] === prevLast) [p[0], p[1]] = [p[1]!, p[0]!];
  }
  return p;
}
