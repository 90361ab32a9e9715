import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import type { TelemetryRecord, TwinRecord } from '../../src/core/records.ts';
import { computeStability, criticalExcursionMinutes, stabilityDetail } from '../../src/core/metrics/stability.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';

const sq = (x0: number, x1: number): number[][] => [[x0, 0], [x1, 0], [x1, 10], [x0, 10]];

/** CR critical 20 ± 1 (delay 5 min) with T1, T2, H1; LAB critical 21 ± 0.5 with T4; OF 22 ± 2 with T3; WH no spec with T5. */
function facility(alarmDelayMinutes = 5): FacilityIndex {
  const r = loadFacility({
    format: 'twinspace.facility/1', id: 'F', name: 'Test plant',
    floors: [{
      id: 'L1', name: 'Ground', elevation: 0, height: 3, outline: sq(0, 40),
      zones: [
        { id: 'CR', name: 'Clean room', kind: 'cleanroom', polygon: sq(0, 10), critical: true, temperature: { setpoint: 20, tolerance: 1, alarmDelayMinutes } },
        { id: 'LAB', name: 'Lab', kind: 'lab', polygon: sq(10, 20), critical: true, temperature: { setpoint: 21, tolerance: 0.5 } },
        { id: 'OF', name: 'Office', kind: 'office', polygon: sq(20, 30), temperature: { setpoint: 22, tolerance: 2 } },
        { id: 'WH', name: 'Store', kind: 'warehouse', polygon: sq(30, 40) },
      ],
      sensors: [
        { id: 'T1', kind: 'temperature', zone: 'CR' }, { id: 'T2', kind: 'temperature', zone: 'CR' }, { id: 'H1', kind: 'humidity', zone: 'CR' },
        { id: 'T4', kind: 'temperature', zone: 'LAB' }, { id: 'T3', kind: 'temperature', zone: 'OF' }, { id: 'T5', kind: 'temperature', zone: 'WH' },
      ],
    }],
  });
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return indexFacility(r.facility);
}

const T0 = Date.UTC(2026, 10, 2, 8);
const m = (min: number) => T0 + min * 60_000;
const rd = (sensor: string, min: number, value: number): TelemetryRecord => ({ ts: m(min), sensor, value });
const mkt = (segs: [number, number][]) => {
  const w = segs.reduce((a, [, d]) => a + d, 0);
  return 10_000 / -Math.log(segs.reduce((a, [T, d]) => a + d * Math.exp(-10_000 / (T + 273.15)), 0) / w) - 273.15;
};

