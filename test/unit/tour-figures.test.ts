// What the tour shows (src/hud/tour/stopFigures.ts, src/app/tour/freshness.ts):
// a floor's and a zone's figures as the sums of metrics.md over their
// critical zones and doors, hand-checked on the small plant; the strip's
// words for live, stale and lost data; the sparkline path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { computeMetrics } from '../../src/core/metrics/all.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import {
  coverageTiles, floorTiles, fmtPair, fractionTone, onsetHistogram, overviewTiles, roiTiles, sparkPath, stopTiles, zoneTiles, type StopData, type TourMetrics,
} from '../../src/hud/tour/stopFigures.ts';
import { CONNECT_GRACE_MS, freshness, type FreshnessInput } from '../../src/app/tour/freshness.ts';
import type { Link } from '../../src/state/alarms.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('small-plant fixture is invalid');
const ix = indexFacility(loaded.facility);

const T0 = Date.parse('2026-11-02T08:00:00Z');
const MIN = 60_000;
const from = T0, to = T0 + 60 * MIN;

/**
 * An hour on the small plant, a reading a minute: CR-101 (20 ± 1) in spec
 * throughout; CR-102 (21 ± 0.5) out of spec for its last 30 min; SRV-101
 * (22 ± 3) in spec. A door forced at D-101 (CR-101) at 10 min, acknowledged
 * 90 s later; one at D-102 (CR-102) at 40 min, never acknowledged.
 */
function records(): TwinRecord[] {
  const r: TwinRecord[] = [];
  for (let m = 0; m < 60; m++) {
    const ts = T0 + m * MIN;
    r.push({ ts, sensor: 'T-CR101-1', value: 20.2 }, { ts, sensor: 'T-CR101-2', value: 19.9 });
    r.push({ ts, sensor: 'T-CR102-1', value: m < 30 ? 21.1 : 22.0 });
    r.push({ ts, sensor: 'T-SRV101-1', value: 22 }, { ts, sensor: 'T-SRV101-2', value: 23 });
  }
  r.push({ ts: T0 + 10 * MIN, type: 'door.opened', door: 'D-101' }, { ts: T0 + 10 * MIN + 5_000, type: 'door.closed', door: 'D-101' });
  r.push({ ts: T0 + 10 * MIN + 90_000, type: 'alarm.acknowledged', alarm: `door-forced:D-101:${T0 + 10 * MIN}`, by: 'op' });
  r.push({ ts: T0 + 40 * MIN, type: 'door.opened', door: 'D-102' }, { ts: T0 + 40 * MIN + 5_000, type: 'door.closed', door: 'D-102' });
  return r.sort((a, b) => a.ts - b.ts);
}

const report = computeMetrics(ix, records(), { from, to, coverage: { grid: 0.5 } });
const metrics: TourMetrics = { from: report.from, to: report.to, stability: report.stability, coverage: report.coverage, alarms: report.alarms, roi: report.roi };
const data = (over: Partial<StopData> = {}): StopData => ({ ix, metrics, trend: null, zoneSeries: null, cameraOnline: () => true, ...over });
const tile = (tiles: { id: string }[], id: string) => tiles.find((t) => t.id === id) as ReturnType<typeof floorTiles>[number];

