// The ROI panel's model (src/hud/figures/roiModel.ts) and the optional
// 90-day targets of twinspace.roi/1: drafts, per-field problems (as the 422
// sends them), the measured figures (the same ROI as the server), progress
// toward the targets, and the CSV export.
import { describe, expect, it } from 'vitest';
import { formatProblems } from '../../src/core/facility/validate.ts';
import { computeMetrics } from '../../src/core/metrics/all.ts';
import { YEAR_MS } from '../../src/core/metrics/period.ts';
import { computeRoi, loadRoiInputs, type RoiInputs } from '../../src/core/metrics/roi.ts';
import { M, T0, TINY_IX, TINY_RECORDS } from '../fixtures/tiny-scenario.ts';
import { kpiFigures, kpiTiles } from '../../src/hud/figures/kpis.ts';
import {
  ROI_FIELDS, checkDraft, csvField, documentOf, draftOf, measuredOf, measuredTargetValue, problemsByPath, roiCsv, targetProgress,
} from '../../src/hud/figures/roiModel.ts';

const ix = TINY_IX;
const RECORDS = TINY_RECORDS;
const DOC = {
  format: 'twinspace.roi/1', currency: 'EUR', investment: { upfront: 100000, annual: 10000 }, horizonYears: 5, discountRate: 0.08,
  baseline: { excursionMinutesPerYear: 300000, ttaMeanS: 120, coverageFraction: 0.5 },
  costs: { perExcursionMinute: 1, perResponseMinute: 2, perUnrecordedIncident: 1000 }, incidentsPerYear: 10,
  targets90d: { excursionMinutesPerYear: 200000, ttaMeanS: 60 },
};
const inputs = (doc: unknown = DOC): RoiInputs => {
  const r = loadRoiInputs(doc);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.inputs;
};

