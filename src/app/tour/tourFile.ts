// How a tour is configured: a `twinspace.tour/1` JSON file (checked with zod,
// every problem listed with its path) and the URL of the display
// (`?mode=tour&dwell=20&stops=overview,zone:CR-103@30,roi&order=shuffle
// &tour=/tours/lobby.json&alarmTimeout=120&alarmKinds=door-forced,denied-burst
// &refresh=300&noDataAfter=15`).
// The URL wins over the file, the file over the defaults. Pure: no React,
// no three, no DOM.
import { z } from 'zod';
import { formatPath, type Problem } from '../../core/facility/validate.ts';
import { ALARM_KINDS, type AlarmKind } from '../../core/records.ts';

/** The format string of tour files. */
export const TOUR_FORMAT = 'twinspace.tour/1';

/** What a stop shows. */
export const STOP_KINDS = ['overview', 'floor', 'zone', 'coverage', 'roi'] as const;
export type StopKind = (typeof STOP_KINDS)[number];

/** Default dwell at each stop, s. */
export const DEFAULT_DWELL_S = 20;
/** Shortest and longest dwell accepted, s. */
export const MIN_DWELL_S = 1;
export const MAX_DWELL_S = 3600;
/** How long an unacknowledged alarm holds the display before the tour resumes, s. */
export const DEFAULT_ALARM_TIMEOUT_S = 120;
/** How often the figures are fetched again, s (the KPI window is a rolling 24 h). */
export const DEFAULT_REFRESH_S = 300;
/**
 * Live data counts as stopped after this long without a single live write, s.
 * NOTE: the hub sends a frame only when a reading changed (not every 250 ms
 * tick), so the threshold is three of the plant's 5 s reading intervals, not
 * three frame ticks.
 */
export const DEFAULT_NO_DATA_AFTER_S = 15;

/** Stop order: as listed, shuffled anew each loop, or grouped by kind in the given order (kinds left out are dropped). */
export type TourOrder = 'listed' | 'shuffle' | StopKind[];

/** A stop as a file or the URL gives it (ids not yet checked against the facility). */
export interface StopSpec { kind: StopKind; id?: string | undefined; dwellS?: number | undefined; title?: string | undefined }

/** What a tour file or the URL asks for; anything absent takes the default. */
export interface TourSpec {
  stops?: StopSpec[] | undefined;
  dwellS?: number | undefined;
  order?: TourOrder | undefined;
  alarmTimeoutS?: number | undefined;
  /** The alarm kinds that preempt the tour (absent: all; empty: none). */
  alarmKinds?: AlarmKind[] | undefined;
}

const ID_RE = /^[A-Za-z0-9_.:-]+$/;
const dwell = z.number({ error: 'expected a number of seconds' })
  .refine((v) => Number.isFinite(v) && v >= MIN_DWELL_S && v <= MAX_DWELL_S, `must be ${MIN_DWELL_S}–${MAX_DWELL_S} s`);
const kind = z.enum(STOP_KINDS, { error: `expected one of ${STOP_KINDS.join(', ')}` });

const stopSchema = z.strictObject({
  kind,
  id: z.string({ error: 'expected a string' }).regex(ID_RE, 'expected a facility id (letters, digits, "-", "_", ".", ":")').optional(),
  dwellS: dwell.optional(),
  title: z.string({ error: 'expected a string' }).min(1, 'must be a non-empty string').max(120, 'at most 120 characters').optional(),
});

const orderSchema = z.union([
  z.enum(['listed', 'shuffle']),
  z.array(kind).min(1, 'list at least one kind'),
], { error: `expected "listed", "shuffle" or a list of kinds (${STOP_KINDS.join(', ')})` });

/** A `twinspace.tour/1` document: every field but `format` optional; `stops` absent means the tour generated from the facility. */
export const tourFileSchema = z.strictObject({
  format: z.literal(TOUR_FORMAT, { error: `must be "${TOUR_FORMAT}"` }),
  name: z.string().optional(),
  stops: z.array(stopSchema).min(1, 'list at least one stop').max(500, 'at most 500 stops').optional(),
  dwellS: dwell.optional(),
  order: orderSchema.optional(),
  alarmTimeoutS: z.number().refine((v) => Number.isFinite(v) && v >= 1 && v <= 86_400, 'must be 1–86400 s').optional(),
  alarmKinds: z.array(z.enum(ALARM_KINDS, { error: `expected one of ${ALARM_KINDS.join(', ')}` })).optional(),
});

/** A checked tour file, or every problem with its JSON path. */
export type TourFileResult = { ok: true; spec: TourSpec } | { ok: false; problems: Problem[] };

/** Checks a parsed tour document. */
export function loadTourFile(doc: unknown): TourFileResult {
  const r = tourFileSchema.safeParse(doc);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), reason: i.message })) };
  const d = r.data;
  return {
    ok: true,
    spec: {
      ...(d.stops ? { stops: d.stops.map((s) => ({ kind: s.kind, ...(s.id !== undefined ? { id: s.id } : {}), ...(s.dwellS !== undefined ? { dwellS: s.dwellS } : {}), ...(s.title !== undefined ? { title: s.title } : {}) })) } : {}),
      ...(d.dwellS !== undefined ? { dwellS: d.dwellS } : {}),
      ...(d.order !== undefined ? { order: d.order } : {}),
      ...(d.alarmTimeoutS !== undefined ? { alarmTimeoutS: d.alarmTimeoutS } : {}),
      ...(d.alarmKinds !== undefined ? { alarmKinds: d.alarmKinds } : {}),
    },
  };
}

