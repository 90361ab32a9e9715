// Camera coverage (metrics.md §2): hand-computed cases, then seeded property
// tests against the brute-force oracle (exact equality of every figure).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import type { Camera, Facility } from '../../src/core/facility/schema.ts';
import { pointInPolygon } from '../../src/core/geometry.ts';
import {
  cameraAvailability, camerasSeeingPoint, CELL_ACTIVE, CELL_OBSTACLE, computeCoverage, computeCoverageBrute, computeCoverageDetail,
  createCoverageEngine, doriLevel, type CoverageOptions, type CoverageReport,
} from '../../src/core/metrics/coverage.ts';
import { CameraFrame } from '../../src/core/metrics/coverage-geometry.ts';
import type { EventRecord } from '../../src/core/records.ts';
import { mulberry32 } from '../../src/core/random.ts';


type Doc = Record<string, unknown>;

function load(doc: unknown): Facility {
  const r = loadFacility(doc);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.facility;
}

/** A one-floor facility document: outline w × d from the origin, height 4, the rest given. */
function plant(w: number, d: number, floor: Doc = {}): Facility {
  return load({
    format: 'twinspace.facility/1', id: 'p', name: 'P',
    floors: [{ id: 'L1', name: 'L1', elevation: 0, height: 4, outline: [[0, 0], [w, 0], [w, d], [0, d]], ...floor }],
  });
}

function cam(id: string, over: Doc): Doc {
  return { id, name: id, position: [1, 1], mountHeight: 3, yaw: 0, tilt: 20, hfov: 90, resolution: [1920, 1080], ...over };
}

const zoneAll = (w: number, d: number, over: Doc = {}) => ({ id: 'Z', name: 'Z', kind: 'other', polygon: [[0, 0], [w, 0], [w, d], [0, d]], ...over });

/** Both implementations, asserted equal, and the (shared) answer. */
function both(f: Facility, opts?: CoverageOptions): CoverageReport {
  const fast = computeCoverage(f, opts);
  expect(fast).toEqual(computeCoverageBrute(f, opts));
  return fast;
}

const sees = (f: Facility, x: number, y: number, id: string, th = 1.5) => camerasSeeingPoint(f, 'L1', x, y, th).find((s) => s.cameraId === id);

describe('camera model', () => {
  it('keeps u well defined looking straight down (tilt 90): u = (cos ψ, sin ψ, ≈0)', () => {
    const f = new CameraFrame({ id: 'c', name: 'c', position: [0, 0], mountHeight: 3, yaw: 30, tilt: 90, hfov: 60, resolution: [100, 100], vfov: 60 });
    expect(f.ux).toBeCloseTo(Math.cos(Math.PI / 6), 15);
    expect(f.uy).toBeCloseTo(Math.sin(Math.PI / 6), 15);
    expect(Math.abs(f.uz)).toBeLessThan(1e-15);
    expect(f.fz).toBe(-1);
    expect(Math.hypot(f.ux, f.uy, f.uz)).toBeCloseTo(1, 15);
  });

  it('a straight-down camera sees a rotated rectangle of 2h·tan(hfov/2) × 2h·tan(vfov/2), within grid error', () => {
    const h = 3.2, grid = 0.1;
    const f = plant(30, 30, { zones: [zoneAll(30, 30)], cameras: [cam('C', { position: [15, 15], mountHeight: 1.5 + h, tilt: 90, yaw: 30, hfov: 70, resolution: [1920, 1080] })] });
    const c = f.floors[0]!.cameras[0]!;
    const a = 2 * h * Math.tan((c.hfov * Math.PI) / 360), b = 2 * h * Math.tan((c.vfov * Math.PI) / 360);
    const area = computeCoverage(f, { grid }).cameras['C']!.areaM2;
    expect(Math.abs(area - a * b)).toBeLessThan((a + b) * grid); // half a cell along the perimeter on average
    // D is the same everywhere under a straight-down camera: 1920 / (2·h·tan(35°)) ≈ 428 px/m
    expect(computeCoverage(f, { grid }).zones['Z']!.fractions.identification).toBeCloseTo(area / 900, 12);
    // The long side runs along r = (sin ψ, −cos ψ), the short one along u = (cos ψ, sin ψ).
    const ψ = Math.PI / 6, r = [Math.sin(ψ), -Math.cos(ψ)] as const, u = [Math.cos(ψ), Math.sin(ψ)] as const;
    const at = (dir: readonly [number, number], k: number) => sees(f, 15 + dir[0] * k, 15 + dir[1] * k, 'C');
    expect(at(r, 0.49 * a)).toBeDefined();
    expect(at(r, 0.51 * a)).toBeUndefined();
    expect(at(u, 0.49 * b)).toBeDefined();
    expect(at(u, 0.51 * b)).toBeUndefined();
    expect(at(u, 0.49 * a)).toBeUndefined(); // a > b: the rectangle is not square
  });
});

