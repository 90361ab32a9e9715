// Tour configuration (src/app/tour/tourFile.ts, plan.ts): the
// `twinspace.tour/1` file, the display's URL, the default tour generated
// from the facility, stops checked against it, and the order per loop.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import {
  DEFAULT_ALARM_TIMEOUT_S, DEFAULT_DWELL_S, DEFAULT_NO_DATA_AFTER_S, DEFAULT_REFRESH_S, isTourLocation, loadTourFile, loadTourFileText, mergeSpecs,
  parseOrder, parseStopItem, parseTourParams,
} from '../../src/app/tour/tourFile.ts';
import { defaultCoverageFloor, defaultStops, loopOrder, resolvePlan } from '../../src/app/tour/plan.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('small-plant fixture is invalid');
const facility: Facility = loaded.facility;
const ix = indexFacility(facility);

describe('tour file twinspace.tour/1', () => {
  it('accepts a full file and a bare one', () => {
    const r = loadTourFile({
      format: 'twinspace.tour/1', name: 'Lobby', dwellS: 15, order: 'shuffle', alarmTimeoutS: 60,
      stops: [{ kind: 'overview' }, { kind: 'zone', id: 'CR-101', dwellS: 30, title: 'Fill line' }, { kind: 'roi' }],
    });
    expect(r).toEqual({
      ok: true,
      spec: { dwellS: 15, order: 'shuffle', alarmTimeoutS: 60, stops: [{ kind: 'overview' }, { kind: 'zone', id: 'CR-101', dwellS: 30, title: 'Fill line' }, { kind: 'roi' }] },
    });
    expect(loadTourFile({ format: 'twinspace.tour/1' })).toEqual({ ok: true, spec: {} });
    expect(loadTourFile({ format: 'twinspace.tour/1', order: ['zone', 'roi'] })).toEqual({ ok: true, spec: { order: ['zone', 'roi'] } });
  });

  it('lists every problem with its path', () => {
    const r = loadTourFile({
      format: 'twinspace.tour/2', dwellS: 0, order: 'random',
      stops: [{ kind: 'lobby' }, { kind: 'zone', id: 'bad id' }, { kind: 'floor', dwellS: 99999 }, { kind: 'roi', extra: 1 }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.find((p) => p.path === 'format')?.reason).toBe('must be "twinspace.tour/1"');
    expect(r.problems.find((p) => p.path === 'stops[0].kind')?.reason).toContain('overview, floor, zone, coverage, roi');
    expect(r.problems.find((p) => p.path === 'stops[2].dwellS')?.reason).toBe('must be 1–3600 s');
    expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['format', 'dwellS', 'order', 'stops[0].kind', 'stops[1].id', 'stops[2].dwellS', 'stops[3]']));
  });

  it('refuses text that is not JSON, with the reason', () => {
    const r = loadTourFileText('{ "format": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('(document)');
  });
});

describe('the display URL', () => {
  it('takes dwell, stops with ids and dwells, order, the tour file, timeouts', () => {
    const p = parseTourParams('?mode=tour&dwell=2&stops=overview,zone:CR-101@5,floor:L2,roi&order=listed&tour=/tours/a.json&alarmTimeout=30&refresh=60&noDataAfter=5');
    expect(p.problems).toEqual([]);
    expect(p.spec).toEqual({ dwellS: 2, alarmTimeoutS: 30, order: 'listed', stops: [{ kind: 'overview' }, { kind: 'zone', id: 'CR-101', dwellS: 5 }, { kind: 'floor', id: 'L2' }, { kind: 'roi' }] });
    expect(p.tourUrl).toBe('/tours/a.json');
    expect(p.refreshS).toBe(60);
    expect(p.noDataAfterS).toBe(5);
  });

  it('uses the defaults and says what it refused', () => {
    const p = parseTourParams('?mode=tour&dwell=abc&stops=overview,lobby,zone:@3&order=sideways&refresh=1');
    expect(p.spec).toEqual({ stops: [{ kind: 'overview' }] });
    expect(p.refreshS).toBe(DEFAULT_REFRESH_S);
    expect(p.noDataAfterS).toBe(DEFAULT_NO_DATA_AFTER_S);
    expect(p.problems).toHaveLength(5);
    expect(p.problems[0]).toMatch(/^dwell: /);
    expect(p.problems.some((x) => x.startsWith('stops: unknown kind "lobby"'))).toBe(true);
    expect(p.problems.some((x) => x.startsWith('order: '))).toBe(true);
  });

  it('takes the alarm kinds that preempt the tour, or none', () => {
    expect(parseTourParams('?alarmKinds=door-forced,denied-burst').spec).toEqual({ alarmKinds: ['door-forced', 'denied-burst'] });
    expect(parseTourParams('?alarmKinds=none').spec).toEqual({ alarmKinds: [] });
    const bad = parseTourParams('?alarmKinds=door-forced,fire');
    expect(bad.spec).toEqual({});
    expect(bad.problems[0]).toMatch(/^alarmKinds: unknown kind "fire"/);
    expect(resolvePlan(ix, {}).alarmKinds).toBeNull();
    expect(resolvePlan(ix, { alarmKinds: [] }).alarmKinds).toEqual([]);
    expect(loadTourFile({ format: 'twinspace.tour/1', alarmKinds: ['door-held'] })).toEqual({ ok: true, spec: { alarmKinds: ['door-held'] } });
    expect(loadTourFile({ format: 'twinspace.tour/1', alarmKinds: ['fire'] }).ok).toBe(false);
  });

  it('parses stop items and orders', () => {
    expect(parseStopItem('coverage:L1@12.5')).toEqual({ kind: 'coverage', id: 'L1', dwellS: 12.5 });
    expect(parseStopItem('zone:CR-101@0')).toMatch(/dwell/);
    expect(parseOrder('zone, roi')).toEqual({ order: ['zone', 'roi'] });
    expect(parseOrder('shuffle')).toEqual({ order: 'shuffle' });
    expect(parseOrder('listed')).toEqual({ order: 'listed' });
    expect(parseOrder('zone,lobby')).toHaveProperty('error');
  });

  it('the URL wins over the file', () => {
    expect(mergeSpecs({ dwellS: 30, order: 'shuffle', stops: [{ kind: 'roi' }] }, { dwellS: 5 })).toEqual({ dwellS: 5, order: 'shuffle', stops: [{ kind: 'roi' }] });
    expect(mergeSpecs(null, {})).toEqual({});
  });

  it('knows the tour locations', () => {
    expect(isTourLocation({ pathname: '/', search: '?mode=tour' })).toBe(true);
    expect(isTourLocation({ pathname: '/tour', search: '' })).toBe(true);
    expect(isTourLocation({ pathname: '/tour/', search: '?dwell=5' })).toBe(true);
    expect(isTourLocation({ pathname: '/', search: '?view=3d' })).toBe(false);
    expect(isTourLocation({ pathname: '/tours', search: '' })).toBe(false);
  });
});

describe('the tour plan', () => {
  it('generates the default tour from the facility: overview, floors, critical zones, coverage, ROI', () => {
    expect(defaultStops(ix)).toEqual([
      { kind: 'overview' }, { kind: 'floor', id: 'L1' }, { kind: 'floor', id: 'L2' },
      { kind: 'zone', id: 'CR-101' }, { kind: 'zone', id: 'CR-102' }, { kind: 'zone', id: 'SRV-101' }, { kind: 'zone', id: 'LAB-201' }, { kind: 'zone', id: 'CR-201' },
      { kind: 'coverage', id: defaultCoverageFloor(ix)!.id }, { kind: 'roi' },
    ]);
    const plan = resolvePlan(ix, {});
    expect(plan.stops).toHaveLength(10);
    expect(plan.warnings).toEqual([]);
    expect(plan.alarmTimeoutMs).toBe(DEFAULT_ALARM_TIMEOUT_S * 1000);
    expect(plan.stops.every((s) => s.dwellMs === DEFAULT_DWELL_S * 1000)).toBe(true);
    const zone = plan.stops.find((s) => s.key === 'zone:CR-101')!;
    expect(zone).toMatchObject({ kind: 'zone', id: 'CR-101', floorId: 'L1', title: ix.zones.get('CR-101')!.zone.name });
    expect(zone.kicker).toMatch(/^Critical zone CR-101 · /);
    expect(plan.stops[0]!.title).toBe(facility.name);
  });

  it('the coverage stop defaults to the floor with the most critical area', () => {
    const areas = facility.floors.map((f) => f.zones.filter((z) => z.critical).length);
    expect(areas.length).toBe(2);
    expect(['L1', 'L2']).toContain(defaultCoverageFloor(ix)!.id);
  });

  it('drops stops it cannot show, with a warning each, and falls back to the default tour when none is left', () => {
    const plan = resolvePlan(ix, { dwellS: 4, stops: [{ kind: 'zone', id: 'NOPE' }, { kind: 'zone' }, { kind: 'floor', id: 'L2', dwellS: 9 }, { kind: 'coverage', id: 'L9' }] });
    expect(plan.stops.map((s) => [s.key, s.dwellMs])).toEqual([['floor:L2', 9000]]);
    expect(plan.warnings).toEqual(['zone stop: unknown zone "NOPE"', 'zone stop: needs the zone id (zone:<id>)', 'coverage stop: unknown floor "L9"']);
    const none = resolvePlan(ix, { stops: [{ kind: 'zone', id: 'NOPE' }] });
    expect(none.stops).toHaveLength(10);
    expect(none.warnings.at(-1)).toMatch(/default tour/);
  });

  it('orders a loop as listed, by kind, or shuffled per loop', () => {
    const plan = resolvePlan(ix, {});
    expect(loopOrder(plan, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const byKind = resolvePlan(ix, { order: ['roi', 'zone'] });
    expect(byKind.stops.map((s) => s.kind)).toEqual(['zone', 'zone', 'zone', 'zone', 'zone', 'roi']);
    expect(loopOrder(byKind, 0).map((i) => byKind.stops[i]!.kind)).toEqual(['roi', 'zone', 'zone', 'zone', 'zone', 'zone']);
    const shuffled = resolvePlan(ix, { order: 'shuffle' });
    const a = loopOrder(shuffled, 0), b = loopOrder(shuffled, 1), again = loopOrder(shuffled, 1);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(b).toEqual(again); // deterministic
    expect(a).not.toEqual(b);
    for (let l = 1; l < 50; l++) expect(loopOrder(shuffled, l)[0]).not.toBe(loopOrder(shuffled, l - 1).at(-1)); // never the same stop twice in a row
  });

  it('an order naming no kind of the stops is ignored with a warning', () => {
    const plan = resolvePlan(ix, { stops: [{ kind: 'overview' }, { kind: 'roi' }], order: ['zone'] });
    expect(plan.stops.map((s) => s.kind)).toEqual(['overview', 'roi']);
    expect(plan.order).toBe('listed');
    expect(plan.warnings[0]).toMatch(/^order: /);
  });
});
