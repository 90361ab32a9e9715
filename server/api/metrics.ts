// The figures over HTTP: GET /api/metrics (the four reports of interfaces.md
// for one period), GET /api/metrics/trend (sparklines), and the ROI inputs
// stored with the facility (GET, and PUT for admins).
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { computeMetrics, type MetricsReport } from '../../src/core/metrics/all.ts';
import { loadRoiInputs, type RoiInputs } from '../../src/core/metrics/roi.ts';
import { metricsTrend, MAX_TREND_BUCKETS } from '../../src/core/metrics/trend.ts';
import { formatProblems } from '../../src/core/facility/validate.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { HttpError, readJsonBody, sendJson } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { requireRole } from '../auth/guard.ts';
import type { Authenticator } from '../auth/tokens.ts';
import { queryTime } from '../store/http.ts';
import { iterateRecords, type Store } from '../store/types.ts';

const HOUR_MS = 3_600_000;
/** The period when none is asked for: the last 24 h. */
export const DEFAULT_METRICS_PERIOD_MS = 24 * HOUR_MS;
/** Longest period one call may cover. */
export const MAX_METRICS_PERIOD_MS = 92 * 24 * HOUR_MS;
/**
 * Records read before the period, so readings held into it and doors opened
 * before it count. NOTE: an alarm whose cause lies further back than this
 * (a door held open for more than six hours) is judged from this horizon.
 */
export const METRICS_LOOKBACK_MS = 6 * HOUR_MS;
/** How long a computed answer is reused while no record arrives, ms. */
const CACHE_MS = 30_000;
/** Settings key of the ROI inputs. */
export const ROI_SETTING = 'roi.inputs';

interface Deps { router: Router; store: Store; index: FacilityIndex; auth: Authenticator; clock: () => number }

/** The period of a request: `from`/`to`, else the last 24 h to now; 400 when impossible. */
function period(url: URL, clock: () => number): { from: number; to: number } {
  const to = queryTime(url, 'to') ?? clock();
  const from = queryTime(url, 'from') ?? to - DEFAULT_METRICS_PERIOD_MS;
  if (!(to > from)) throw new HttpError(400, 'to must be after from');
  if (to - from > MAX_METRICS_PERIOD_MS) throw new HttpError(400, `the period may cover at most ${MAX_METRICS_PERIOD_MS / (24 * HOUR_MS)} days`);
  return { from, to };
}

async function loadRecords(store: Store, from: number, to: number): Promise<TwinRecord[]> {
  const out: TwinRecord[] = [];
  for await (const page of iterateRecords(store, { from: from - METRICS_LOOKBACK_MS, to })) for (const r of page) out.push(r.record);
  return out;
}

/** Stored ROI inputs, or null. */
export async function storedRoiInputs(store: Store): Promise<RoiInputs | null> {
  const v = await store.getSetting(ROI_SETTING);
  if (v === null || v === undefined) return null;
  const r = loadRoiInputs(v);
  return r.ok ? r.inputs : null;
}

/** Registers the metric routes. */
export function metricsRoutes(d: Deps): void {
  const cache = new Map<string, { at: number; seq: number; body: unknown }>();
  const cached = async (key: string, make: () => Promise<unknown>): Promise<unknown> => {
    const seq = await d.store.lastSeq();
    const hit = cache.get(key);
    if (hit && hit.seq === seq && d.clock() - hit.at < CACHE_MS) return hit.body;
    const body = await make();
    if (cache.size > 64) cache.clear();
    cache.set(key, { at: d.clock(), seq, body });
    return body;
  };

  d.router.get('/api/metrics', async ({ req, res, url }) => {
    await requireRole(d.auth, req, 'viewer');
    const { from, to } = period(url, d.clock);
    const body = await cached(`m:${from}:${to}`, async () => {
      const records = await loadRecords(d.store, from, to);
      const m: MetricsReport = computeMetrics(d.index, records, { from, to, roi: (await storedRoiInputs(d.store)) ?? undefined });
      // Refusals before the period are the lookback's edge (an ack of an older alarm), not bad data.
      const rejected = m.rejected.filter((r) => (records[r.index]?.ts ?? 0) >= from).map((r) => ({ ts: records[r.index]!.ts, reason: r.reason }));
      return { from: m.from, to: m.to, stability: m.stability, coverage: m.coverage, alarms: m.alarms, roi: m.roi, rejected };
    });
    sendJson(res, 200, body);
  });

  d.router.get('/api/metrics/trend', async ({ req, res, url }) => {
    await requireRole(d.auth, req, 'viewer');
    const { from, to } = period(url, d.clock);
    const raw = url.searchParams.get('buckets') ?? '24';
    const buckets = Number(raw);
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_TREND_BUCKETS) throw new HttpError(400, `buckets must be an integer 1–${MAX_TREND_BUCKETS}, got ${JSON.stringify(raw)}`);
    const body = await cached(`t:${from}:${to}:${buckets}`, async () => ({ from, to, buckets, points: metricsTrend(d.index, await loadRecords(d.store, from, to), from, to, buckets) }));
    sendJson(res, 200, body);
  });

  d.router.get('/api/roi', async ({ req, res }) => {
    await requireRole(d.auth, req, 'viewer');
    sendJson(res, 200, { inputs: await storedRoiInputs(d.store) });
  });

  d.router.add('PUT', '/api/roi', async ({ req, res }) => {
    const who = await requireRole(d.auth, req, 'admin');
    const r = loadRoiInputs(await readJsonBody(req));
    if (!r.ok) throw new HttpError(422, formatProblems(r.problems));
    await d.store.setSetting(ROI_SETTING, r.inputs);
    await d.store.appendAudit([{ ts: d.clock(), actor: who.label, action: 'roi.update', detail: { ...r.inputs } }]);
    cache.clear();
    sendJson(res, 200, { inputs: r.inputs });
  });
}