describe('DORI levels', () => {
  it('meet each threshold with ≥', () => {
    expect(doriLevel(24.999999)).toBe(0);
    expect(doriLevel(25)).toBe(1);
    expect(doriLevel(62.49999)).toBe(1);
    expect(doriLevel(62.5)).toBe(2);
    expect(doriLevel(124.9999)).toBe(2);
    expect(doriLevel(125)).toBe(3);
    expect(doriLevel(249.9999)).toBe(3);
    expect(doriLevel(250)).toBe(4);
  });

  it('change at the exact distances resolution ÷ (2·level·tan(hfov/2))', () => {
    // Level camera at target height looking along +x: z = x − 1, D = 1000 ÷ (2·z·tan 45°).
    const f = plant(40, 4, { cameras: [cam('C', { position: [1, 2], mountHeight: 1.5, tilt: 0, yaw: 0, hfov: 90, resolution: [1000, 1000] })] });
    const t = Math.tan(Math.PI / 4);
    const D = (z: number) => 1000 / (2 * z * t);
    const next = (z: number) => { const b = new Float64Array([z]); new BigInt64Array(b.buffer)[0]! += 1n; return b[0]!; };
    for (const [level, px] of [['detection', 25], ['observation', 62.5], ['recognition', 125], ['identification', 250]] as const) {
      // the largest depth with D ≥ px, found in floating point, then one ulp beyond
      let z = 1000 / (2 * px * t);
      while (D(z) < px) z -= 1e-15 * z;
      while (D(next(z)) >= px) z = next(z);
      expect(sees(f, 1 + z, 2, 'C')?.level, `${level} at z = ${z}`).toBe(level);
      expect(sees(f, 1 + next(next(z)), 2, 'C')?.level ?? null).not.toBe(level);
    }
    // On the grid (0.25 m, centres at 0.125 + k/4): detection reaches z = 20, observation 8, recognition 4, identification 2.
    const rep = both(plant(40, 4, { zones: [zoneAll(40, 4)], cameras: [cam('C', { position: [1, 2], mountHeight: 1.5, tilt: 0, yaw: 0, hfov: 90, resolution: [1000, 1000] })] }));
    const z = rep.zones['Z']!;
    // Cells with 0 < z ≤ threshold and |y − 2| ≤ z·tan 45° (tan 45° is 1 − 2⁻⁵³ in floating point, so the
    // diagonal centres fall just outside); no centre lies at a threshold depth, they sit at .125 + k/4.
    const cells = (zmax: number) => {
      let n = 0;
      for (let i = 0; i < 160; i++) for (let j = 0; j < 16; j++) {
        const z = 0.125 + i * 0.25 - 1, y = 0.125 + j * 0.25 - 2;
        if (z > 0 && z <= zmax && Math.abs(y) <= z * t) n++;
      }
      return n;
    };
    expect(cells(20)).toBeGreaterThan(cells(8));
    expect(z.fractions.detection! * 2560).toBe(cells(20));
    expect(z.fractions.observation! * 2560).toBe(cells(8));
    expect(z.fractions.recognition! * 2560).toBe(cells(4));
    expect(z.fractions.identification! * 2560).toBe(cells(2));
  });
});