/** Parses and checks tour JSON text; a syntax error is a problem at the document. */
export function loadTourFileText(text: string): TourFileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(document)', reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  return loadTourFile(doc);
}

/** Everything the display's URL says about the tour, and what in it was refused. */
export interface TourParams {
  spec: TourSpec;
  /** `?tour=`: where the tour file is, or null. */
  tourUrl: string | null;
  /** Figures refresh interval, s. */
  refreshS: number;
  /** No live write for this long reads as "no live data", s. */
  noDataAfterS: number;
  /** `param: reason` for every value refused (the default is used instead). */
  problems: string[];
}

function seconds(params: URLSearchParams, name: string, min: number, max: number, problems: string[]): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    problems.push(`${name}: expected seconds ${min}–${max}, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return v;
}

/** Parses one `kind[:id][@dwellS]` item of `?stops=`; a string is the reason it was refused. */
export function parseStopItem(item: string): StopSpec | string {
  const m = /^([a-z]+)(?::([^@]+))?(?:@(.+))?$/.exec(item.trim());
  if (!m) return `expected kind[:id][@seconds], got ${JSON.stringify(item)}`;
  const k = m[1]!;
  if (!(STOP_KINDS as readonly string[]).includes(k)) return `unknown kind ${JSON.stringify(k)} (expected ${STOP_KINDS.join(', ')})`;
  const stop: StopSpec = { kind: k as StopKind };
  if (m[2] !== undefined) {
    if (!ID_RE.test(m[2])) return `${JSON.stringify(m[2])} is not a facility id`;
    stop.id = m[2];
  }
  if (m[3] !== undefined) {
    const d = Number(m[3]);
    if (!Number.isFinite(d) || d < MIN_DWELL_S || d > MAX_DWELL_S) return `dwell ${JSON.stringify(m[3])} must be ${MIN_DWELL_S}–${MAX_DWELL_S} s`;
    stop.dwellS = d;
  }
  return stop;
}

/** Parses `?order=`: listed, shuffle, or kinds separated by commas; or the reason it was refused. */
export function parseOrder(raw: string): { order: TourOrder } | { error: string } {
  const v = raw.trim();
  if (v === 'listed' || v === 'shuffle') return { order: v };
  const kinds = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = kinds.filter((k) => !(STOP_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || bad.length) return { error: `expected listed, shuffle or kinds (${STOP_KINDS.join(', ')}), got ${JSON.stringify(raw)}` };
  return { order: kinds as StopKind[] };
}

/** Reads the tour's parameters from a location's query string. Nothing here throws: a bad value is reported and left out. */
export function parseTourParams(search: string): TourParams {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const spec: TourSpec = {};
  const dwellS = seconds(params, 'dwell', MIN_DWELL_S, MAX_DWELL_S, problems);
  if (dwellS !== undefined) spec.dwellS = dwellS;
  const alarmTimeoutS = seconds(params, 'alarmTimeout', 1, 86_400, problems);
  if (alarmTimeoutS !== undefined) spec.alarmTimeoutS = alarmTimeoutS;
  const rawStops = params.get('stops');
  if (rawStops !== null && rawStops.trim() !== '') {
    const stops: StopSpec[] = [];
    for (const item of rawStops.split(',')) {
      if (!item.trim()) continue;
      const s = parseStopItem(item);
      if (typeof s === 'string') problems.push(`stops: ${s}`); else stops.push(s);
    }
    if (stops.length) spec.stops = stops;
  }
  const rawOrder = params.get('order');
  if (rawOrder !== null && rawOrder.trim() !== '') {
    const o = parseOrder(rawOrder);
    if ('error' in o) problems.push(`order: ${o.error}`); else spec.order = o.order;
  }
  const rawKinds = params.get('alarmKinds');
  if (rawKinds !== null && rawKinds.trim() !== '') {
    const kinds = rawKinds.trim() === 'none' ? [] : rawKinds.split(',').map((k) => k.trim()).filter(Boolean);
    const bad = kinds.filter((k) => !(ALARM_KINDS as readonly string[]).includes(k));
    if (bad.length) problems.push(`alarmKinds: unknown kind ${bad.map((b) => JSON.stringify(b)).join(', ')} (expected ${ALARM_KINDS.join(', ')} or none)`);
    else spec.alarmKinds = kinds as AlarmKind[];
  }
  const tourUrl = params.get('tour');
  return {
    spec,
    tourUrl: tourUrl && tourUrl.trim() ? tourUrl.trim() : null,
    refreshS: seconds(params, 'refresh', 5, 86_400, problems) ?? DEFAULT_REFRESH_S,
    noDataAfterS: seconds(params, 'noDataAfter', 1, 3600, problems) ?? DEFAULT_NO_DATA_AFTER_S,
    problems,
  };
}

/** The file's settings with the URL's on top (a field the URL gives replaces the file's). */
export function mergeSpecs(file: TourSpec | null, url: TourSpec): TourSpec {
  return { ...(file ?? {}), ...url };
}

/** True for `?mode=tour` or a path ending in `/tour`: the display runs the tour. */
export function isTourLocation(loc: { pathname: string; search: string }): boolean {
  return new URLSearchParams(loc.search).get('mode') === 'tour' || /\/tour\/?$/.test(loc.pathname);
}
