// The figures the KPI panel, the drill-downs and the ROI panel show, fetched
// from the API and cached per period: GET /api/metrics (the four reports),
// /api/metrics/trend (sparklines), /api/incidents/stats (when the server has
// it), /api/roi (and PUT for admins). A slice of the bound store; it only
// imports the store's types, so the store can be built from it.
import type { StateCreator } from 'zustand';
import type { CoverageReport } from '../core/metrics/coverage.ts';
import type { AlarmsReport } from '../core/metrics/response.ts';
import type { RoiInputs, RoiReport } from '../core/metrics/roi.ts';
import type { StabilityReport } from '../core/metrics/stability.ts';
import type { TrendPoint } from '../core/metrics/trend.ts';
import { ApiError, apiJson } from '../net/api.ts';
import { replay } from './live.ts';
import type { TwinState } from './store.ts';

/** One minute, ms. */
export const MINUTE_MS = 60_000;
/** One day, ms. */
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** Longest period the server computes in one call, ms (GET /api/metrics: 92 days). */
export const MAX_PERIOD_MS = 92 * DAY_MS;
/** How long to wait for the live socket to say the session's role before asking the API, ms. */
export const ROLE_WAIT_MS = 4000;
/** How often a rolling period (24 h, 7 d, 30 d) is brought up to now while the panel is open, ms. */
export const ROLLING_REFRESH_MS = 5 * MINUTE_MS;

/** The period picker's choices. */
export const PERIOD_PRESETS = ['24h', '7d', '30d', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
/** Length of each rolling preset, ms. */
export const PRESET_MS: Record<Exclude<PeriodPreset, 'custom'>, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };

/** The period every figure is computed over: `[from, to)` epoch ms. */
export interface FiguresPeriod { preset: PeriodPreset; from: number; to: number }

/**
 * Where a rolling period ends: now, or, while the scene replays the past,
 * the instant it shows (the timeline's cursor), so the figures are those
 * of the replayed moment.
 */
export function rollingEnd(nowMs: number, replaying: { active: boolean; atMs: number }): number {
  return replaying.active && Number.isFinite(replaying.atMs) ? replaying.atMs : nowMs;
}

/** A rolling preset ending at `nowMs` (to the minute, so a reload within the minute hits the cache). */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, nowMs: number): FiguresPeriod {
  const to = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  return { preset, from: to - PRESET_MS[preset], to };
}

/** Why a custom period cannot be asked for, or null when it can. */
export function periodProblem(from: number | null, to: number | null): string | null {
  if (from === null || to === null) return 'give a start and an end';
  if (!(to > from)) return 'the end must be after the start';
  if (to - from > MAX_PERIOD_MS) return `at most ${MAX_PERIOD_MS / DAY_MS} days`;
  return null;
}

/** Bucket widths a trend may use, minutes. */
const NICE_BUCKET_MIN = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

/** Sparkline buckets for a period: the finest round width (5 min … 1 d) giving at most `max` buckets (24 h → 48, 7 d → 56, 30 d → 60). */
export function trendBuckets(periodMs: number, max = 72): number {
  for (const m of NICE_BUCKET_MIN) {
    const n = Math.ceil(periodMs / (m * MINUTE_MS));
    if (n <= max) return Math.max(1, n);
  }
  return Math.min(500, Math.ceil(periodMs / DAY_MS));
}

/** GET /api/metrics. */
export interface MetricsResponse {
  from: string;
  to: string;
  stability: StabilityReport;
  coverage: CoverageReport;
  alarms: AlarmsReport;
  roi: RoiReport | null;
  rejected: { ts: number; reason: string }[];
}

/** GET /api/metrics/trend (ends in epoch ms). */
export interface TrendResponse { from: number; to: number; buckets: number; points: TrendPoint[] }

/** GET /api/incidents/stats: how long incident reconstructions took, ms. */
export interface IncidentStats { count: number; window: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null }