describe('occlusion', () => {
  // Camera at (1, 2), 4 m up, looking along +x; wall across the room at x = 5.
  const withWall = (height: number) => plant(20, 4, {
    zones: [zoneAll(20, 4)],
    walls: [{ from: [5, 0], to: [5, 4], height }],
    cameras: [cam('C', { position: [1, 2], mountHeight: 4, yaw: 0, tilt: 15, hfov: 60, resolution: [1920, 1080] })],
  });

  it('a wall lower than the sight line does not block; a taller one does', () => {
    // Sight line to (9, 2) at 1.5 m crosses x = 5 halfway: 4 − ½·2.5 = 2.75 m.
    expect(sees(withWall(2.7), 9, 2, 'C')).toBeDefined();
    expect(sees(withWall(2.8), 9, 2, 'C')).toBeUndefined();
    // Just behind a 2.5 m wall the line is low: blocked while x − 1 < 4·2.5/1.5 = 6.67.
    expect(sees(withWall(2.5), 7.6, 2, 'C')).toBeUndefined();
    expect(sees(withWall(2.5), 7.7, 2, 'C')).toBeDefined();
    // Exactly the wall's height does not block (strict <): line at 2.75 m over a 2.75 m wall.
    expect(sees(withWall(2.75), 9, 2, 'C')).toBeDefined();
    for (const h of [2.5, 2.75, 4]) both(withWall(h));
  });

  it('a wall blocks at its very end points, and not a hair beyond them', () => {
    const at = (y0: number) => plant(20, 4, { walls: [{ from: [5, y0], to: [5, 4] }], cameras: [cam('C', { position: [1, 2], mountHeight: 4, tilt: 15, hfov: 60 })] });
    expect(sees(at(2), 9, 2, 'C')).toBeUndefined(); // the sight line y = 2 touches the end (5, 2)
    expect(sees(at(2.001), 9, 2, 'C')).toBeDefined();
    const ob = (x0: number) => plant(20, 4, { obstacles: [{ id: 'O', polygon: [[x0, 2], [x0 + 1, 2], [x0 + 1, 3]], height: 3 }], cameras: [cam('C', { position: [1, 2], mountHeight: 2, tilt: 5, hfov: 60 })] });
    expect(sees(ob(5), 9, 2, 'C')).toBeUndefined(); // runs along the obstacle's bottom edge
    expect(sees(ob(5), 9, 1.999, 'C')).toBeDefined();
  });

  it('a full-height wall hides everything behind it', () => {
    const rep = both(withWall(4));
    const zoneBehind = { id: 'B', name: 'B', kind: 'other', polygon: [[5, 0], [20, 0], [20, 4], [5, 4]] };
    const f = plant(20, 4, { zones: [zoneBehind], walls: [{ from: [5, 0], to: [5, 4] }], cameras: [cam('C', { position: [1, 2], mountHeight: 3.9, tilt: 10 })] });
    expect(both(f).zones['B']!.fractions.detection).toBe(0);
    expect(rep.cameras['C']!.areaM2).toBeLessThanOrEqual(4 * 4);
  });

  it('an obstacle blocks sight below its top, and its cells are left out', () => {
    const f = (h: number) => plant(20, 4, {
      zones: [zoneAll(20, 4)],
      obstacles: [{ id: 'O', polygon: [[6, 1], [8, 1], [8, 3], [6, 3]], height: h }],
      cameras: [cam('C', { position: [1, 2], mountHeight: 3, yaw: 0, tilt: 15, hfov: 60 })],
    });
    const low = both(f(1)), high = both(f(3.5));
    expect(low.zones['Z']!.areaM2).toBe(80 - 4);
    expect(high.zones['Z']!.areaM2).toBe(80 - 4);
    expect(sees(f(1), 12, 2, 'C')).toBeDefined(); // sight line stays above 1.5 m > 1 m
    expect(sees(f(3.5), 12, 2, 'C')).toBeUndefined();
    expect(sees(f(3.5), 6.5, 3.8, 'C')).toBeDefined(); // passes beside it: y = 3.64 > 3 at x = 6
    expect(high.zones['Z']!.fractions.detection!).toBeLessThan(low.zones['Z']!.fractions.detection!);
  });

  it('a sight line running along a wall is blocked by it beyond the camera', () => {
    // Wall on the centre column x = 5.125; the camera on it looks along it (+y).
    const f = plant(10, 10, {
      zones: [zoneAll(10, 10)],
      walls: [{ from: [5.125, 0], to: [5.125, 10] }, { from: [2.125, 5], to: [2.125, 6], height: 2 }],
      cameras: [cam('C', { position: [5.125, 1], mountHeight: 3, yaw: 90, tilt: 20, hfov: 100 }), cam('D', { position: [2.125, 1], mountHeight: 3, yaw: 90, tilt: 10, hfov: 100 })],
    });
    expect(sees(f, 5.125, 6, 'C')).toBeUndefined();
    expect(sees(f, 5.375, 6, 'C')).toBeDefined();
    expect(sees(f, 4.875, 6, 'C')).toBeDefined();
    // A low wall lying on D's sight line: blocked while the line is below 2 m over it (up to y = 6).
    // At y = 6 from (2.125, 1): the line is at 3 − 1.5·5/5 = 1.5 < 2 at the wall's far end.
    expect(sees(f, 2.125, 6, 'D')).toBeUndefined();
    // To y = 9.5 the line over the wall runs from 3 − 1.5·4/8.5 = 2.29 to 3 − 1.5·5/8.5 = 2.12: above 2 m.
    expect(sees(f, 2.125, 9.5, 'D')).toBeDefined();
    expect(sees(f, 2.125, 5.5, 'D')).toBeUndefined(); // a target on the wall, below its top
    const rep = both(f);
    // C sees nothing of its own column ahead of it: every cell there is on the wall line.
    const d = computeCoverageDetail(f);
    expect(d.cameras.find((c) => c.id === 'C')!.areaM2).toBe(rep.cameras['C']!.areaM2);
    const g = d.grids[0]!;
    for (let j = 6; j < g.ny; j++) {
      expect(camerasSeeingPoint(f, 'L1', 5.125, 0.125 + j * 0.25).map((s) => s.cameraId)).not.toContain('C');
      expect(d.grids[0]!.requiredCount[j * g.nx + 20]).toBe(camerasSeeingPoint(f, 'L1', 5.125, 0.125 + j * 0.25).filter((s) => s.level).length);
    }
  });

  it('a steep camera sees behind its own position, and walls there still block', () => {
    // Tilt 80° with vfov 90°: the view reaches 35° past the vertical, 2.5·tan 35° = 1.75 m behind.
    for (const yaw of [90, 0, 180, 270, 33]) {
      const ψ = (yaw * Math.PI) / 180, bx = -Math.cos(ψ), by = -Math.sin(ψ); // the plan direction behind
      const f = plant(10, 10, {
        zones: [zoneAll(10, 10)],
        walls: [{ from: [5 + bx - 2 * by, 5 + by + 2 * bx], to: [5 + bx + 2 * by, 5 + by - 2 * bx] }],
        cameras: [cam('C', { position: [5, 5], mountHeight: 4, yaw, tilt: 80, hfov: 90, resolution: [1000, 1000] })],
      });
      expect(sees(f, 5 + 0.8 * bx, 5 + 0.8 * by, 'C'), `yaw ${yaw}`).toBeDefined();
      expect(sees(f, 5 + 1.4 * bx, 5 + 1.4 * by, 'C'), `yaw ${yaw}`).toBeUndefined();
      both(f, { grid: 0.1 });
    }
  });

  it('a camera mounted on a wall is not blocked by it', () => {
    // On a wall along x = 5, looking either way.
    for (const yaw of [0, 180]) {
      const f = plant(10, 4, { walls: [{ from: [5, 0], to: [5, 4] }], cameras: [cam('C', { position: [5, 2], mountHeight: 3, yaw, tilt: 20 })] });
      expect(sees(f, yaw === 0 ? 8 : 2, 2, 'C')).toBeDefined();
      both(f);
    }
    // On a sloping wall whose centre line holds the camera only up to rounding.
    const f = plant(10, 10, {
      zones: [zoneAll(10, 10)],
      walls: [{ from: [1, 1], to: [4, 8] }],
      cameras: [cam('C', { position: [1 + 0.3 * 3, 1 + 0.3 * 7], mountHeight: 3, yaw: -23.2, tilt: 20 })],
    });
    expect(sees(f, 6, 3, 'C')).toBeDefined();
    expect(both(f).cameras['C']!.areaM2).toBeGreaterThan(5);
  });
});

