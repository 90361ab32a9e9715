// Series for the charts (uPlot's column layout: x in seconds, then one
// array per series, null for a gap). Every series is cut to the chart's
// pixel width before drawing (../shared/NUMBERS.md): a line keeps each
// pixel's min and max, a band of buckets merges min, max and mean.
import type { TrendPoint } from '../../core/metrics/trend.ts';

/** uPlot's aligned data: xs (seconds), then series values (null = gap). */
export type ChartColumns = [number[], ...(number | null)[][]];

/** The trend figures a sparkline can show. */
export type TrendKey = Exclude<keyof TrendPoint, 'from' | 'to'>;

/**
 * One trend figure as uPlot columns: x is each bucket's middle (epoch
 * seconds), y the figure (null where the bucket has none); `scale`
 * multiplies the values (100 for percentages). Down-sampled to `maxPoints`.
 */
export function trendColumns(points: readonly TrendPoint[], key: TrendKey, scale = 1, maxPoints = Infinity): [number[], (number | null)[]] {
  const xs: number[] = [], ys: (number | null)[] = [];
  for (const p of points) {
    const a = Date.parse(p.from), b = Date.parse(p.to);
    xs.push((a + b) / 2000);
    const v = p[key];
    ys.push(v === null ? null : v * scale);
  }
  return xs.length > maxPoints ? downsampleMinMax(xs, ys, maxPoints) : [xs, ys];
}

/** The latest non-null value of a column, or null. */
export function lastValue(ys: readonly (number | null)[]): number | null {
  for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null && ys[i] !== undefined) return ys[i]!;
  return null;
}

/**
 * Cuts a line to at most `width` points (about two per pixel column): the points
 * of each of `ceil(width / 2)` equal runs become the run's min and max, in
 * the order they occur (so spikes survive and the line stays monotone in
 * x). A run of gaps stays one gap. Runs without points vanish.
 */
export function downsampleMinMax(xs: readonly number[], ys: readonly (number | null)[], width: number): [number[], (number | null)[]] {
  const n = xs.length;
  if (n <= width || width < 2) return [xs.slice(), ys.slice()];
  const runs = Math.max(1, Math.floor(width / 2));
  const ox: number[] = [], oy: (number | null)[] = [];
  for (let r = 0; r < runs; r++) {
    const a = Math.floor((r * n) / runs), b = Math.floor(((r + 1) * n) / runs);
    if (b <= a) continue;
    let lo = -1, hi = -1;
    for (let i = a; i < b; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      if (lo < 0 || v < ys[lo]!) lo = i;
      if (hi < 0 || v > ys[hi]!) hi = i;
    }
    if (lo < 0) { ox.push(xs[a]!); oy.push(null); continue; }
    const first = Math.min(lo, hi), second = Math.max(lo, hi);
    ox.push(xs[first]!); oy.push(ys[first]!);
    if (second !== first) { ox.push(xs[second]!); oy.push(ys[second]!); }
  }
  return [ox, oy];
}

/** One down-sampled bucket of `GET /api/telemetry?step=`. */
export interface TelemetryBucket { ts: number; min: number; max: number; mean: number; count: number }

/** A sensor's min / mean / max on a shared x axis (null where it has no bucket). */
export interface BandSeries { min: (number | null)[]; mean: (number | null)[]; max: (number | null)[] }

/**
 * Buckets of several sensors (each aligned to `fromMs` in steps of
 * `stepMs`, as the API answers) on one x axis, merged to at most
 * `maxPoints` columns: each column takes the min of the mins, the max of the
 * maxes and the count-weighted mean of the means of the buckets it covers.
 * x is each column's start, epoch seconds.
 */
export function bandColumns(fromMs: number, toMs: number, stepMs: number, sensors: readonly (readonly TelemetryBucket[])[], maxPoints: number): { xs: number[]; series: BandSeries[] } {
  const n = Math.max(1, Math.ceil((toMs - fromMs) / stepMs));
  const per = Math.max(1, Math.ceil(n / Math.max(1, maxPoints)));
  const cols = Math.ceil(n / per);
  const xs: number[] = [];
  for (let c = 0; c < cols; c++) xs.push((fromMs + c * per * stepMs) / 1000);
  const series = sensors.map((buckets) => {
    const min: (number | null)[] = new Array<number | null>(cols).fill(null);
    const max: (number | null)[] = new Array<number | null>(cols).fill(null);
    const sum = new Float64Array(cols), cnt = new Float64Array(cols);
    for (const b of buckets) {
      const k = Math.round((b.ts - fromMs) / stepMs);
      if (k < 0) continue;
      const c = Math.min(cols - 1, Math.floor(k / per));
      min[c] = min[c] === null ? b.min : Math.min(min[c]!, b.min);
      max[c] = max[c] === null ? b.max : Math.max(max[c]!, b.max);
      sum[c]! += b.mean * b.count;
      cnt[c]! += b.count;
    }
    const mean = Array.from(cnt, (k, c) => (k > 0 ? sum[c]! / k : null));
    return { min, mean, max };
  });
  return { xs, series };
}

/** The step to ask `GET /api/telemetry` for: one minute, or longer so the period holds at most `maxBuckets`. */
export function telemetryStepMs(fromMs: number, toMs: number, maxBuckets = 50_000): number {
  const MIN = 60_000;
  const minutes = Math.ceil((toMs - fromMs) / MIN / maxBuckets);
  return Math.max(1, minutes) * MIN;
}