/** Something fetched: its state, the answer, why it failed, and the query it answers. */
export interface Loadable<T> { status: 'idle' | 'loading' | 'ready' | 'error'; data: T | null; error: string | null; query: string }

const idle = <T>(): Loadable<T> => ({ status: 'idle', data: null, error: null, query: '' });

/** What a drill-down panel shows. */
export type Drill =
  | { kind: 'zone-temp'; zoneId: string }
  | { kind: 'stability' }
  | { kind: 'alarms'; sort: 'tta' | 'ttr'; filter: 'all' | 'unacknowledged' | 'false-alarm' }
  | { kind: 'coverage' }
  | { kind: 'compliance' }
  | { kind: 'incidents' };

export type SidebarTab = 'layers' | 'figures';

/** Whether this session may change the ROI inputs: unknown until asked. */
export type RoiAccess = 'unknown' | 'edit' | 'read';

/** Whether this session is an admin: from the live socket's hello when it has come, else from asking the API. */
export function selectRoiAccess(s: Pick<TwinState, 'role' | 'roiAccess'>): RoiAccess {
  return s.role ? (s.role === 'admin' ? 'edit' : 'read') : s.roiAccess;
}

export interface FiguresSlice {
  sidebarTab: SidebarTab;
  figuresPeriod: FiguresPeriod;
  metrics: Loadable<MetricsResponse>;
  trend: Loadable<TrendResponse>;
  /** Null while the server has no such endpoint (or has not answered). */
  incidentStats: IncidentStats | null;
  roiInputs: Loadable<RoiInputs | null>;
  roiAccess: RoiAccess;
  drill: Drill | null;
  roiOpen: boolean;
  setSidebarTab: (t: SidebarTab) => void;
  /** Chooses the period (a preset ending now, or custom ends) and fetches its figures. */
  setFiguresPeriod: (preset: PeriodPreset, custom?: { from: number; to: number }) => void;
  /** Fetches the period's figures; cached answers are reused unless `force`. Rolling presets move to now (in replay, to the cursor). */
  loadFigures: (force?: boolean) => void;
  openDrill: (d: Drill | null) => void;
  setRoiOpen: (open: boolean) => void;
  /** Fetches the stored ROI inputs and whether this session may change them. */
  loadRoi: () => void;
  /** Finds out once whether this session is an admin (may change the ROI inputs and try camera moves). */
  checkAccess: () => void;
  /** PUT /api/roi: null on success (the figures are fetched again), else the server's `path: reason` lines. */
  saveRoi: (doc: unknown) => Promise<string | null>;
}