describe('zones, redundancy, reliability', () => {
  // Two straight-down cameras with 6 × 6 m footprints (3 m above the target, hfov = vfov = 90°)
  // overlapping by 2 × 6 m, in a 20 × 10 m zone: 0.25 m cells, 24 × 24 each, 8 × 24 shared.
  const pair = (extra: Doc = {}) => plant(20, 10, {
    zones: [zoneAll(20, 10, { critical: true })],
    cameras: [
      cam('A', { position: [6, 5], mountHeight: 4.5, tilt: 90, resolution: [1000, 1000], ...extra }),
      cam('B', { position: [10, 5], mountHeight: 4.5, tilt: 90, resolution: [1000, 1000] }),
    ],
  });

  it('counts redundancy as cells seen by two cameras', () => {
    const z = both(pair()).zones['Z']!;
    expect(z.areaM2).toBe(200);
    expect(z.fractions.detection).toBe((576 + 576 - 192) / 3200);
    expect(z.redundantFraction).toBe(192 / 3200);
    // D = 1000 / (2·3·tan 45°) ≈ 166.7 px/m: recognition, not identification
    expect(z.fractions.recognition).toBe(z.fractions.detection);
    expect(z.fractions.identification).toBe(0);
    expect(z.reliability).toBe(z.fractions.detection);
  });

  it('weights reliability by availability: 1 − (1 − a₁)(1 − a₂) where both see', () => {
    const a = new Map([['A', 0.5], ['B', 0.8]]);
    const z = both(pair(), { availability: a }).zones['Z']!;
    expect(z.reliability).toBeCloseTo((384 * 0.5 + 384 * 0.8 + 192 * (1 - (1 - 0.5) * (1 - 0.8))) / 3200, 14);
    expect(z.requiredFraction).toBe(960 / 3200); // availability does not change coverage
    const one = both(pair(), { availability: new Map([['A', 0.5]]) }).zones['Z']!;
    expect(one.reliability).toBeCloseTo((384 * 0.5 + 576) / 3200, 14);
  });

  it('lists non-compliant cameras with the area only they cover', () => {
    const d = computeCoverageDetail(pair({ ndaaCompliant: false }));
    expect(d.nonCompliantCameras).toEqual([{ id: 'A', floorId: 'L1', areaM2: 36, exclusiveAreaM2: 24 }]);
    expect(d.cameras.map((c) => c.exclusiveAreaM2)).toEqual([24, 24]);
    const g = d.grids[0]!;
    const cell = (x: number, y: number) => Math.floor((y - g.y0) / g.grid) * g.nx + Math.floor((x - g.x0) / g.grid);
    expect([g.best[cell(8, 5)], g.requiredCount[cell(8, 5)], g.requiredCount[cell(4, 5)], g.best[cell(18, 5)]]).toEqual([3, 2, 1, 0]);
    expect(g.zone[cell(1, 1)]).toBe(0);
    expect(g.zoneIds).toEqual(['Z']);
  });

  it('ranks the cameras seeing a point by pixel density', () => {
    const f = plant(20, 10, { cameras: [cam('far', { position: [1, 5], mountHeight: 3, tilt: 10 }), cam('near', { position: [6, 5], mountHeight: 3, tilt: 10 }), cam('away', { position: [12, 5], tilt: 10 })] });
    const s = camerasSeeingPoint(f, 'L1', 10, 5);
    expect(s.map((c) => c.cameraId)).toEqual(['near', 'far']);
    expect(s[0]!.pixelDensity).toBeGreaterThan(s[1]!.pixelDensity);
    expect(s[0]!.level).toBe('recognition');
  });

  it('reports the tiny facility', () => {
    const doc = JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')) as unknown;
    const f = load(doc);
    const rep = both(f);
    expect(Object.keys(rep)).toEqual(['grid', 'targetHeight', 'zones', 'cameras', 'criticalRequiredFraction']);
    expect([rep.grid, rep.targetHeight]).toEqual([0.25, 1.5]);
    const cr = rep.zones['CR-1']!, cor = rep.zones['COR-1']!;
    expect(cr.areaM2).toBe(96); // 100 m² less the 2 × 2 m filler
    expect(cr.requiredLevel).toBe('observation');
    expect(cr.target).toBe(0.9);
    expect(cr.requiredFraction).toBe(cr.fractions.observation);
    expect(cr.fractions.detection!).toBeGreaterThan(0.9); // the corner camera sees the room over the 1.2 m filler
    expect(cr.meetsTarget).toBe(cr.requiredFraction! >= 0.9);
    expect(cor.fractions).toEqual({ detection: 0, observation: 0, recognition: 0, identification: 0 }); // behind the full-height W-1
    expect([cor.requiredLevel, cor.target, cor.meetsTarget]).toEqual(['detection', 1, false]);
    expect(rep.criticalRequiredFraction).toBe(cr.requiredFraction);
    expect(rep.cameras['CAM-1']!.areaM2).toBe(cr.fractions.detection! * 96);
  });

  it('judges each camera on its own floor only, and reports progress per camera', () => {
    const floor = (id: string, elevation: number, extra: Doc) => ({ id, name: id, elevation, height: 4, outline: [[0, 0], [10, 0], [10, 10], [0, 10]], ...extra });
    const f = load({
      format: 'twinspace.facility/1', id: 'p', name: 'P',
      floors: [
        floor('L1', 0, { zones: [{ id: 'Z1', name: 'Z1', kind: 'other', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }], cameras: [cam('C1', { position: [1, 5], tilt: 30 }), cam('C2', { position: [9, 5], yaw: 180, tilt: 30 })] }),
        floor('L2', 4, { zones: [{ id: 'Z2', name: 'Z2', kind: 'other', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }], walls: [{ from: [0, 5], to: [10, 5] }] }),
      ],
    });
    const progress: [number, number][] = [];
    const rep = computeCoverage(f, { onProgress: (done, total) => progress.push([done, total]) });
    expect(rep).toEqual(computeCoverageBrute(f));
    expect(rep.zones['Z1']!.fractions.detection!).toBeGreaterThan(0.5); // L2's wall does not hide L1
    expect(rep.zones['Z2']!.fractions.detection).toBe(0);
    expect(progress).toEqual([[0, 2], [1, 2], [2, 2]]);
    expect(() => camerasSeeingPoint(f, 'L9', 1, 1)).toThrow(/unknown floor "L9"/);
  });

  it('gives null figures for a zone without cells and no critical fraction without critical zones', () => {
    const f = plant(4, 4, {
      zones: [{ id: 'S', name: 'S', kind: 'other', polygon: [[1.01, 1.01], [1.1, 1.01], [1.1, 1.1]] }],
      cameras: [cam('C', {})],
    });
    const rep = both(f);
    expect(rep.zones['S']).toMatchObject({ areaM2: 0, requiredFraction: null, meetsTarget: false, reliability: null, redundantFraction: null });
    expect(rep.criticalRequiredFraction).toBeNull();
  });

  it('counts a cell whose centre is on a zone edge by the even–odd rule, once', () => {
    // Centres at 0.125 + k/4: the zone edges x = 0.125 and 1.125, y = 0.125 and 0.625 run through centres.
    const a = [[0.125, 0.125], [1.125, 0.125], [1.125, 0.625], [0.125, 0.625]];
    const b = [[1.125, 0.125], [2.125, 0.125], [2.125, 0.625], [1.125, 0.625]];
    const f = plant(4, 4, { zones: [{ id: 'A', name: 'A', kind: 'other', polygon: a }, { id: 'B', name: 'B', kind: 'other', polygon: b }] });
    const rep = both(f);
    let na = 0;
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) if (pointInPolygon(0.125 + i / 4, 0.125 + j / 4, a as [number, number][])) na++;
    expect(na).toBe(4 * 2); // left and bottom edges in, right and top out
    expect(rep.zones['A']!.areaM2).toBe(na / 16);
    expect(rep.zones['B']!.areaM2).toBe(na / 16); // the shared edge counts for B only
    const g = computeCoverageDetail(f).grids[0]!;
    expect(g.zone[0 * g.nx + 4]).toBe(1); // centre (1.125, 0.125): on A's right edge → B
    expect(g.zone[0 * g.nx + 0]).toBe(0);
    expect(g.zone[2 * g.nx + 0]).toBe(-1); // centre y = 0.625: top edge, outside
  });
});

