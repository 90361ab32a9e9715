// The metric commands as users run them, on small hand-computed files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twinspace } from './run-cli.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { computeCoverage } from '../../src/core/metrics/coverage.ts';
import { reliabilityWeightedCoverage } from '../../src/core/metrics/all.ts';

const TINY = new URL('../fixtures/tiny-facility.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'twinspace-metrics-'));
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const T0 = Date.parse('2026-11-02T08:00:00Z');

// CR-1: setpoint 20 ± 2, alarm delay 5 min, sensors T-CR1-1 and T-CR1-2, readings held 15 min.
// 08:00–08:10 mean(20, 21) = 20.5 in spec; 08:10–08:15 mean(24, 21) = 22.5 out;
// 08:15–08:20 T-CR1-2 stale, 24 alone, out; the 08:20 reading ends the period.
const TELEMETRY = `ts,sensor,value
2026-11-02T08:00:00Z,T-CR1-1,20
2026-11-02T08:00:00Z,T-CR1-2,21
2026-11-02T08:10:00Z,T-CR1-1,24
2026-11-02T08:05:00Z,NOPE,20
2026-11-02T08:20:00Z,T-CR1-1,20
`;
const FORCED = `door-forced:D-1:${T0}`;
const EVENTS = [
  { ts: '2026-11-02T08:00:00Z', type: 'door.opened', door: 'D-1' },
  { ts: '2026-11-02T08:00:05Z', type: 'door.closed', door: 'D-1' },
  { ts: '2026-11-02T08:01:00Z', type: 'alarm.acknowledged', alarm: FORCED, by: 'op-1' },
  { ts: '2026-11-02T08:03:00Z', type: 'alarm.resolved', alarm: FORCED, by: 'op-1', outcome: 'false-alarm' },
  { ts: '2026-11-02T08:10:00Z', type: 'alarm.acknowledged', alarm: 'door-held:D-1:1', by: 'op-1' },
].map((e) => JSON.stringify(e)).join('\n');

const telemetry = write('telemetry.csv', TELEMETRY);
const events = write('events.jsonl', EVENTS);

describe('twinspace stability', () => {
  it('computes the hand-computed figures and reports the bad line', async () => {
    const r = await twinspace(['stability', TINY, telemetry, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`${telemetry}:5: unknown sensor "NOPE"`);
    const rep = JSON.parse(r.stdout);
    expect(rep.from).toBe('2026-11-02T08:00:00Z');
    expect(rep.to).toBe('2026-11-02T08:20:00Z');
    expect(rep.staleMinutes).toBe(15);
    const z = rep.zones['CR-1'];
    expect(z.dataMinutes).toBeCloseTo(20, 12);
    expect(z.inSpecFraction).toBeCloseTo(0.5, 12);
    expect(z.excursionCount).toBe(1);
    expect(z.excursionMinutes).toBeCloseTo(10, 12);
    expect(z.longestExcursionMinutes).toBeCloseTo(10, 12);
    expect(z.meanC).toBeCloseTo((20.5 * 10 + 22.5 * 5 + 24 * 5) / 20, 12);
    expect(z.maxDeviationC).toBeCloseTo(4, 12);
    expect(rep.criticalInSpecFraction).toBeCloseTo(0.5, 12);
  });

  it('exits 0 with --lenient, still naming the bad line, and prints a table without --json', async () => {
    const r = await twinspace(['stability', TINY, telemetry, '--lenient']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(':5: unknown sensor');
    expect(r.stdout).toContain('CR-1');
    expect(r.stdout).toContain('Critical zones in spec: 50.0 %');
  });

  it('honours --from/--to and --stale-minutes, and refuses bad values as usage', async () => {
    const r = await twinspace(['stability', TINY, telemetry, '--json', '--lenient', '--from', '2026-11-02T08:00:00Z', '--to', '2026-11-02T08:10:00Z', '--stale-minutes', '30']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).zones['CR-1'].inSpecFraction).toBe(1);
    const bad = await twinspace(['stability', TINY, telemetry, '--from', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from');
  });
});

describe('twinspace alarms', () => {
  it('raises the forced door, times the response and refuses the unknown alarm', async () => {
    const r = await twinspace(['alarms', TINY, events, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^${events}:5: .*door-held:D-1:1`));
    const rep = JSON.parse(r.stdout);
    expect(rep.raised).toBe(1);
    expect(rep.byKind['door-forced']).toBe(1);
    expect(rep.alarms).toEqual([{ id: FORCED, kind: 'door-forced', door: 'D-1', onset: '2026-11-02T08:00:00Z', acknowledgedAt: '2026-11-02T08:01:00Z', resolvedAt: '2026-11-02T08:03:00Z', outcome: 'false-alarm' }]);
    expect(rep.tta).toEqual({ count: 1, meanS: 60, p50S: 60, p90S: 60, maxS: 60 });
    expect(rep.ttr).toEqual({ count: 1, meanS: 180, p50S: 180, p90S: 180, maxS: 180 });
    expect(rep.unacknowledged).toBe(0);
    expect(rep.falseAlarmRate).toBe(1);
  });
});

describe('twinspace coverage', () => {
  it('prints the report of the core engine in the contract shape', async () => {
    const r = await twinspace(['coverage', TINY, '--grid', '0.5', '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    const loaded = loadFacility(JSON.parse(readFileSync(TINY, 'utf8')));
    if (!loaded.ok) throw new Error('fixture');
    expect(rep).toEqual(JSON.parse(JSON.stringify(computeCoverage(loaded.facility, { grid: 0.5 }))));
    expect(Object.keys(rep.zones['CR-1']).sort()).toEqual(['areaM2', 'fractions', 'meetsTarget', 'redundantFraction', 'reliability', 'requiredFraction', 'requiredLevel', 'target']);
    expect(rep.grid).toBe(0.5);
    expect(rep.targetHeight).toBe(1.5);
  });

  it('refuses a non-positive grid as usage', async () => {
    const r = await twinspace(['coverage', TINY, '--grid', '0']);
    expect(r.code).toBe(2);
  });
});

describe('twinspace roi', () => {
  it('annualises the measured figures over the shared period (hand-computed)', async () => {
    const roiFile = write('roi.json', JSON.stringify({
      currency: 'EUR', investment: { upfront: 100000, annual: 10000 },
      baseline: { excursionMinutesPerYear: 300000, ttaMeanS: 120, coverageFraction: 0.5 },
      costs: { perExcursionMinute: 1, perResponseMinute: 2, perUnrecordedIncident: 1000 }, incidentsPerYear: 10,
    }));
    const r = await twinspace(['roi', TINY, roiFile, '--telemetry', telemetry, '--events', events, '--json', '--lenient']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    // The period is 08:00–08:20 across both files: 20 minutes, 26 280 of them a year.
    const perYear = (365 * 24 * 60) / 20;
    const temperature = (300000 - 10 * perYear) * 1;
    const response = ((120 - 60) / 60) * (1 * perYear) * 2;
    const loaded = loadFacility(JSON.parse(readFileSync(TINY, 'utf8')));
    if (!loaded.ok) throw new Error('fixture');
    const rel = reliabilityWeightedCoverage(indexFacility(loaded.facility), computeCoverage(loaded.facility))!;
    const coverage = (rel - 0.5) * 10 * 1000;
    const benefit = temperature + response + coverage;
    expect(rep.currency).toBe('EUR');
    expect(rep.lines.temperature).toBeCloseTo(temperature, 6);
    expect(rep.lines.response).toBeCloseTo(response, 6);
    expect(rep.lines.coverage).toBeCloseTo(coverage, 6);
    expect(rep.annualBenefit).toBeCloseTo(benefit, 6);
    const cost = 100000 + 10000 * 5;
    expect(rep.roi).toBeCloseTo((benefit * 5 - cost) / cost, 9);
    expect(rep.paybackMonths).toBeCloseTo(100000 / ((benefit - 10000) / 12), 9);
    let npv = -100000;
    for (let t = 1; t <= 5; t++) npv += (benefit - 10000) / 1.08 ** t;
    expect(rep.npv).toBeCloseTo(npv, 6);
  });

  it('requires --telemetry and --events, and refuses bad ROI inputs with their paths', async () => {
    const a = await twinspace(['roi', TINY, write('r1.json', '{}')]);
    expect(a.code).toBe(2);
    const bad = write('r2.json', JSON.stringify({ currency: 'EUR', investment: { upfront: -1, annual: 0 } }));
    const b = await twinspace(['roi', TINY, bad, '--telemetry', telemetry, '--events', events]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${bad}: investment.upfront: must be ≥ 0`);
    expect(b.stderr).toContain(`${bad}: baseline: required`);
  });

  it('accepts the demo ROI inputs', async () => {
    const r = await twinspace(['roi', TINY, new URL('../../server/demo/roi.json', import.meta.url).pathname, '--telemetry', telemetry, '--events', events, '--lenient']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ROI .* over 5 years/);
  });
});