describe('stability: hand-computed cases', () => {
  const ix = facility();

  it('holds readings until the next one or 15 min, with no-data gaps', () => {
    // [0,10) 20 in; [10,20) 22 out; [20,35) 20.5 in; [35,50) no data; [50,65) 19 in (|19−20| = 1 ≤ 1); [65,70) no data
    const rep = computeStability(ix, [rd('T1', 0, 20), rd('T1', 10, 22), rd('T1', 20, 20.5), rd('T1', 50, 19)], { from: m(0), to: m(70) });
    expect(rep.from).toBe('2026-11-02T08:00:00Z');
    expect(rep.to).toBe('2026-11-02T09:10:00Z');
    expect(rep.staleMinutes).toBe(15);
    const z = rep.zones['CR']!;
    expect(z.dataMinutes).toBe(50);
    expect(z.inSpecFraction).toBe(0.8);
    expect(z.excursionCount).toBe(1);
    expect(z.excursionMinutes).toBe(10);
    expect(z.longestExcursionMinutes).toBe(10);
    expect(z.meanC).toBe(20.25); // (200 + 220 + 307.5 + 285) / 50
    expect(z.stdDevC).toBeCloseTo(Math.sqrt(55.625 / 50), 14);
    expect(z.maxDeviationC).toBe(2);
    expect(z.mktC).toBeCloseTo(mkt([[20, 10], [22, 10], [20.5, 15], [19, 15]]), 12);
    expect(Object.keys(rep.zones)).toEqual(['CR', 'LAB', 'OF']); // zones with a temperature spec, in model order
    expect(rep.zones['LAB']).toEqual({
      dataMinutes: 0, inSpecFraction: null, excursionCount: 0, excursionMinutes: 0, longestExcursionMinutes: 0,
      meanC: null, stdDevC: null, maxDeviationC: null, mktC: null,
    });
    expect(rep.criticalInSpecFraction).toBe(0.8);
  });

  it('counts an excursion only when it lasts at least alarmDelayMinutes', () => {
    // [10,14) out 4 min: not counted; [20,25) out 5 min: counted
    const recs = [rd('T1', 0, 20), rd('T1', 10, 25), rd('T1', 14, 20), rd('T1', 20, 25), rd('T1', 25, 20)];
    const z = computeStability(ix, recs, { from: m(0), to: m(30) }).zones['CR']!;
    expect(z).toMatchObject({ dataMinutes: 30, inSpecFraction: 0.7, excursionCount: 1, excursionMinutes: 5, longestExcursionMinutes: 5, maxDeviationC: 5 });
    const z0 = computeStability(facility(0), recs, { from: m(0), to: m(30) }).zones['CR']!;
    expect(z0).toMatchObject({ excursionCount: 2, excursionMinutes: 9, longestExcursionMinutes: 5 });
  });

  it('joins out-of-spec values into one excursion, ends it at a no-data gap, and cuts it at the period edge', () => {
    // out [0,21) (24 holds from 6 to 21), gap [21,25), out [25,33) cut by to = 33
    const recs = [rd('T1', 0, 25), rd('T1', 3, 26), rd('T1', 6, 24), rd('T1', 25, 25)];
    const z = computeStability(ix, recs, { from: m(0), to: m(33) }).zones['CR']!;
    expect(z).toMatchObject({ dataMinutes: 29, inSpecFraction: 0, excursionCount: 2, excursionMinutes: 29, longestExcursionMinutes: 21, maxDeviationC: 6 });
    // Cut by the start: a reading before `from` still holds into the period.
    const early = [rd('T1', -10, 25)]; // holds [-10, 5)
    expect(computeStability(ix, early, { from: m(0), to: m(30) }).zones['CR']).toMatchObject({ dataMinutes: 5, excursionCount: 1, excursionMinutes: 5 });
    expect(computeStability(ix, early, { from: m(1), to: m(30) }).zones['CR']).toMatchObject({ dataMinutes: 4, excursionCount: 0, excursionMinutes: 0 });
  });

  it('of two readings at one instant the later in input order holds, even in unsorted input', () => {
    const opts = { from: m(0), to: m(10) };
    expect(computeStability(ix, [rd('T1', 0, 30), rd('T1', 0, 20)], opts).zones['CR']).toMatchObject({ inSpecFraction: 1, maxDeviationC: 0, meanC: 20 });
    expect(computeStability(ix, [rd('T1', 0, 20), rd('T1', 0, 30)], opts).zones['CR']).toMatchObject({ inSpecFraction: 0, maxDeviationC: 10 });
    expect(computeStability(ix, [rd('T1', 5, 21), rd('T1', 0, 30), rd('T1', 0, 20)], opts).zones['CR']).toMatchObject({ inSpecFraction: 1, meanC: 20.5 });
  });

  it('averages the sensors that hold a value, ignoring other kinds and events', () => {
    // [0,5) 19 | [5,15) (19 + 22)/2 = 20.5 | [15,20) 22 out 5 min | [20,25) none
    const recs: TwinRecord[] = [rd('T1', 0, 19), rd('H1', 1, 99), { ts: m(2), type: 'door.opened', door: 'X' }, rd('T2', 5, 22)];
    const z = computeStability(ix, recs, { from: m(0), to: m(25) }).zones['CR']!;
    expect(z).toMatchObject({ dataMinutes: 20, inSpecFraction: 0.75, excursionCount: 1, excursionMinutes: 5, meanC: 20.5, maxDeviationC: 2 });
    expect(z.stdDevC).toBeCloseTo(Math.sqrt((5 * 1.5 ** 2 + 0 + 5 * 1.5 ** 2) / 20), 14);
  });

  it('takes staleMinutes, and defaults the period to the earliest and latest reading of the whole input', () => {
    const recs = [rd('H1', -30, 50), rd('T1', 0, 20), rd('T1', 20, 20), rd('T3', 100, 22)];
    const rep = computeStability(ix, recs);
    expect([rep.from, rep.to]).toEqual(['2026-11-02T07:30:00Z', '2026-11-02T09:40:00Z']);
    expect(rep.zones['CR']!.dataMinutes).toBe(30); // [0,15) + [20,35)
    expect(computeStability(ix, recs, { staleMinutes: 5 }).zones['CR']!.dataMinutes).toBe(10);
    expect(computeStability(ix, recs, { staleMinutes: 60 }).zones['CR']!.dataMinutes).toBe(80); // [0,20) + [20,80)
    expect(rep.zones['OF']!.dataMinutes).toBe(0); // its one reading is at `to`
    expect(() => computeStability(ix, recs, { staleMinutes: -1 })).toThrow(/staleMinutes/);
  });

  it('criticalInSpecFraction pools in-spec and data time of the critical zones only', () => {
    const recs = [
      rd('T1', 0, 20), rd('T1', 10, 23), // CR: [0,10) in, [10,25) out
      rd('T4', 0, 21.4), rd('T4', 5, 21.6), // LAB: [0,5) in, [5,20) out
      rd('T3', 0, 30), // OF (not critical): out
      rd('T5', 0, 99), // WH: no spec
    ];
    const res = stabilityDetail(ix, recs, { from: m(0), to: m(60) });
    expect(res.sums['CR']).toEqual({ dataMs: 25 * 60_000, inSpecMs: 10 * 60_000, excursionMs: 15 * 60_000 });
    expect(res.report.criticalInSpecFraction).toBe(15 / 45);
    expect(res.report.zones['LAB']).toMatchObject({ excursionCount: 1, excursionMinutes: 15 });
    expect(criticalExcursionMinutes(ix, res.report)).toBe(30); // OF's 15 out-of-spec minutes are not critical
  });

  it('reports nothing without readings', () => {
    const rep = computeStability(ix, []);
    expect(rep).toMatchObject({ from: null, to: null, criticalInSpecFraction: null });
    expect(rep.zones['CR']!.dataMinutes).toBe(0);
  });
});