describe('camera availability', () => {
  const ev = (ts: number, type: 'camera.offline' | 'camera.online', camera: string): EventRecord => ({ ts, type, camera });

  it('is the share of the period not between offline and the next online', () => {
    const a = cameraAvailability([
      ev(40, 'camera.offline', 'B'), ev(10, 'camera.offline', 'A'), ev(30, 'camera.online', 'A'),
      ev(50, 'camera.offline', 'A'), ev(55, 'camera.offline', 'A'), ev(60, 'camera.online', 'A'),
      ev(70, 'camera.online', 'A'), ev(-50, 'camera.offline', 'C'), ev(20, 'camera.online', 'C'),
      ev(5, 'camera.offline', 'X'), { ts: 1, type: 'door.opened', door: 'D' },
    ], ['A', 'B', 'C', 'D'], 0, 100);
    expect(a.get('A')).toBe(0.7); // down 10–30 and 50–60
    expect(a.get('B')).toBe(0.4); // down from 40 to the end
    expect(a.get('C')).toBe(0.8); // down before the period until 20
    expect(a.get('D')).toBe(1);
    expect(a.has('X')).toBe(false);
  });

  it('takes equal times in input order and gives 1 for an empty period', () => {
    expect(cameraAvailability([ev(10, 'camera.offline', 'A'), ev(10, 'camera.online', 'A')], ['A'], 0, 100).get('A')).toBe(1);
    expect(cameraAvailability([ev(10, 'camera.online', 'A'), ev(10, 'camera.offline', 'A')], ['A'], 0, 100).get('A')).toBe(0.1);
    expect(cameraAvailability([ev(10, 'camera.offline', 'A')], ['A'], 50, 50).get('A')).toBe(1);
  });

  it('refuses availabilities outside [0, 1]', () => {
    expect(() => computeCoverage(plant(4, 4), { availability: new Map([['C', 1.5]]) })).toThrow(/availability of camera "C" must be in \[0, 1\]/);
    expect(() => computeCoverage(plant(4, 4), { grid: 0 })).toThrow(/grid must be a number > 0/);
  });
});

