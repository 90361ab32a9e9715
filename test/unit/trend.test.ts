import { describe, expect, it } from 'vitest';
import { metricsTrend } from '../../src/core/metrics/trend.ts';
import { computeStability } from '../../src/core/metrics/stability.ts';
import { M, T0, TINY_IX, TINY_RECORDS } from '../fixtures/tiny-scenario.ts';

const ix = TINY_IX;
const records = TINY_RECORDS;

describe('metricsTrend', () => {
  it('computes each bucket by the definitions (hand-computed)', () => {
    const [a, b] = metricsTrend(ix, records, T0, T0 + 20 * M, 2);
    // 08:00–08:10 mean 20.5, in spec; 08:10–08:20 out of spec for 10 min ≥ the 5-min delay.
    expect(a).toEqual({ from: '2026-11-02T08:00:00Z', to: '2026-11-02T08:10:00Z', criticalInSpecFraction: 1, excursionMinutes: 0, raised: 1, ttaMeanS: 60, ttaP90S: 60, ttrP90S: null, unacknowledged: 0 });
    expect(b).toEqual({ from: '2026-11-02T08:10:00Z', to: '2026-11-02T08:20:00Z', criticalInSpecFraction: 0, excursionMinutes: 10, raised: 0, ttaMeanS: null, ttaP90S: null, ttrP90S: null, unacknowledged: 0 });
  });

  it('with one bucket equals the whole-period figures', () => {
    const [p] = metricsTrend(ix, records, T0, T0 + 20 * M, 1);
    expect(p!.criticalInSpecFraction).toBe(computeStability(ix, records, { from: T0, to: T0 + 20 * M }).criticalInSpecFraction);
  });

  it('holds readings from before a bucket into it', () => {
    // From 08:12 only T-CR1-1 = 24 (T-CR1-2 of 08:00 expired at 08:15): 3 min at 22.5, 5 min at 24 — all out.
    const [p] = metricsTrend(ix, records, T0 + 12 * M, T0 + 20 * M, 1);
    expect(p!.criticalInSpecFraction).toBe(0);
    expect(p!.excursionMinutes).toBe(8);
  });

  it('refuses impossible requests', () => {
    expect(() => metricsTrend(ix, records, T0, T0, 3)).toThrow(/must end after/);
    expect(() => metricsTrend(ix, records, T0, T0 + M, 0)).toThrow(/buckets/);
  });
});
