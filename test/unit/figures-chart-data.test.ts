// Chart series (src/hud/figures/chartData.ts) and the period helpers of the
// figures slice: trend → uPlot columns, down-sampling to the pixel width
// (seeded random cases keep every extreme), merging telemetry buckets.
import { describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../src/core/metrics/trend.ts';
import { bandColumns, downsampleMinMax, lastValue, telemetryStepMs, trendColumns } from '../../src/hud/figures/chartData.ts';
import { DAY_MS, MAX_PERIOD_MS, periodProblem, presetPeriod, rollingEnd, trendBuckets } from '../../src/state/metrics.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';


const point = (from: string, to: string, over: Partial<TrendPoint>): TrendPoint => ({
  from, to, criticalInSpecFraction: null, excursionMinutes: 0, raised: 0, ttaMeanS: null, ttaP90S: null, ttrP90S: null, unacknowledged: 0, falseAlarmRate: null, ...over,
});

describe('trend → uPlot columns', () => {
  const pts = [
    point('2026-11-02T08:00:00Z', '2026-11-02T08:10:00Z', { criticalInSpecFraction: 1, ttaP90S: 60 }),
    point('2026-11-02T08:10:00Z', '2026-11-02T08:20:00Z', { criticalInSpecFraction: 0.25 }),
  ];
  it('puts each bucket at its middle (epoch s), scaled, with null gaps', () => {
    const t0 = Date.parse('2026-11-02T08:05:00Z') / 1000;
    expect(trendColumns(pts, 'criticalInSpecFraction', 100)).toEqual([[t0, t0 + 600], [100, 25]]);
    expect(trendColumns(pts, 'ttaP90S')).toEqual([[t0, t0 + 600], [60, null]]);
    expect(lastValue([1, null, 3, null])).toBe(3);
    expect(lastValue([null])).toBeNull();
  });
});

describe('down-sampling to the pixel width', () => {
  it('leaves short series alone', () => {
    expect(downsampleMinMax([1, 2, 3], [5, null, 7], 10)).toEqual([[1, 2, 3], [5, null, 7]]);
  });
  it('keeps each run\'s min and max in x order, and gaps', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7], ys = [3, 9, 1, 4, null, null, 2, 2];
    // 4 px → 2 runs of 4: [3, 9, 1, 4] → max 9 at 1, min 1 at 2; [null, null, 2, 2] → 2 at 6 once.
    expect(downsampleMinMax(xs, ys, 4)).toEqual([[1, 2, 6], [9, 1, 2]]);
    expect(downsampleMinMax([0, 1, 2, 3], [null, null, null, null], 2)).toEqual([[0], [null]]);
  });
  it('seeded random series: at most `width` points, x ascending, every global extreme kept', () => {
    const r = rng(7);
    for (let k = 0; k < 50; k++) {
      const n = 10 + Math.floor(r() * 5000), width = 4 + Math.floor(r() * 600);
      const xs = Array.from({ length: n }, (_, i) => i * 60);
      const ys = xs.map(() => (r() < 0.05 ? null : Math.round(r() * 1000) / 10));
      const [ox, oy] = downsampleMinMax(xs, ys, width);
      expect(ox.length).toBeLessThanOrEqual(Math.max(n <= width ? n : width, 2));
      for (let i = 1; i < ox.length; i++) expect(ox[i]!).toBeGreaterThan(ox[i - 1]!);
      const vals = ys.filter((v): v is number => v !== null), out = oy.filter((v): v is number => v !== null);
      expect(Math.max(...out)).toBe(Math.max(...vals));
      expect(Math.min(...out)).toBe(Math.min(...vals));
    }
  });
});

describe('telemetry buckets on one axis', () => {
  const from = Date.parse('2026-11-02T08:00:00Z'), M = 60_000;
  it('aligns sensors and merges buckets into columns: min of mins, max of maxes, count-weighted mean', () => {
    const a = [{ ts: from, min: 19, max: 21, mean: 20, count: 1 }, { ts: from + M, min: 20, max: 22, mean: 21, count: 3 }, { ts: from + 3 * M, min: 18, max: 18, mean: 18, count: 1 }];
    const b = [{ ts: from + 2 * M, min: 5, max: 6, mean: 5.5, count: 2 }];
    const { xs, series } = bandColumns(from, from + 4 * M, M, [a, b], 2);
    expect(xs).toEqual([from / 1000, (from + 2 * M) / 1000]);
    expect(series[0]).toEqual({ min: [19, 18], max: [22, 18], mean: [(20 + 21 * 3) / 4, 18] });
    expect(series[1]).toEqual({ min: [null, 5], max: [null, 6], mean: [null, 5.5] });
  });
  it('one column per bucket when they fit', () => {
    const { xs, series } = bandColumns(from, from + 3 * M, M, [[{ ts: from + M, min: 1, max: 2, mean: 1.5, count: 2 }]], 100);
    expect(xs).toHaveLength(3);
    expect(series[0]!.mean).toEqual([null, 1.5, null]);
  });
  it('asks for per-minute buckets, coarser only past the bucket limit', () => {
    expect(telemetryStepMs(0, 7 * DAY_MS)).toBe(60_000);
    expect(telemetryStepMs(0, 30 * DAY_MS)).toBe(60_000);
    expect(telemetryStepMs(0, 92 * DAY_MS)).toBe(3 * 60_000);
  });
});

describe('periods and sparkline buckets', () => {
  it('rolling presets end on the minute', () => {
    const now = Date.parse('2026-11-24T06:59:42.5Z');
    expect(presetPeriod('24h', now)).toEqual({ preset: '24h', from: Date.parse('2026-11-23T06:59:00Z'), to: Date.parse('2026-11-24T06:59:00Z') });
    expect(presetPeriod('7d', now).to - presetPeriod('7d', now).from).toBe(7 * DAY_MS);
  });
  it('in replay they end at the instant the scene shows; before it has one, and live, at now', () => {
    const now = Date.parse('2026-11-24T06:59:42Z'), at = Date.parse('2026-11-20T02:14:30Z');
    expect(rollingEnd(now, { active: true, atMs: at })).toBe(at);
    expect(presetPeriod('24h', rollingEnd(now, { active: true, atMs: at })).to).toBe(Date.parse('2026-11-20T02:14:00Z'));
    expect(rollingEnd(now, { active: true, atMs: Number.NaN })).toBe(now);
    expect(rollingEnd(now, { active: false, atMs: at })).toBe(now);
  });
  it('round bucket widths: 24 h → 48 × 30 min, 7 d → 56 × 3 h, 30 d → 60 × 12 h, 92 d → 92 × 1 d', () => {
    expect(trendBuckets(DAY_MS)).toBe(48);
    expect(trendBuckets(7 * DAY_MS)).toBe(56);
    expect(trendBuckets(30 * DAY_MS)).toBe(60);
    expect(trendBuckets(MAX_PERIOD_MS)).toBe(92);
    expect(trendBuckets(60 * 60_000)).toBe(12);
    expect(trendBuckets(1000)).toBe(1);
  });
  it('refuses impossible custom periods with a reason', () => {
    expect(periodProblem(null, 5)).toBe('give a start and an end');
    expect(periodProblem(5, 5)).toBe('the end must be after the start');
    expect(periodProblem(0, MAX_PERIOD_MS + 1)).toBe('at most 92 days');
    expect(periodProblem(0, MAX_PERIOD_MS)).toBeNull();
  });
});