// ---------------------------------------------------------------------------
// Seeded random facilities, rich in the degenerate cases exact code must get
// right: coordinates on cell centres, walls through cameras and along sight
// lines, cameras at target height, straight down, on cell centres, …

interface RandomPlant { doc: Doc; grid: number; targetHeight: number; availability: Map<string, number> }

function randomPlant(seed: number, offset: [number, number] = [0, 0], dyadic = false): RandomPlant {
  const rnd = mulberry32(seed);
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const grid = dyadic ? pick([0.25, 0.5]) : pick([0.25, 0.5, 0.3, 0.25]);
  const q = dyadic ? pick([0.125, 0.25]) : pick([0.125, 0.25, 0]);
  const snap = (v: number) => (q ? Math.round(v / q) * q : v);
  const targetHeight = pick([1.5, 1.5, 1, 2]);
  const [ox, oy] = offset;
  const P = (x: number, y: number): [number, number] => [x + ox, y + oy];
  const nFloors = rnd() < 0.2 ? 2 : 1;
  const availability = new Map<string, number>();
  const floors = Array.from({ length: nFloors }, (_, fi) => {
    const W = snap(between(8, 18)), D = snap(between(6, 14));
    const L = rnd() < 0.3;
    const outline = L ? [P(0, 0), P(W, 0), P(W, D / 2), P(W / 2, D / 2), P(W / 2, D), P(0, D)] : [P(0, 0), P(W, 0), P(W, D), P(0, D)];
    const inRect = () => { // a rectangle inside the lower half (inside either outline)
      const x0 = snap(between(0, W * 0.6)), y0 = snap(between(0, D * 0.3));
      const x1 = Math.min(W, snap(x0 + between(1, W * 0.5))), y1 = Math.min(D / 2, snap(y0 + between(1, D * 0.3)));
      return x1 > x0 && y1 > y0 ? [P(x0, y0), P(x1, y0), P(x1, y1), P(x0, y1)] : [P(0, 0), P(1, 0), P(1, 1), P(0, 1)];
    };
    const zones = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => ({
      id: `Z${fi}-${k}`, name: 'z', kind: 'other', polygon: k === 0 ? outline : inRect(), critical: rnd() < 0.5,
      ...(rnd() < 0.6 ? { coverage: { required: pick(['detection', 'observation', 'recognition', 'identification']), target: pick([0.5, 1]) } } : {}),
    }));
    const walls = Array.from({ length: 4 + Math.floor(rnd() * 16) }, () => {
      const a = [snap(between(0, W)), snap(between(0, D))] as const;
      const axis = rnd() < 0.6;
      const len = snap(between(1, 8)) || 1;
      const ang = axis ? pick([0, 90, 180, 270]) : between(0, 360);
      let b = [snap(a[0] + len * Math.cos((ang * Math.PI) / 180)), snap(a[1] + len * Math.sin((ang * Math.PI) / 180))] as const;
      if (b[0] === a[0] && b[1] === a[1]) b = [a[0] + 1, a[1]];
      const h = pick([1, 1.5, 2, 2.5, 3, 10, undefined]);
      return { from: P(a[0], a[1]), to: P(b[0], b[1]), ...(h === undefined ? {} : { height: h }) };
    });
    const obstacles = Array.from({ length: Math.floor(rnd() * 3) }, (_, k) => ({ id: `O${fi}-${k}`, polygon: inRect(), height: pick([1, 1.5, 2, 5]) }));
    const cameras = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, k) => {
      const id = `C${fi}-${k}`;
      let pos: [number, number];
      let yaw = pick([0, 90, 180, 270, 45, Math.round(between(0, 360))]);
      const where = rnd();
      if (where < 0.3 && walls.length > 0) { // on a wall (end point, middle or anywhere), maybe looking along it
        const w = pick(walls), t = pick([0, 0.5, 1, rnd()]);
        pos = [w.from[0] + t * (w.to[0] - w.from[0]), w.from[1] + t * (w.to[1] - w.from[1])];
        if (rnd() < 0.5) yaw = (Math.atan2(w.to[1] - w.from[1], w.to[0] - w.from[0]) * 180) / Math.PI + pick([0, 180]);
      } else if (where < 0.5) { // over a cell centre
        pos = P(grid * (Math.floor(rnd() * (W / grid)) + 0.5), grid * (Math.floor(rnd() * (D / grid)) + 0.5));
      } else pos = P(snap(between(0, W)), snap(between(0, D)));
      if (rnd() < 0.4) availability.set(id, pick([0, 0.25, 0.5, rnd()]));
      return {
        id, name: id, position: pos,
        mountHeight: pick([targetHeight, 2.5, 3, 3.5, 4.5]),
        yaw,
        tilt: pick([0, 90, 30, Math.round(between(0, 90)), between(70, 90)]),
        hfov: pick([90, 60, Math.round(between(20, 150))]),
        resolution: pick([[640, 480], [1280, 720], [1920, 1080], [3840, 2160]]),
        ...(rnd() < 0.3 ? { ndaaCompliant: false } : {}),
      };
    });
    return { id: `F${fi}`, name: 'f', elevation: fi * 5, height: 4, outline, zones, walls, obstacles, cameras };
  });
  return { doc: { format: 'twinspace.facility/1', id: 'r', name: 'r', floors }, grid, targetHeight, availability };
}