/** The query of the metrics of a period (also the "data" link of every KPI). */
export function metricsQuery(from: number, to: number): string {
  return `/api/metrics?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
}

/** The query of the trend of a period. */
export function trendQuery(from: number, to: number): string {
  return `/api/metrics/trend?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&buckets=${trendBuckets(to - from)}`;
}

/** Answers by query; the server's own cache is short, so ours spares it recomputing a period. */
const cache = new Map<string, Promise<unknown>>();
/** Cached answers kept. */
const CACHE_SIZE = 24;

/** A GET through the cache (failed calls are not kept). */
export function cachedGet<T>(query: string, force = false): Promise<T> {
  if (!force) {
    const hit = cache.get(query);
    if (hit) return hit as Promise<T>;
  }
  const p = apiJson<T>(query);
  cache.set(query, p);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  p.catch(() => { if (cache.get(query) === p) cache.delete(query); });
  return p;
}

/** Forgets cached answers (after the ROI inputs change, every metrics answer is stale). */
export function clearFiguresCache(): void { cache.clear(); }

const message = (e: unknown) => (e instanceof ApiError ? e.reason : (e as Error).message);

type SetState = Parameters<StateCreator<TwinState, [], [], FiguresSlice>>[0];
type GetState = Parameters<StateCreator<TwinState, [], [], FiguresSlice>>[1];

/** Builds the figures slice. NOTE: a function declaration, so store.ts may call it whatever the import order. */
export function createFiguresSlice(set: SetState, get: GetState): FiguresSlice {
  let generation = 0;
  let accessAsked = false;
  const fetchInto = <T>(key: 'metrics' | 'trend', query: string, force: boolean, gen: number) => {
    // The previous answer stays (it names its own period) until the new one comes.
    set({ [key]: { status: 'loading', data: get()[key].data, error: null, query } } as Partial<TwinState>);
    cachedGet<T>(query, force).then(
      (data) => { if (gen === generation) set({ [key]: { status: 'ready', data, error: null, query } } as Partial<TwinState>); },
      (e: unknown) => { if (gen === generation) set({ [key]: { status: 'error', data: null, error: message(e), query } } as Partial<TwinState>); },
    );
  };
  return {
    sidebarTab: 'layers',
    figuresPeriod: presetPeriod('24h', Date.now()),
    metrics: idle(), trend: idle(), incidentStats: null, roiInputs: idle(), roiAccess: 'unknown',
    drill: null, roiOpen: false,
    setSidebarTab: (sidebarTab) => set({ sidebarTab }),
    setFiguresPeriod: (preset, custom) => {
      const p: FiguresPeriod = preset === 'custom' ? { preset, from: custom?.from ?? get().figuresPeriod.from, to: custom?.to ?? get().figuresPeriod.to } : presetPeriod(preset, rollingEnd(Date.now(), replay));
      set({ figuresPeriod: p });
      get().loadFigures();
    },
    loadFigures: (force = false) => {
      let p = get().figuresPeriod;
      if (p.preset !== 'custom') {
        const now = presetPeriod(p.preset, rollingEnd(Date.now(), replay));
        if (now.to !== p.to) { p = now; set({ figuresPeriod: p }); }
      }
      const gen = ++generation;
      fetchInto<MetricsResponse>('metrics', metricsQuery(p.from, p.to), force, gen);
      fetchInto<TrendResponse>('trend', trendQuery(p.from, p.to), force, gen);
      // Shown only when the server answers it (an older server has no such endpoint).
      apiJson<IncidentStats>('/api/incidents/stats').then((incidentStats) => set({ incidentStats }), () => set({ incidentStats: null }));
    },
    openDrill: (drill) => set({ drill }),
    setRoiOpen: (roiOpen) => set({ roiOpen }),
    loadRoi: () => {
      set((s) => ({ roiInputs: { ...s.roiInputs, status: 'loading', query: '/api/roi' } }));
      apiJson<{ inputs: RoiInputs | null }>('/api/roi').then(
        (r) => set({ roiInputs: { status: 'ready', data: r.inputs, error: null, query: '/api/roi' } }),
        (e: unknown) => set({ roiInputs: { status: 'error', data: null, error: message(e), query: '/api/roi' } }),
      );
      get().checkAccess();
    },
    checkAccess: () => {
      if (accessAsked || get().role) return;
      accessAsked = true;
      // The live socket's hello says the role; only when it has not come in a while, ask the API.
      // NOTE: the HTTP API has no "who am I"; an empty PUT is refused with 403 below admin and 422
      // (nothing stored, nothing audited) for an admin, which is exactly the question.
      setTimeout(() => {
        if (get().role) return;
        apiJson('/api/roi', { method: 'PUT', body: {} }).then(
          () => set({ roiAccess: 'edit' }),
          (e: unknown) => { if (e instanceof ApiError && e.status === 0) accessAsked = false; set({ roiAccess: e instanceof ApiError && e.status === 422 ? 'edit' : 'read' }); },
        );
      }, ROLE_WAIT_MS);
    },
    saveRoi: async (doc) => {
      try {
        const r = await apiJson<{ inputs: RoiInputs }>('/api/roi', { method: 'PUT', body: doc });
        set({ roiInputs: { status: 'ready', data: r.inputs, error: null, query: '/api/roi' } });
        clearFiguresCache();
        get().loadFigures(true);
        return null;
      } catch (e) {
        return message(e);
      }
    },
  };
}