describe('tour tiles: a floor', () => {
  const tiles = floorTiles(data(), 'L1');

  it('in spec over its critical zones: Σ in-spec time ÷ Σ data time', () => {
    // CR-101 60 of 60 min, CR-102 30 of 60, SRV-101 60 of 60 (readings hold to the period's end).
    const z = report.stability.zones;
    expect(z['CR-101']!.inSpecFraction).toBe(1);
    expect(z['CR-102']!.inSpecFraction).toBeCloseTo(0.5, 9);
    expect(tile(tiles, 'in-spec').value).toBe('83.33 %');
    expect(tile(tiles, 'in-spec').tone).toBe('bad');
  });

  it('excursion minutes summed, with the count and the longest', () => {
    expect(tile(tiles, 'excursions').value).toBe('30 min');
    expect(tile(tiles, 'excursions').sub).toBe('1 counted · longest 30 min');
  });

  it('the alarms at its doors: raised, TTA p50 / p90, unacknowledged, onsets per bucket', () => {
    const a = tile(tiles, 'alarms');
    expect(a.value).toBe('2');
    expect(a.sub).toBe('TTA 90 / 90 s · 1 unacknowledged');
    expect(a.spark!.values.reduce((s: number, v) => s + (v ?? 0), 0)).toBe(2);
    expect(a.tone).toBe('warn');
  });

  it('a row per critical zone, and no alarm at the upper floor', () => {
    const t = tile(tiles, 'zones').table!;
    expect(t.rows.map((r) => r.cells[0]!.text)).toEqual(['100.0 %', '50.0 %', '100.0 %']);
    expect(tile(floorTiles(data(), 'L2'), 'alarms').value).toBe('0');
  });

  it('coverage: area-weighted over its critical zones', () => {
    const crit = ['CR-101', 'CR-102', 'SRV-101'].map((id) => report.coverage.zones[id]!).filter((z) => z.requiredFraction !== null);
    const area = crit.reduce((s, z) => s + z.areaM2, 0);
    const want = crit.reduce((s, z) => s + z.requiredFraction! * z.areaM2, 0) / area;
    expect(tile(tiles, 'coverage').value).toBe(`${(want * 100).toFixed(1)} %`);
  });
});

describe('tour tiles: a zone, the plant, coverage, ROI', () => {
  it('a zone: its live temperature tile, stability and the alarms at its doors', () => {
    const z = zoneTiles(data({ zoneSeries: { zoneId: 'CR-102', from, to, stepMs: 30 * MIN, means: [21.1, 22] } }), 'CR-102');
    expect(z.map((t) => t.id)).toEqual(['temperature', 'in-spec', 'excursions', 'coverage', 'alarms', 'readings']); // CR-102 also has humidity and pressure
    expect(z[5]!.live).toEqual({ kind: 'zone-readings', zoneId: 'CR-102' });
    expect(z[0]!.live).toEqual({ kind: 'zone-temperature', zoneId: 'CR-102' });
    expect(z[0]!.spark).toMatchObject({ values: [21.1, 22], band: [20.5, 21.5] });
    expect(z[0]!.sub).toBe('spec 21.0 ± 0.5 °C');
    expect(tile(z, 'in-spec').value).toBe('50.00 %');
    expect(tile(z, 'alarms').value).toBe('1'); // D-102 joins CR-102 and COR-101; D-103 raised nothing
    // A series of another zone is not drawn.
    expect(zoneTiles(data({ zoneSeries: { zoneId: 'CR-101', from, to, stepMs: MIN, means: [20] } }), 'CR-102')[0]!.spark).toBeNull();
  });

  it('the overview takes the KPI panel figures', () => {
    const o = overviewTiles(data());
    expect(o.map((t) => t.id)).toEqual(['in-spec', 'excursions', 'coverage', 'tta', 'unacknowledged', 'false-alarms']);
    expect(tile(o, 'unacknowledged').value).toBe('1');
  });

  it('the coverage stop counts cameras online now', () => {
    const c = coverageTiles(data({ cameraOnline: (id) => id !== ix.facility.floors[0]!.cameras[0]!.id }), 'L1');
    expect(tile(c, 'cameras').value).toBe(`${ix.facility.floors[0]!.cameras.length - 1} / ${ix.facility.floors[0]!.cameras.length}`);
    expect(tile(c, 'cameras').tone).toBe('bad');
  });

  it('ROI: says so when no inputs are stored; otherwise the four figures', () => {
    expect(roiTiles(data())[0]!.sub).toMatch(/no ROI inputs/);
    const roi = { currency: 'EUR', annualBenefit: 120_000, lines: { temperature: 100_000, response: -5_000, coverage: 25_000 }, roi: 0.5, paybackMonths: 20, npv: 50_000 };
    const r = roiTiles(data({ metrics: { ...metrics, roi } }));
    expect(r.map((t) => [t.id, t.value])).toEqual([['roi', '50 %'], ['payback', '20.0 months'], ['benefit', '€120,000'], ['npv', '€50,000']]);
    expect(tile(r, 'benefit').bars!.map((b) => b.tone)).toEqual(['good', 'bad', 'good']);
  });

  it('no figures yet: no tiles; unknown stop kinds: none', () => {
    expect(stopTiles(data({ metrics: null }), { kind: 'floor', id: 'L1' })).toEqual([]);
    expect(stopTiles(data(), { kind: 'lobby', id: null })).toEqual([]);
  });

  it('prints p50 / p90 pairs in one unit', () => {
    expect(fmtPair(12.3, 45.6)).toBe('12 / 46 s');
    expect(fmtPair(59.9, 148)).toBe('1.0 / 2.5 min');
    expect(fmtPair(3600, 3 * 3600)).toBe('1.0 / 3.0 h');
    expect(fmtPair(null, 30)).toBe('— / 30 s');
    expect(fmtPair(null, null)).toBe('—');
  });

  it('tones and histograms', () => {
    expect([fractionTone(0.995), fractionTone(0.96), fractionTone(0.9), fractionTone(null)]).toEqual(['good', 'warn', 'bad', 'neutral']);
    expect(onsetHistogram([{ onset: new Date(from).toISOString() }, { onset: new Date(to - 1).toISOString() }, { onset: new Date(to).toISOString() }] as never, from, to, 4)).toEqual([1, 0, 0, 1]);
  });
});