const SEEDS = Array.from({ length: 40 }, (_, k) => 1000 + k);

describe('property: the fast engine equals the brute force', () => {
  it.each(SEEDS)('seed %i: every figure identical', (seed) => {
    const { doc, grid, targetHeight, availability } = randomPlant(seed);
    const f = load(doc);
    const opts = { grid, targetHeight, availability };
    expect(computeCoverage(f, opts)).toEqual(computeCoverageBrute(f, opts));
  });
  it.each(SEEDS.slice(0, 15))('seed %i: every camera sees exactly the cells it sees in the brute force', (seed) => {
    const { doc, grid, targetHeight } = randomPlant(seed);
    const f = load(doc);
    const engine = createCoverageEngine(f, { grid, targetHeight });
    const grids = engine.grids();
    f.floors.forEach((floor, fi) => {
      const g = grids[fi]!;
      const expected = new Map(floor.cameras.map((c) => [c.id, [] as number[]]));
      for (let c = 0; c < g.flags.length; c++) {
        if (!(g.flags[c]! & CELL_ACTIVE)) continue;
        const x = g.x0 + ((c % g.nx) + 0.5) * grid, y = g.y0 + (Math.floor(c / g.nx) + 0.5) * grid;
        for (const s of camerasSeeingPoint(f, floor.id, x, y, targetHeight)) if (s.level) expected.get(s.cameraId)!.push(c, LEVELS.indexOf(s.level) + 1);
      }
      for (const camera of floor.cameras) {
        const con = engine.contributionOf(camera.id)!;
        const got: number[] = [];
        con.cells.forEach((c, q) => got.push(c, con.levels[q]!));
        expect(got, camera.id).toEqual(expected.get(camera.id));
      }
    });
  });
});

const LEVELS = ['detection', 'observation', 'recognition', 'identification'];

