// Fetching what the tour shows: the KPI window's figures (GET /api/metrics
// for the server's own last 24 h — under an accelerated simulator the
// server's clock is the one the data follows — and the trend of exactly
// that window), again every `refreshMs` and at once when the live link comes
// back; and a zone's temperature in buckets for its stop. Failures keep the
// previous figures on screen and say so in the strip.
import type { FacilityIndex } from '../../core/facility/model.ts';
import type { TrendPoint } from '../../core/metrics/trend.ts';
import { trendQuery, type MetricsResponse, type TrendResponse } from '../../state/metrics.ts';
import { apiJson } from '../../net/api.ts';
import { ApiError } from '../../net/api.ts';
import { useTwin } from '../../state/store.ts';
import type { ZoneSeries } from '../../hud/tour/stopFigures.ts';
import { useTour } from './tourStore.ts';

/** After a failed fetch, try again this soon, ms. */
export const RETRY_MS = 15_000;
/** Buckets of a zone's temperature line over the window. */
export const ZONE_SERIES_BUCKETS = 48;

const reason = (e: unknown) => (e instanceof ApiError ? e.reason : (e as Error).message);

/** Fetches the figures once into the tour store; resolves true on success. */
export async function loadFigures(signal?: AbortSignal): Promise<boolean> {
  try {
    const m = await apiJson<MetricsResponse>('/api/metrics', signal ? { signal } : {});
    const from = Date.parse(m.from), to = Date.parse(m.to);
    let trend: TrendPoint[] | null = null;
    if (Number.isFinite(from) && Number.isFinite(to) && to > from) {
      try {
        trend = (await apiJson<TrendResponse>(trendQuery(from, to), signal ? { signal } : {})).points;
      } catch (e) {
        if (signal?.aborted) return false;
        console.warn(`Twinspace tour: trend unavailable (${reason(e)})`);
      }
    }
    if (signal?.aborted) return false;
    useTour.setState({
      figures: {
        metrics: { from: m.from, to: m.to, stability: m.stability, coverage: m.coverage, alarms: m.alarms, roi: m.roi },
        trend, period: Number.isFinite(from) && Number.isFinite(to) ? { from, to } : null, fetchedAt: Date.now(), error: null,
      },
    });
    return true;
  } catch (e) {
    if (signal?.aborted) return false;
    useTour.setState((s) => ({ figures: { ...s.figures, error: reason(e) } }));
    return false;
  }
}

/**
 * Keeps the figures fresh: now, every `refreshMs`, sooner after a failure,
 * and at once when the live link is back after a drop. Returns the stop function.
 */
export function startFigures(refreshMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let abort: AbortController | null = null;
  let stopped = false;
  const run = () => {
    if (timer) { clearTimeout(timer); timer = null; }
    abort?.abort();
    const a = new AbortController();
    abort = a;
    void loadFigures(a.signal).then((ok) => {
      if (stopped || abort !== a) return;
      timer = setTimeout(run, ok ? refreshMs : Math.min(RETRY_MS, refreshMs));
    });
  };
  run();
  const unsub = useTwin.subscribe((s, prev) => {
    if (s.link.status === 'live' && prev.link.status !== 'live' && useTour.getState().figures.fetchedAt !== null) run();
  });
  return () => {
    stopped = true;
    unsub();
    abort?.abort();
    if (timer) clearTimeout(timer);
  };
}

interface BucketsAnswer { stepMs: number; buckets: { ts: string; mean: number; count: number }[] }

/** A zone's temperature over `[from, to)` in ZONE_SERIES_BUCKETS buckets: per bucket, the mean of its sensors' bucket means. */
export async function fetchZoneSeries(ix: FacilityIndex, zoneId: string, from: number, to: number, signal?: AbortSignal): Promise<ZoneSeries | null> {
  const sensors = (ix.sensorsByZone.get(zoneId) ?? []).filter((s) => s.kind === 'temperature');
  if (sensors.length === 0 || !(to > from)) return null;
  const stepMs = Math.max(60_000, Math.ceil((to - from) / ZONE_SERIES_BUCKETS / 60_000) * 60_000);
  const n = Math.ceil((to - from) / stepMs);
  const sum = new Float64Array(n), cnt = new Uint16Array(n);
  const answers = await Promise.all(sensors.map((s) => apiJson<BucketsAnswer>(
    `/api/telemetry?sensor=${encodeURIComponent(s.id)}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&step=${stepMs}`,
    signal ? { signal } : {},
  ).catch(() => null)));
  for (const a of answers) {
    if (!a) continue;
    for (const b of a.buckets) {
      const k = Math.floor((Date.parse(b.ts) - from) / stepMs);
      if (k < 0 || k >= n || !(b.count > 0) || !Number.isFinite(b.mean)) continue;
      sum[k]! += b.mean; cnt[k]!++;
    }
  }
  const means: (number | null)[] = [];
  for (let k = 0; k < n; k++) means.push(cnt[k]! > 0 ? sum[k]! / cnt[k]! : null);
  return { zoneId, from, to, stepMs, means };
}