/** Independent reference: sample every minute of an integer-minute grid (exact when every reading and the hold are whole minutes). */
function sampled(readings: TelemetryRecord[], sensors: string[], sp: number, tol: number, delayMin: number, fromMin: number, toMin: number, stale: number) {
  const last = new Map<string, { t: number; v: number }>();
  const sorted = readings.map((r, i) => ({ r, i })).sort((a, b) => a.r.ts - b.r.ts || a.i - b.i);
  let k = 0;
  const Ts: (number | null)[] = [];
  for (let u = fromMin - stale - 1; u < toMin; u++) {
    while (k < sorted.length && sorted[k]!.r.ts <= m(u)) { const { r } = sorted[k++]!; last.set(r.sensor, { t: r.ts, v: r.value }); }
    if (u < fromMin) continue;
    const vals = sensors.flatMap((s) => { const h = last.get(s); return h && m(u) < h.t + stale * 60_000 ? [h.v] : []; });
    Ts.push(vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null);
  }
  const data = Ts.filter((t): t is number => t !== null);
  const inSpec = data.filter((t) => Math.abs(t - sp) <= tol).length;
  const runs: number[] = [];
  let run = 0;
  for (const t of [...Ts, null]) {
    if (t !== null && Math.abs(t - sp) > tol) run++;
    else { if (run > 0) runs.push(run); run = 0; }
  }
  const counted = runs.filter((r) => r >= delayMin);
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  return {
    dataMinutes: data.length,
    inSpecFraction: data.length ? inSpec / data.length : null,
    excursionCount: counted.length,
    excursionMinutes: counted.reduce((a, b) => a + b, 0),
    longestExcursionMinutes: counted.length ? Math.max(...counted) : 0,
    meanC: data.length ? mean : null,
    stdDevC: data.length ? Math.sqrt(data.reduce((a, t) => a + (t - mean) ** 2, 0) / data.length) : null,
    maxDeviationC: data.length ? Math.max(...data.map((t) => Math.abs(t - sp))) : null,
    mktC: data.length ? 10_000 / -Math.log(data.reduce((a, t) => a + Math.exp(-10_000 / (t + 273.15)), 0) / data.length) - 273.15 : null,
  };
}