describe('twinspace.roi/1 targets90d', () => {
  it('is optional, and each target in it is too', () => {
    const { targets90d: _t, ...without } = DOC;
    expect(inputs(without).targets90d).toBeUndefined();
    expect(inputs().targets90d).toEqual({ excursionMinutesPerYear: 200000, ttaMeanS: 60 });
    expect(inputs({ ...DOC, targets90d: {} }).targets90d).toEqual({});
  });
  it('is checked like the baseline, every problem with its path', () => {
    const r = loadRoiInputs({ ...DOC, targets90d: { excursionMinutesPerYear: -1, ttaMeanS: 'x', coverageFraction: 1.2 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([
      { path: 'targets90d.excursionMinutesPerYear', reason: 'must be ≥ 0' },
      { path: 'targets90d.ttaMeanS', reason: 'expected a number, got string' },
      { path: 'targets90d.coverageFraction', reason: 'must be in [0, 1]' },
    ]);
    const arr = loadRoiInputs({ ...DOC, targets90d: [] });
    expect(arr.ok).toBe(false);
    if (!arr.ok) expect(arr.problems).toEqual([{ path: 'targets90d', reason: 'expected an object, got array' }]);
  });
});

describe('the ROI form', () => {
  it('drafts round-trip to the same document', () => {
    const d = draftOf(inputs());
    expect(d['investment.upfront']).toBe('100000');
    expect(d['targets90d.coverageFraction']).toBe('');
    expect(loadRoiInputs(documentOf(d))).toEqual({ ok: true, inputs: inputs() });
    expect(Object.keys(draftOf(null))).toEqual(ROI_FIELDS.map((f) => f.path));
  });
  it('a problem per field from the shared schema, as the server words it', () => {
    const d = { ...draftOf(inputs()), 'costs.perResponseMinute': '-3', discountRate: 'lots', currency: '' };
    const c = checkDraft(d);
    expect(c).toEqual({ ok: false, problems: { currency: 'required', discountRate: 'expected a number, got string', 'costs.perResponseMinute': 'must be ≥ 0' } });
    // The 422 body is formatProblems' `path: reason` lines.
    const r = loadRoiInputs(documentOf(d));
    if (r.ok) throw new Error('should fail');
    expect(problemsByPath(formatProblems(r.problems))).toEqual(c.ok ? {} : c.problems);
    expect(problemsByPath('(document): not valid JSON: x: y\nbad line')).toEqual({ '(document)': 'not valid JSON: x: y' });
  });
});

describe('measured figures and the ROI', () => {
  const from = T0, to = T0 + 20 * M;
  const report = computeMetrics(ix, RECORDS, { from, to, roi: inputs() });
  const m = JSON.parse(JSON.stringify({ from: report.from, to: report.to, stability: report.stability, coverage: report.coverage, alarms: report.alarms }));
  it('are the figures §4 measures, so the panel computes the ROI the server does', () => {
    const measured = measuredOf(ix, m);
    expect(measured).toEqual({ periodMs: 20 * M, excursionMinutes: 10, ttaMeanS: 60, alarmsRaised: 1, reliabilityCoverage: expect.any(Number) });
    expect(computeRoi(inputs(), measured)).toEqual(report.roi);
  });
  it('measured target values are in the baseline\'s terms; progress per metric', () => {
    const measured = measuredOf(ix, m);
    expect(measuredTargetValue('excursionMinutesPerYear', measured)).toBeCloseTo(10 * (YEAR_MS / (20 * M)), 6);
    const p = targetProgress(inputs(), measured);
    expect(p.map((x) => [x.metric.key, x.baseline, x.target])).toEqual([['excursionMinutesPerYear', 300000, 200000], ['ttaMeanS', 120, 60], ['coverageFraction', 0.5, null]]);
    // 262,800 min/yr measured: (300,000 − 262,800) ÷ 100,000 of the promise.
    expect(p[0]!.bullet.progress).toBeCloseTo(0.372, 9);
    expect(p[0]!.bullet.status).toBe('improving');
    expect(p[1]!.bullet).toMatchObject({ progress: 1, status: 'met' });
    expect(p[2]!.bullet.status).toBe('unknown');
  });
  it('KPI figures are the report\'s (and the core\'s sums), printed by the shared formatters', () => {
    const f = kpiFigures(ix, m);
    expect(f).toMatchObject({ inSpec: 0.5, excursionMinutes: 10, ttaP50: 60, ttaP90: 60, unacknowledged: 0, raised: 1, falseAlarmRate: null });
    const tiles = kpiTiles(f);
    expect(tiles.map((t) => t.id)).toEqual(['in-spec', 'excursions', 'coverage', 'tta', 'ttr', 'unacknowledged', 'false-alarms']);
    expect(tiles[0]!.text).toBe('50.00 %');
    expect(tiles[3]!.text).toBe('60.0 s / 60.0 s');
    expect(tiles[6]!.text).toBe('—');
  });
  it('exports CSV: header, period, inputs, measured, result, targets; quoted where needed; parses back', () => {
    const measured = measuredOf(ix, m);
    const csv = roiCsv({ facility: 'tiny, "test"', fromMs: from, toMs: to, generatedMs: Date.parse('2026-11-03T00:00:00Z'), inputs: inputs(), measured, report: report.roi!, progress: targetProgress(inputs(), measured) });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,item,value,unit');
    expect(lines[1]).toBe('report,facility,"tiny, ""test""",');
    expect(lines).toContain('report,from,2026-11-02T08:00:00.000Z,UTC');
    expect(lines).toContain('input,investment.upfront,100000,EUR');
    expect(lines).toContain('input,costs.perResponseMinute,2,EUR/min');
    expect(lines).toContain('input,targets90d.ttaMeanS,60,s');
    expect(lines).toContain('measured,excursionMinutes,10,min');
    expect(lines).toContain(`result,annualBenefit,${report.roi!.annualBenefit},EUR/year`);
    expect(lines).toContain('target90d,coverageFraction.target,,fraction');
    expect(lines.at(-1)).toBe('');
    // Every row has four fields once quoted commas are accounted for.
    for (const l of lines.slice(0, -1)) expect(l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((x) => x !== '').length).toBeGreaterThanOrEqual(3);
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });
});