describe('sparkline path', () => {
  it('scales into the box, breaks at gaps, and places the band', () => {
    const p = sparkPath([0, 10, null, 5], 300, 60);
    expect(p.d.startsWith('M0.0 ')).toBe(true);
    expect(p.d.match(/M/g)).toHaveLength(2);
    expect(p.d).toContain('L100.0 ');
    const b = sparkPath([20, 20], 100, 50, [19, 21]);
    expect(b.band!.h).toBeGreaterThan(0);
    expect(b.band!.y).toBeGreaterThan(0);
    expect(sparkPath([null, null], 100, 50).d).toBe('');
    expect(sparkPath([null, 3, null], 100, 50).d).toMatch(/^M50\.0 [\d.]+h0\.01$/); // a lone point is a dot
  });
});

describe('the strip: live, stale, down', () => {
  const now = Date.parse('2026-11-24T12:04:00Z');
  const base = (link: Link, over: Partial<FreshnessInput> = {}): FreshnessInput => ({
    link, now, lastDataAt: now - 500, newestReadingAt: now - 2_000, serverNow: now, noDataAfterMs: 15_000, staleReadingMs: 15 * MIN,
    clock: (ms) => new Date(ms).toISOString().slice(11, 16), age: (ms) => `${Math.floor(ms / 1000)} s`, ...over,
  });
  const live: Link = { status: 'live', since: now - 60_000, detail: null };

  it('live: the data age', () => {
    expect(freshness(base(live))).toEqual({ level: 'live', headline: 'LIVE', dataAge: '2 s', since: null });
  });

  it('no writes for longer than the threshold while connected: no live data since the last one', () => {
    const f = freshness(base(live, { lastDataAt: now - 20_000 }));
    expect(f.level).toBe('stale');
    expect(f.headline).toBe('NO LIVE DATA — no readings since 12:03');
  });

  it('readings older than 15 min: stale data', () => {
    const f = freshness(base(live, { newestReadingAt: now - 20 * MIN }));
    expect(f.level).toBe('stale');
    expect(f.headline).toBe('STALE DATA — newest reading 1200 s old');
  });

  it('link lost: reconnecting since when it went; a first connection that takes long: cannot reach', () => {
    expect(freshness(base({ status: 'reconnecting', since: now - 90_000, detail: null }))).toMatchObject({ level: 'down', headline: 'NO LIVE DATA — reconnecting since 12:02' });
    expect(freshness(base({ status: 'connecting', since: now - 1_000, detail: null })).level).toBe('connecting');
    expect(freshness(base({ status: 'connecting', since: now - CONNECT_GRACE_MS - 1, detail: null })).headline).toMatch(/^NO LIVE DATA — cannot reach the server since /);
    expect(freshness(base({ status: 'unauthorized', since: now, detail: 'x' })).level).toBe('down');
  });

  it('back live: counts from the reconnection, not the old silence', () => {
    const back: Link = { status: 'live', since: now - 3_000, detail: null };
    expect(freshness(base(back, { lastDataAt: now - 120_000 })).level).toBe('live');
  });
});