function randomReadings(seed: number, n: number): TelemetryRecord[] {
  const r = rng(seed);
  const out: TelemetryRecord[] = [];
  for (let i = 0; i < n; i++) {
    // whole minutes, values on a 0.25 grid so boundary cases (|T − sp| = tol) occur; unsorted, with ties
    out.push(rd(r() < 0.5 ? 'T1' : 'T2', Math.floor(r() * 600), 17 + Math.floor(r() * 24) / 4));
  }
  return out;
}

describe('stability: seeded random properties', () => {
  const close = (a: number | null, b: number | null) => {
    if (a === null || b === null) expect(a).toBe(b);
    else expect(Math.abs(a - b)).toBeLessThan(1e-9);
  };

  it('agrees with minute-by-minute sampling on every figure', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const recs = randomReadings(seed, 20 + seed * 5);
      const delay = seed % 4;
      const fromMin = seed % 3 === 0 ? 50 : 0, toMin = 600 - (seed % 5) * 40;
      const stale = 5 + (seed % 3) * 5;
      const got = computeStability(facility(delay), recs, { from: m(fromMin), to: m(toMin), staleMinutes: stale }).zones['CR']!;
      const want = sampled(recs, ['T1', 'T2'], 20, 1, delay, fromMin, toMin, stale);
      for (const key of Object.keys(want) as (keyof typeof want)[]) close(got[key], want[key]);
    }
  });

  it('in-spec time plus out-of-spec time is the data time (alarm delay 0)', () => {
    const ix = facility(0);
    for (let seed = 100; seed < 130; seed++) {
      const z = computeStability(ix, randomReadings(seed, 200)).zones['CR']!;
      expect(Math.abs((z.inSpecFraction ?? 0) * z.dataMinutes + z.excursionMinutes - z.dataMinutes)).toBeLessThan(1e-9);
    }
  });

  it('splitting the period in two adds up: data, in-spec time, time-weighted mean', () => {
    const ix = facility();
    for (let seed = 200; seed < 230; seed++) {
      const recs = randomReadings(seed, 150);
      const cut = m(1 + (seed * 37) % 598) + (seed % 7) * 1234;
      const whole = stabilityDetail(ix, recs, { from: m(0), to: m(600) });
      const a = stabilityDetail(ix, recs, { from: m(0), to: cut });
      const b = stabilityDetail(ix, recs, { from: cut, to: m(600) });
      const [W, A, B] = [whole.sums['CR']!, a.sums['CR']!, b.sums['CR']!];
      expect(A.dataMs + B.dataMs).toBe(W.dataMs);
      expect(A.inSpecMs + B.inSpecMs).toBe(W.inSpecMs);
      const mean = (r: typeof whole) => (r.report.zones['CR']!.meanC ?? 0) * r.sums['CR']!.dataMs;
      expect(Math.abs(mean(a) + mean(b) - mean(whole)) / W.dataMs).toBeLessThan(1e-9);
    }
  });
});

