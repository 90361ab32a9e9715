import { describe, it, expect } from 'vitest';
import { computeRoi, loadRoiInputs, loadRoiInputsText, type RoiInputs, type RoiMeasured } from '../../src/core/metrics/roi.ts';
import { YEAR_MS, toIso, resolvePeriod } from '../../src/core/metrics/period.ts';

const doc = {
  format: 'twinspace.roi/1',
  currency: 'EUR',
  investment: { upfront: 100_000, annual: 10_000 },
  baseline: { excursionMinutesPerYear: 5000, ttaMeanS: 300, coverageFraction: 0.5 },
  costs: { perExcursionMinute: 20, perResponseMinute: 50, perUnrecordedIncident: 2000 },
  incidentsPerYear: 10,
};

function inputs(over: Record<string, unknown> = {}): RoiInputs {
  const r = loadRoiInputs({ ...doc, ...over });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.inputs;
}

/** A fifth of a year (73 days): every measured figure × 5 per year. */
const measured: RoiMeasured = { periodMs: YEAR_MS / 5, excursionMinutes: 200, ttaMeanS: 120, alarmsRaised: 40, reliabilityCoverage: 0.75 };

describe('ROI inputs', () => {
  it('fills the defaults: 5 years, 8 %', () => {
    expect(inputs()).toMatchObject({ horizonYears: 5, discountRate: 0.08 });
    expect(inputs({ horizonYears: 3, discountRate: 0 })).toMatchObject({ horizonYears: 3, discountRate: 0 });
    expect(loadRoiInputs({ ...doc, format: undefined }).ok).toBe(true);
  });

  it('lists every problem with its path', () => {
    const r = loadRoiInputs({
      ...doc, format: 'roi/2', currency: 3, investment: { upfront: -1 }, horizonYears: 2.5, discountRate: 'x',
      baseline: { ...doc.baseline, coverageFraction: 1.5 }, costs: undefined, incidentsPerYear: null,
    });
    expect(r).toEqual({
      ok: false,
      problems: [
        { path: 'format', reason: 'must be "twinspace.roi/1"' },
        { path: 'currency', reason: 'expected a string, got number' },
        { path: 'investment.upfront', reason: 'must be ≥ 0' },
        { path: 'investment.annual', reason: 'required' },
        { path: 'horizonYears', reason: 'must be a whole number of years ≥ 1' },
        { path: 'discountRate', reason: 'expected a number, got string' },
        { path: 'baseline.coverageFraction', reason: 'must be in [0, 1]' },
        { path: 'costs', reason: 'required' },
        { path: 'incidentsPerYear', reason: 'expected a number, got null' },
      ],
    });
    expect(loadRoiInputs([])).toEqual({ ok: false, problems: [{ path: '(document)', reason: 'expected an object, got array' }] });
    expect(loadRoiInputs({ ...doc, incidentsPerYear: Infinity, currency: '' })).toEqual({
      ok: false, problems: [{ path: 'currency', reason: 'must be a non-empty string' }, { path: 'incidentsPerYear', reason: 'must be a finite number, got Infinity' }],
    });
    const bad = loadRoiInputsText('{"currency":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.reason).toMatch(/^not valid JSON: /);
  });
});

describe('computeRoi', () => {
  it('hand-computed case', () => {
    const r = computeRoi(inputs(), measured);
    // temperature: (5000 − 200·5) × 20 = 80 000; response: (300 − 120)/60 × 40·5 × 50 = 30 000;
    // coverage: (0.75 − 0.5) × 10 × 2000 = 5000
    expect(r.currency).toBe('EUR');
    expect(r.lines).toEqual({ temperature: 80_000, response: 30_000, coverage: 5000 });
    expect(r.annualBenefit).toBe(115_000);
    // cost = 100 000 + 5 × 10 000 = 150 000; roi = (575 000 − 150 000) / 150 000 = 17/6
    expect(r.roi).toBeCloseTo(17 / 6, 14);
    // payback = 100 000 / (105 000 / 12) = 80/7 months
    expect(r.paybackMonths).toBeCloseTo(80 / 7, 12);
    // npv = −100 000 + 105 000 × (1 − 1.08^−5) / 0.08
    expect(r.npv).toBeCloseTo(-100_000 + (105_000 * (1 - 1.08 ** -5)) / 0.08, 6);
    expect(r.npv).toBeCloseTo(319_234.55, 1);
    expect(Object.keys(r)).toEqual(['currency', 'annualBenefit', 'lines', 'roi', 'paybackMonths', 'npv']);
  });

  it('a null measured figure makes its line 0; an empty period annualises nothing', () => {
    expect(computeRoi(inputs(), { ...measured, ttaMeanS: null }).lines.response).toBe(0);
    expect(computeRoi(inputs(), { ...measured, reliabilityCoverage: null }).lines.coverage).toBe(0);
    expect(computeRoi(inputs(), { ...measured, excursionMinutes: null }).lines.temperature).toBe(0);
    expect(computeRoi(inputs(), { ...measured, periodMs: 0 }).lines).toEqual({ temperature: 0, response: 0, coverage: 5000 });
  });

  it('lines may be negative; no payback when the benefit does not beat the running cost; no roi without cost', () => {
    const worse = computeRoi(inputs(), { ...measured, excursionMinutes: 1200, ttaMeanS: 420, reliabilityCoverage: 0.25 });
    expect(worse.lines).toEqual({ temperature: -20_000, response: -20_000, coverage: -5000 });
    expect(worse.paybackMonths).toBeNull();
    expect(worse.roi).toBeCloseTo((-45_000 * 5 - 150_000) / 150_000, 14);
    expect(computeRoi(inputs({ investment: { upfront: 0, annual: 0 } }), measured).roi).toBeNull();
    const flat = computeRoi(inputs({ horizonYears: 2, discountRate: 0 }), { ...measured, excursionMinutes: 1000, ttaMeanS: 300, reliabilityCoverage: 0.5 });
    // temperature (5000 − 5000) = 0, response 0, coverage 0: benefit 0 ≤ annual
    expect(flat.annualBenefit).toBe(0);
    expect(flat.paybackMonths).toBeNull();
    expect(flat.npv).toBe(-100_000 - 2 * 10_000);
  });
});

describe('period helpers', () => {
  it('formats ISO UTC without zero milliseconds, and defaults a period to the records', () => {
    expect(toIso(Date.UTC(2026, 10, 2, 8))).toBe('2026-11-02T08:00:00Z');
    expect(toIso(Date.UTC(2026, 10, 2, 8) + 5)).toBe('2026-11-02T08:00:00.005Z');
    expect(resolvePeriod([{ ts: 5 }, { ts: 2 }, { ts: 9 }])).toEqual({ from: 2, to: 9 });
    expect(resolvePeriod([{ ts: 5 }], 0)).toEqual({ from: 0, to: 5 });
    expect(resolvePeriod([])).toEqual({ from: null, to: null });
  });
});
