// View state in the URL, floor layout, label decluttering and the live buffer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeView, encodeView, formatPose, parsePose, roundPose, type Pose, type UrlView } from '../../src/app/url.ts';
import { DEFAULT_LAYERS } from '../../src/state/store.ts';
import { floorDisplay, floorLift } from '../../src/state/layout.ts';
import { declutter } from '../../src/state/declutter.ts';
import { applyFrame, createLiveBuffer, DOOR_FORCED, setCameraOnline, setDoorState } from '../../src/state/live.ts';
import { loadFacilityText } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { placeDoors, samplePolygon, sensorPositions, wallOpenings, interiorPoint } from '../../src/state/placement.ts';
import { pointInPolygon } from '../../src/core/geometry.ts';

const known = { floors: ['L1', 'L2'], has: (id: string) => ['CR-101', 'D-1'].includes(id) };

describe('URL view', () => {
  const view: UrlView = {
    viewMode: '3d', floorMode: 'exploded', activeFloor: 'L2', layers: { ...DEFAULT_LAYERS, hvac: true, sensors: false }, selected: 'CR-101',
    pose: { kind: 'persp', position: [10.123, -20.456, 30.789], target: [1.001, 2.005, 0] },
  };

  it('round-trips, rounding the pose to centimetres', () => {
    const q = encodeView(view);
    expect(q).toBe('?view=3d&floors=exploded&floor=L2&layers=zones,temperature,volumes,walls,hvac,doors,cameras,labels&sel=CR-101&cam=p:10.12,-20.46,30.79,1,2.01,0');
    expect(decodeView(q, known)).toEqual({ ...view, pose: roundPose(view.pose!) });
  });

  it('keeps parameters it does not own, drops the token', () => {
    expect(encodeView(view, '?mode=tour&token=secret&sel=X')).toMatch(/^\?mode=tour&view=3d/);
    expect(encodeView(view, '?token=secret')).not.toContain('secret');
  });

  it('drops unknown floors, ids and malformed or mismatched poses', () => {
    expect(decodeView('?floor=L9&sel=NOPE&cam=p:1,2', known)).toEqual({});
    expect(decodeView('?view=plan&cam=p:1,2,3,4,5,6', known)).toEqual({ viewMode: 'plan' });
    expect(decodeView('?view=plan&cam=o:1,2,3.5', known)).toEqual({ viewMode: 'plan', pose: { kind: 'ortho', target: [1, 2], zoom: 3.5 } });
    expect(decodeView('?layers=-', known).layers).toEqual(Object.fromEntries(Object.keys(DEFAULT_LAYERS).map((k) => [k, false])));
  });

  it('parses what it formats', () => {
    const poses: Pose[] = [{ kind: 'ortho', target: [-1.5, 2], zoom: 12.3456 }, { kind: 'persp', position: [0, -0.004, 5], target: [1, 1, 1] }];
    for (const p of poses) {
      expect(parsePose(formatPose(p))).toEqual(roundPose(p));
    }
    expect(parsePose('p:1,1,1,1,1,1')).toBeNull(); // looking at itself
    expect(parsePose('o:1,2,0')).toBeNull();
  });
});

describe('floor layout', () => {
  it.each([
    ['single', '3d', [ 'hidden', 'full', 'hidden']],
    ['stack', '3d', ['full', 'full', 'ghost']],
    ['exploded', '3d', ['full', 'full', 'full']],
    ['exploded', 'plan', ['hidden', 'full', 'hidden']],
  ] as const)('%s in %s with the middle floor active', (mode, view, want) => {
    expect([0, 1, 2].map((i) => floorDisplay(i, 1, mode, view))).toEqual(want);
  });

  it('lifts floors apart only when exploded', () => {
    const floors = [{ elevation: 0 }, { elevation: 5 }] as never[];
    expect(floorLift(floors, 1, 'stack', 20)).toBe(5);
    expect(floorLift(floors, 1, 'exploded', 20)).toBe(25);
  });
});

