import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFacility, loadFacilityText, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { findSelfIntersection, pointInPolygon, polygonArea, polygonInsidePolygon, type Vec2 } from '../../src/core/geometry.ts';

const TINY = JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A deep copy of the tiny facility, changed by `edit`. */
function variant(edit: (doc: any) => void): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = structuredClone(TINY);
  edit(doc);
  return doc;
}

function problemsOf(doc: unknown): string[] {
  const r = loadFacility(doc);
  if (r.ok) throw new Error('expected a refusal');
  return r.problems.map((p) => `${p.path}: ${p.reason}`);
}

describe('geometry', () => {
  it('computes areas either winding', () => {
    expect(polygonArea([[0, 0], [4, 0], [4, 3], [0, 3]])).toBe(12);
    expect(polygonArea([[0, 3], [4, 3], [4, 0], [0, 0]])).toBe(12);
    expect(polygonArea([[0, 0], [4, 0], [0, 3]])).toBe(6);
  });

  it('finds self-intersections by edge number', () => {
    expect(findSelfIntersection([[0, 0], [4, 0], [4, 4], [0, 4]])).toBeNull();
    // a bow tie: edge 0 (0,0)-(4,4) crosses edge 2 (4,0)-(0,4)
    expect(findSelfIntersection([[0, 0], [4, 4], [4, 0], [0, 4]])).toEqual([0, 2]);
    // a fold-back along one line (adjacent edges overlapping)
    expect(findSelfIntersection([[0, 0], [4, 0], [2, 0], [2, 3]])).not.toBeNull();
    // a vertex touching another edge
    expect(findSelfIntersection([[0, 0], [4, 0], [4, 4], [2, 0], [0, 4]])).not.toBeNull();
  });

  it('tests points by the even–odd rule', () => {
    const sq: Vec2[] = [[0, 0], [2, 0], [2, 2], [0, 2]];
    expect(pointInPolygon(1, 1, sq)).toBe(true);
    expect(pointInPolygon(3, 1, sq)).toBe(false);
    // a U shape: the notch is outside
    const u: Vec2[] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]];
    expect(pointInPolygon(1.5, 2, u)).toBe(false);
    expect(pointInPolygon(0.5, 2, u)).toBe(true);
  });

  it('tells containment, touching allowed, concave notches not', () => {
    const outer: Vec2[] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]];
    expect(polygonInsidePolygon([[0, 0], [1, 0], [1, 3], [0, 3]], outer)).toBe(true);
    // spans the notch: vertices all on the boundary, but the top edge crosses outside
    expect(polygonInsidePolygon([[0, 0], [3, 0], [3, 3], [0, 3]], outer)).toBe(false);
    expect(polygonInsidePolygon([[0, 2.5], [1.5, 2.5], [1.5, 2.8]], outer)).toBe(false);
  });
});