describe('properties', () => {
  it.each(SEEDS.slice(0, 12))('seed %i: adding a camera never lowers a figure', (seed) => {
    const { doc, grid, targetHeight, availability } = randomPlant(seed);
    const before = computeCoverage(load(doc), { grid, targetHeight, availability });
    const rnd = mulberry32(seed * 7);
    const floors = doc['floors'] as Doc[];
    const fl = floors[0]!;
    const outline = fl['outline'] as [number, number][];
    const x = outline[0]![0] + 1 + rnd() * 4, y = outline[0]![1] + 1 + rnd() * 3;
    (fl['cameras'] as Doc[]).push(cam('NEW', { position: [x, y], yaw: rnd() * 360, tilt: rnd() * 90, mountHeight: 3 }));
    availability.set('NEW', rnd());
    const after = computeCoverage(load(doc), { grid, targetHeight, availability });
    for (const [id, z] of Object.entries(before.zones)) {
      const a = after.zones[id]!;
      if (z.areaM2 === 0) continue; // figures are null without cells
      for (const k of ['detection', 'observation', 'recognition', 'identification'] as const) expect(a.fractions[k]!).toBeGreaterThanOrEqual(z.fractions[k]!);
      expect(a.redundantFraction!).toBeGreaterThanOrEqual(z.redundantFraction!);
      expect(a.reliability!).toBeGreaterThanOrEqual(z.reliability!);
    }
  });

  it.each(SEEDS.slice(0, 12))('seed %i: moving the plant by whole cells changes nothing', (seed) => {
    const base = randomPlant(seed, [0, 0], true);
    const k = 1 + (seed % 5);
    const moved = randomPlant(seed, [k * 8 * base.grid, -k * 13 * base.grid], true);
    const opts = { grid: base.grid, targetHeight: base.targetHeight, availability: base.availability };
    expect(computeCoverage(load(moved.doc), opts)).toEqual(computeCoverage(load(base.doc), opts));
  });

  it.each(SEEDS.slice(0, 12))('seed %i: a full-height wall between a camera and a zone hides the zone from it', (seed) => {
    const rnd = mulberry32(seed);
    const f = plant(20, 10, {
      zones: [{ id: 'Far', name: 'Far', kind: 'other', polygon: [[10, 0], [20, 0], [20, 10], [10, 10]] }],
      walls: [{ from: [10, 0], to: [10, 10] }],
      cameras: [cam('C', { position: [1 + rnd() * 8.9, rnd() * 10], mountHeight: 0.5 + rnd() * 3.4, yaw: rnd() * 360, tilt: rnd() * 90, hfov: 20 + rnd() * 150, resolution: [3840, 2160] })],
    });
    const z = both(f, { targetHeight: rnd() * 3.9 }).zones['Far']!;
    expect(z.fractions).toEqual({ detection: 0, observation: 0, recognition: 0, identification: 0 });
  });

  it.each(SEEDS.slice(0, 10))('seed %i: updateCamera, addCamera and removeCamera equal a full recompute', (seed) => {
    const { doc, grid, targetHeight, availability } = randomPlant(seed);
    const f = load(doc);
    const opts = { grid, targetHeight, availability };
    const engine = createCoverageEngine(f, opts);
    const rnd = mulberry32(seed + 99);
    const floor = f.floors[0]!;
    for (let step = 0; step < 4; step++) {
      const current = engine.currentFacility.floors[0]!.cameras;
      const c = current[Math.floor(rnd() * current.length)]!;
      const moved: Camera = { ...c, position: [c.position[0] + rnd() * 2 - 1, c.position[1] + rnd() * 2 - 1], yaw: c.yaw + rnd() * 90, tilt: Math.min(90, c.tilt + rnd() * 10) };
      engine.updateCamera(moved);
      const expected = computeCoverageBrute(engine.currentFacility, opts);
      expect(engine.report()).toEqual(expected);
      expect(engine.currentFacility.floors[0]!.cameras.find((x) => x.id === c.id)).toBe(moved);
    }
    const added: Camera = { ...floor.cameras[0]!, id: 'ADDED', yaw: 123 };
    engine.addCamera(floor.id, added);
    expect(engine.report()).toEqual(computeCoverage(engine.currentFacility, opts));
    engine.removeCamera(floor.cameras[0]!.id);
    expect(engine.report()).toEqual(computeCoverageBrute(engine.currentFacility, opts));
    engine.setAvailability(new Map());
    expect(engine.report()).toEqual(computeCoverage(engine.currentFacility, { grid, targetHeight }));
  });

  it('keeps obstacle cells out of every grid layer', () => {
    const { doc, grid } = randomPlant(1003);
    const d = computeCoverageDetail(load(doc), { grid });
    for (const g of d.grids) {
      for (let c = 0; c < g.flags.length; c++) {
        if (g.flags[c]! & CELL_OBSTACLE) expect([g.best[c], g.flags[c]! & CELL_ACTIVE]).toEqual([0, 0]);
      }
    }
  });
});