describe('declutter', () => {
  it('places labels greedily in the given order and culls overlaps', () => {
    const x = [100, 110, 300, 100], y = [100, 105, 100, 100], w = [80, 80, 80, 20], h = [20, 20, 20, 20];
    const shown = new Uint8Array(4);
    const placed = declutter([1, 0, 2, 3], x, y, w, h, [1, 1, 1, 0], shown, new Float32Array(16), 0);
    expect(placed).toBe(2);
    expect([...shown]).toEqual([0, 1, 1, 0]); // 1 first wins over 0; 3 is not a candidate
  });

  it('never leaves two shown labels overlapping (seeded random)', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 300;
    const x = Float32Array.from({ length: n }, () => rnd() * 1600), y = Float32Array.from({ length: n }, () => rnd() * 900);
    const w = Float32Array.from({ length: n }, () => 40 + rnd() * 120), h = new Float32Array(n).fill(18);
    const shown = new Uint8Array(n);
    declutter(Int32Array.from({ length: n }, (_, i) => i), x, y, w, h, new Uint8Array(n).fill(1), shown, new Float32Array(n * 4), 2);
    const on = [...shown.keys()].filter((i) => shown[i]);
    expect(on.length).toBeGreaterThan(20);
    for (const a of on) for (const b of on) {
      if (a >= b) continue;
      const overlapX = Math.abs(x[a]! - x[b]!) < (w[a]! + w[b]!) / 2 + 4;
      const overlapY = Math.abs(y[a]! - y[b]!) < (h[a]! + h[b]!) / 2 + 4;
      expect(overlapX && overlapY, `${a} overlaps ${b}`).toBe(false);
    }
  });
});

const fixture = (() => {
  const f = loadFacilityText(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8'));
  if (!f.ok) throw new Error('fixture invalid');
  return f.facility;
})();

describe('live buffer', () => {
  it('is preallocated per slot and versioned on writes', () => {
    const ix = indexFacility(fixture);
    const buf = createLiveBuffer(ix);
    expect(buf.values).toHaveLength(ix.sensorIds.length);
    expect(Number.isNaN(buf.values[0]!)).toBe(true);
    expect(buf.doors).toHaveLength(18);
    expect(buf.cameraOnline.every((v) => v === 1)).toBe(true);
    const slot = ix.sensorSlot.get('T-CR101-2')!;
    applyFrame(buf, [slot, 999], [20.5, 1], [1000, 1000]);
    expect(buf.values[slot]).toBe(20.5);
    expect(buf.timestamps[slot]).toBe(1000);
    setDoorState(buf, 'D-101', DOOR_FORCED);
    setCameraOnline(buf, 'CAM-101', false);
    expect(buf.doors[buf.doorSlot.get('D-101')!]).toBe(DOOR_FORCED);
    expect(buf.cameraOnline[buf.cameraSlot.get('CAM-101')!]).toBe(0);
    expect(buf.version).toBe(3);
  });
});

describe('placement', () => {
  const l1 = fixture.floors[0]!;

  it('sets doors in their walls, oriented along them', () => {
    const doors = placeDoors(l1);
    expect(doors.get('D-101')).toMatchObject({ yaw: 0, wall: l1.walls.findIndex((w) => w.id === 'W-L1-3') });
    expect(Math.abs(doors.get('D-103')!.yaw)).toBe(90);
    const openings = wallOpenings(l1, doors);
    // W-L1-3 runs (0,12)→(28,12): doors D-101 at x=8 and D-102 at x=22, 1 m wide.
    expect(openings.get(l1.walls.findIndex((w) => w.id === 'W-L1-3'))).toEqual([[7.5, 8.5], [21.5, 22.5]]);
  });

  it('places unplaced sensors inside their zone', () => {
    const pos = sensorPositions(l1);
    const p = pos.get('RH-CR102-1')!;
    expect(pointInPolygon(p[0], p[1], l1.zones.find((z) => z.id === 'CR-102')!.polygon)).toBe(true);
    expect(pos.get('T-CR101-1')).toEqual([4, 4, 1.5]);
  });

  it('samples inside polygons, concave ones included', () => {
    const L: Array<[number, number]> = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10]];
    const pts = samplePolygon(L, 64);
    expect(pts.length).toBeGreaterThan(20);
    for (const p of pts) expect(pointInPolygon(p[0], p[1], L)).toBe(true);
    const c = interiorPoint(L);
    expect(pointInPolygon(c[0], c[1], L)).toBe(true);
  });
});