describe('facility model', () => {
  it('loads the tiny facility with defaults applied', () => {
    const r = loadFacility(TINY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = r.facility;
    expect(f.floors[0]!.outline).toHaveLength(4); // closing point dropped
    const cam = f.floors[0]!.cameras[0]!;
    // vfov = 2·atan(tan(45°)·1080/1920)
    expect(cam.vfov).toBeCloseTo((2 * Math.atan(1080 / 1920) * 180) / Math.PI, 12);
    expect(f.floors[0]!.doors[1]!.width).toBe(1);
    expect(f.floors[0]!.doors[1]!.heldOpenSeconds).toBe(30);
    expect(f.floors[0]!.doors[1]!.reader).toBe(false);
    expect(f.floors[0]!.walls[0]!.thickness).toBe(0.2);
    expect(f.floors[0]!.zones[1]!.critical).toBe(false);
    expect(f.floors[0]!.sensors[2]!.unit).toBe('%RH');
    const ix = indexFacility(f);
    expect(ix.byId.get('AHU-1')?.kind).toBe('hvac');
    expect(ix.sensorsByZone.get('CR-1')?.map((s) => s.id)).toEqual(['T-CR1-1', 'T-CR1-2', 'RH-CR1-1']);
    expect(ix.doorsByZone.get('COR-1')?.map((d) => d.id)).toEqual(['D-1', 'D-2']);
    expect(ix.hvacByZone.get('CR-1')?.map((h) => h.id)).toEqual(['AHU-1']);
    expect(ix.sensorSlot.get('RH-CR1-1')).toBe(2);
  });

  it('defaults timezone to UTC and accepts epoch-free minimal documents', () => {
    const r = loadFacility({ format: 'twinspace.facility/1', id: 'm', name: 'M', floors: [{ id: 'F', name: 'F', elevation: 0, height: 3, outline: [[0, 0], [1, 0], [0, 1]] }] });
    expect(r.ok && r.facility.timezone).toBe('UTC');
  });

  const cases: [string, (d: any) => void, string[]][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a wrong format', (d) => { d.format = 'twinspace.facility/2'; }, ['format: must be "twinspace.facility/1"']],
    ['a wrong type', (d) => { d.floors[0].height = '4'; }, ['floors[0].height: expected number, got string']],
    ['a missing field', (d) => { delete d.floors[0].zones[0].kind; }, ['floors[0].zones[0].kind: required']],
    ['a non-positive height', (d) => { d.floors[0].obstacles[0].height = 0; }, ['floors[0].obstacles[0].height: must be > 0']],
    ['a tilt out of range', (d) => { d.floors[0].cameras[0].tilt = 91; }, ['floors[0].cameras[0].tilt: must be in [0, 90]']],
    ['a bad id', (d) => { d.floors[0].doors[0].id = 'D 1'; }, ['floors[0].doors[0].id: may contain only letters, digits, "-", "_", "." and ":"']],
    ['a duplicate id across kinds', (d) => { d.floors[0].cameras[0].id = 'D-1'; }, ['floors[0].cameras[0].id: duplicate id "D-1" (first at floors[0].doors[0])']],
    ['an unknown door zone', (d) => { d.floors[0].doors[0].zones[1] = 'CR-999'; }, ['floors[0].doors[0].zones[1]: unknown zone "CR-999"']],
    ['"outside" on the wrong side', (d) => { d.floors[0].doors[1].zones = ['outside', 'COR-1']; }, ['floors[0].doors[1].zones[0]: unknown zone "outside"']],
    ['an unknown sensor zone', (d) => { d.floors[0].sensors[0].zone = 'NOPE'; }, ['floors[0].sensors[0].zone: unknown zone "NOPE"']],
    ['an unknown sensor HVAC unit', (d) => { d.floors[0].sensors[0].hvacUnit = 'AHU-9'; }, ['floors[0].sensors[0].hvacUnit: unknown HVAC unit "AHU-9"']],
    ['an unknown HVAC serves', (d) => { d.hvacUnits[0].serves.push('CR-2'); }, ['hvacUnits[0].serves[1]: unknown zone "CR-2"']],
    ['a self-intersecting polygon', (d) => { d.floors[0].zones[1].polygon = [[10, 0], [20, 10], [20, 0], [10, 10]]; }, ['floors[0].zones[1].polygon: polygon intersects itself at edges 0 and 2']],
    ['a zone outside its floor', (d) => { d.floors[0].zones[1].polygon = [[10, 0], [25, 0], [25, 10], [10, 10]]; }, ['floors[0].zones[1].polygon: zone lies outside its floor outline (floor "L1")']],
    ['a two-point polygon', (d) => { d.floors[0].outline = [[0, 0], [20, 0], [0, 0]]; }, ['floors[0].outline: polygon needs at least 3 points, got 2']],
    ['identical wall ends', (d) => { d.floors[0].walls[0].to = [10, 0]; }, ['floors[0].walls[0].to: wall end points must be distinct']],
    ['an unknown time zone', (d) => { d.timezone = 'Mars/Olympus'; }, ['timezone: unknown IANA time zone "Mars/Olympus"']],
    ['a bad business hour', (d) => { d.businessHours.end = '7pm'; }, ['businessHours.end: must be "HH:MM"']],
    ['an unknown zone kind', (d) => { d.floors[0].zones[0].kind = 'lobby'; }, ['floors[0].zones[0].kind: must be one of "cleanroom", "production", "warehouse", "office", "corridor", "server-room", "lab", "utility", "loading-dock", "other"']],
    ['no floors', (d) => { d.floors = []; }, ['floors: must have at least one floor', 'hvacUnits[0].serves[0]: unknown zone "CR-1"']],
    ['a coverage target above 1', (d) => { d.floors[0].zones[0].coverage.target = 1.5; }, ['floors[0].zones[0].coverage.target: must be in (0, 1]']],
  ];

  it.each(cases)('refuses %s with its path and reason', (_name, edit, expected) => {
    expect(problemsOf(variant(edit))).toEqual(expected);
  });

  it('lists every problem at once, structural and cross-document together', () => {
    const problems = problemsOf(variant((d) => {
      d.floors[0].height = -1;
      d.floors[0].cameras[0].id = 'CR-1';
      d.floors[0].sensors[1].zone = 'X';
      d.floors[0].zones[1].polygon = [[10, 0], [20, 10], [20, 0], [10, 10]];
    }));
    expect(problems).toEqual([
      'floors[0].height: must be > 0',
      'floors[0].zones[1].polygon: polygon intersects itself at edges 0 and 2',
      'floors[0].cameras[0].id: duplicate id "CR-1" (first at floors[0].zones[0])',
      'floors[0].sensors[1].zone: unknown zone "X"',
    ]);
  });

  it('refuses text that is not JSON, naming the document', () => {
    const r = loadFacilityText('{"format": "twinspace.facility/1",');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatProblems(r.problems)).toMatch(/^\(document\): not valid JSON: /);
  });

  it('refuses a document that is not an object', () => {
    expect(problemsOf([])).toEqual(['(document): expected object, got array']);
  });
});