describe('stability: real data (ROBOD Room 3)', () => {
  // Real 5-minute measurements from an office (AHU/VAV) of a university building in Singapore,
  // 29 non-contiguous days in 2021, temperature setpoint 25 °C. Source: Tekler et al., "ROBOD,
  // room-level occupancy and building operation dataset", Building Simulation (2022),
  // doi:10.1007/s12273-022-0925-9 (ideas-lab-nus/robod). Read from ../shared, not copied here.
  // TWINSPACE_SHARED_DATA points elsewhere when the checkout does not sit beside ../shared.
  const path = process.env['TWINSPACE_SHARED_DATA']
    ? `${process.env['TWINSPACE_SHARED_DATA']}/telemetry/combined_Room3.csv`
    : fileURLToPath(new URL('../../../shared/data/telemetry/combined_Room3.csv', import.meta.url));

  it('agrees with direct interval sums and with minute sampling to 1e-9', () => {
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const header = lines[0]!.split(',');
    const iTs = header.indexOf('timestamp'), iT = header.indexOf('air_temperature');
    const recs: TelemetryRecord[] = lines.slice(1).map((l) => {
      const f = l.split(',');
      // "2021-09-07 00:00 +08:00" → "2021-09-07T00:00+08:00"
      const [d, t, off] = f[iTs]!.split(' ');
      return { ts: Date.parse(`${d}T${t}:00${off}`), sensor: 'T-R3', value: Number(f[iT]) };
    });
    expect(recs.length).toBe(8352);
    const r = loadFacility({
      format: 'twinspace.facility/1', id: 'robod', name: 'ROBOD', timezone: 'Asia/Singapore',
      floors: [{ id: 'L', name: 'L', elevation: 0, height: 3, outline: sq(0, 10),
        zones: [{ id: 'R3', name: 'Room 3', kind: 'office', polygon: sq(0, 10), critical: true, temperature: { setpoint: 25, tolerance: 1 } }],
        sensors: [{ id: 'T-R3', kind: 'temperature', zone: 'R3' }] }],
    });
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const rep = computeStability(indexFacility(r.facility), recs);
    const z = rep.zones['R3']!;

    // Direct interval sums: reading i holds until the next reading or 15 min, cut at the latest ts.
    let data = 0, inSpec = 0, sumT = 0, sumExp = 0;
    for (let i = 0; i < recs.length; i++) {
      const end = Math.min(recs[i + 1]?.ts ?? recs[i]!.ts, recs[i]!.ts + 15 * 60_000);
      const d = (end - recs[i]!.ts) / 60_000, v = recs[i]!.value;
      data += d; sumT += d * v; sumExp += d * Math.exp(-10_000 / (v + 273.15));
      if (Math.abs(v - 25) <= 1) inSpec += d;
    }
    expect(rep.from).toBe('2021-09-06T16:00:00Z');
    expect(Math.abs(z.dataMinutes - data)).toBeLessThan(1e-9);
    expect(Math.abs(z.inSpecFraction! - inSpec / data)).toBeLessThan(1e-9);
    expect(Math.abs(z.meanC! - sumT / data)).toBeLessThan(1e-9);
    expect(Math.abs(z.mktC! - (10_000 / -Math.log(sumExp / data) - 273.15))).toBeLessThan(1e-9);
    expect(rep.criticalInSpecFraction).toBe(z.inSpecFraction);

    // Minute sampling over the whole period (all timestamps are on a 5-minute grid, so it is exact).
    const fromMin = (recs[0]!.ts - T0) / 60_000, toMin = (recs[recs.length - 1]!.ts - T0) / 60_000;
    const s = sampled(recs, ['T-R3'], 25, 1, 0, fromMin, toMin, 15);
    for (const key of ['dataMinutes', 'inSpecFraction', 'excursionCount', 'excursionMinutes', 'longestExcursionMinutes', 'meanC', 'stdDevC', 'maxDeviationC', 'mktC'] as const) {
      expect(Math.abs(z[key]! - s[key]!)).toBeLessThan(1e-9);
    }
    // Plausibility of the real room: 29 days of data, warmer than its setpoint on average.
    expect(z.dataMinutes).toBeGreaterThan(29 * 24 * 60 - 5);
    expect(z.dataMinutes).toBeLessThan(29 * 24 * 60 + 29 * 15);
    expect(z.meanC!).toBeGreaterThan(25);
  });
});
