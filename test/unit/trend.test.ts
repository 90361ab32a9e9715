import { describe, expect, it } from 'vitest';
import { metricsTrend } from '../../src/core/metrics/trend.ts';
import { computeStability } from '../../src/core/metrics/stability.ts';
import { computeResponse } from '../../src/core/metrics/response.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { M, T0, TINY_IX, TINY_RECORDS } from '../fixtures/tiny-scenario.ts';

const ix = TINY_IX;
const records = TINY_RECORDS;

describe('metricsTrend', () => {
  it('computes each bucket by the definitions (hand-computed)', () => {
    const [a, b] = metricsTrend(ix, records, T0, T0 + 20 * M, 2);
    // 08:00–08:10 mean 20.5, in spec; 08:10–08:20 out of spec for 10 min ≥ the 5-min delay.
    expect(a).toEqual({ from: '2026-11-02T08:00:00Z', to: '2026-11-02T08:10:00Z', criticalInSpecFraction: 1, excursionMinutes: 0, raised: 1, ttaMeanS: 60, ttaP90S: 60, ttrP90S: null, unacknowledged: 0, falseAlarmRate: null });
    expect(b).toEqual({ from: '2026-11-02T08:10:00Z', to: '2026-11-02T08:20:00Z', criticalInSpecFraction: 0, excursionMinutes: 10, raised: 0, ttaMeanS: null, ttaP90S: null, ttrP90S: null, unacknowledged: 0, falseAlarmRate: null });
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

  it('gives each bucket the false-alarm rate of the alarms raised in it (outcomes ÷ resolved; null when none resolved)', () => {
    const second = `door-forced:D-1:${T0 + 5 * M}`;
    const rs: TwinRecord[] = [
      { ts: T0, type: 'door.opened', door: 'D-1' },
      { ts: T0 + 5000, type: 'door.closed', door: 'D-1' },
      { ts: T0 + M, type: 'alarm.resolved', alarm: `door-forced:D-1:${T0}`, by: 'op-1', outcome: 'false-alarm' },
      { ts: T0 + 5 * M, type: 'door.opened', door: 'D-1' },
      { ts: T0 + 5 * M + 5000, type: 'door.closed', door: 'D-1' },
      { ts: T0 + 6 * M, type: 'alarm.resolved', alarm: second, by: 'op-1', outcome: 'genuine' },
    ];
    expect(metricsTrend(ix, rs, T0, T0 + 15 * M, 3).map((p) => p.falseAlarmRate)).toEqual([1, 0, null]);
    const [whole] = metricsTrend(ix, rs, T0, T0 + 15 * M, 1);
    expect(whole!.falseAlarmRate).toBe(0.5);
    expect(whole!.falseAlarmRate).toBe(computeResponse(ix, rs, { from: T0, to: T0 + 15 * M }).falseAlarmRate);
  });

  it('refuses impossible requests', () => {
    expect(() => metricsTrend(ix, records, T0, T0, 3)).toThrow(/must end after/);
    expect(() => metricsTrend(ix, records, T0, T0 + M, 0)).toThrow(/buckets/);
  });
});
