// The shaded excursions of a zone's temperature chart
// (src/hud/figures/excursions.ts): a hand-computed case, and seeded random
// readings whose counted excursions must total exactly what the core's §1
// figures (stabilityDetail) say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { stabilityDetail } from '../../src/core/metrics/stability.ts';
import type { TelemetryRecord } from '../../src/core/records.ts';
import { zoneExcursions, type SensorSeries } from '../../src/hud/figures/excursions.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('fixture');
const ix = indexFacility(loaded.facility);
const M = 60_000;
const T0 = Date.parse('2026-11-02T08:00:00Z');
const SPEC = { setpoint: 20, tolerance: 2, alarmDelayMinutes: 5 };
const SENSORS = ['T-CR1-1', 'T-CR1-2'];

function seriesOf(records: readonly TelemetryRecord[]): SensorSeries[] {
  return SENSORS.map((id) => {
    const mine = records.filter((r) => r.sensor === id);
    return { ts: mine.map((r) => r.ts), v: mine.map((r) => r.value) };
  });
}


describe('zone excursions for the chart', () => {
  it('hand case: mean 22.5 °C from 08:10 to 08:20 is one 10-minute excursion', () => {
    const records: TelemetryRecord[] = [
      { ts: T0, sensor: 'T-CR1-1', value: 20 }, { ts: T0, sensor: 'T-CR1-2', value: 21 },
      { ts: T0 + 10 * M, sensor: 'T-CR1-1', value: 24 }, { ts: T0 + 20 * M, sensor: 'T-CR1-1', value: 20 },
    ];
    // T-CR1-2 goes stale at 08:15 (15 min): from then T is T-CR1-1's 24 alone, still out until 08:20.
    expect(zoneExcursions(seriesOf(records), SPEC, T0, T0 + 30 * M)).toEqual({ intervals: [[T0 + 10 * M, T0 + 20 * M]], count: 1, minutes: 10 });
  });
  it('short excursions do not count; a gap ends one; the period edge cuts one', () => {
    const records: TelemetryRecord[] = [
      { ts: T0, sensor: 'T-CR1-1', value: 23 }, // out 08:00–08:03 (3 min < 5): not counted
      { ts: T0 + 3 * M, sensor: 'T-CR1-1', value: 20 },
      { ts: T0 + 10 * M, sensor: 'T-CR1-1', value: 25 }, // out 08:10 until stale at 08:25
      { ts: T0 + 40 * M, sensor: 'T-CR1-1', value: 25 }, // out again 08:40 → cut at 08:50
    ];
    const ex = zoneExcursions(seriesOf(records), SPEC, T0, T0 + 50 * M);
    expect(ex.intervals).toEqual([[T0 + 10 * M, T0 + 25 * M], [T0 + 40 * M, T0 + 50 * M]]);
    expect(ex.minutes).toBe(25);
  });
  it('seeded random readings: the same count and minutes as the core', () => {
    const r = rng(42);
    for (let k = 0; k < 40; k++) {
      const records: TelemetryRecord[] = [];
      const hours = 2 + Math.floor(r() * 6);
      for (const sensor of SENSORS) {
        let t = T0 - Math.floor(r() * 20) * M;
        while (t < T0 + hours * 3_600_000) {
          if (r() > 0.1) records.push({ ts: t, sensor, value: Math.round((20 + (r() - 0.5) * 7) * 10) / 10 });
          t += Math.floor(1 + r() * (r() < 0.05 ? 40 : 4)) * M;
        }
      }
      records.sort((a, b) => a.ts - b.ts);
      const from = T0, to = T0 + hours * 3_600_000;
      const core = stabilityDetail(ix, records, { from, to }).report.zones['CR-1']!;
      const mine = zoneExcursions(seriesOf(records), SPEC, from, to);
      expect(mine.count).toBe(core.excursionCount);
      expect(mine.minutes).toBeCloseTo(core.excursionMinutes, 9);
      const longest = Math.max(0, ...mine.intervals.map(([a, b]) => (b - a) / M));
      expect(longest).toBeCloseTo(core.longestExcursionMinutes, 9);
    }
  });
});
