// The browser's coverage pieces: each zone's cameras and shares (checked
// point by point against camerasSeeingPoint), what-if edits (an updated
// engine answers as a fresh one on the edited facility), the layer's texels
// and blind-spot outline, and the inspector's camera edits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Camera, Facility, Zone } from '../../src/core/facility/schema.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { CELL_FLOOR, CELL_OBSTACLE, camerasSeeingPoint, createCoverageEngine, type CoverageGrid } from '../../src/core/metrics/coverage.ts';
import { buildFloorState } from '../../src/core/metrics/coverage-engine.ts';
import { coverageResult, transferables, zoneCellIndex, zoneShares } from '../../src/state/coverage-worker.ts';
import { cameraChanged, whatIfFacility } from '../../src/state/coverage.ts';
import { blindSpotMask, cellAt, fillCoverageTexels, maskOutline } from '../../src/scene/coverageTexture.ts';
import { BLIND_SPOT, COVERAGE_NONE, COVERAGE_NONE_ALT, DORI_COLORS, REDUNDANCY_COLORS } from '../../src/scene/coveragePalette.ts';
import { cameraFieldValue, editCamera } from '../../src/hud/figures/whatIf.ts';

const small = (): Facility => {
  const r = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error('fixture');
  return r.facility;
};
const GRID = 0.5;
const hex = (h: string) => [Number.parseInt(h.slice(1, 3), 16), Number.parseInt(h.slice(3, 5), 16), Number.parseInt(h.slice(5, 7), 16)];

describe('zone shares', () => {
  it('a camera sees a zone iff it sees one of its cells at detection; its share is those cells ÷ the zone\'s (point by point)', () => {
    const f = small();
    const engine = createCoverageEngine(f, { grid: GRID });
    const { zoneCameras, cameraZones } = zoneShares(engine, zoneCellIndex(f, GRID));
    for (const floor of f.floors) {
      const fs = buildFloorState(floor, GRID);
      floor.zones.forEach((zone, zi) => {
        const cells = fs.zoneCells[zi]!;
        const seen = new Map<string, number>();
        for (const c of cells) {
          const i = c % fs.g.nx, j = Math.floor(c / fs.g.nx);
          for (const s of camerasSeeingPoint(f, floor.id, fs.g.x0 + (i + 0.5) * GRID, fs.g.y0 + (j + 0.5) * GRID)) {
            if (s.level !== null) seen.set(s.cameraId, (seen.get(s.cameraId) ?? 0) + 1);
          }
        }
        const expected = [...seen].map(([cameraId, n]) => ({ cameraId, share: n / cells.length })).sort((a, b) => b.share - a.share);
        expect(zoneCameras[zone.id]!.map((x) => x.cameraId).sort()).toEqual(expected.map((x) => x.cameraId).sort());
        for (const e of expected) expect(zoneCameras[zone.id]!.find((x) => x.cameraId === e.cameraId)!.share).toBeCloseTo(e.share, 12);
        for (const e of expected) expect(cameraZones[e.cameraId]!.some((z) => z.zoneId === zone.id)).toBe(true);
      });
    }
    // Largest share first.
    for (const list of Object.values(zoneCameras)) for (let i = 1; i < list.length; i++) expect(list[i]!.share).toBeLessThanOrEqual(list[i - 1]!.share);
  });

  it('what-if: an engine with a camera moved answers exactly as a fresh engine on the edited facility', () => {
    const f = small();
    const cam = f.floors[0]!.cameras[2]!;
    const moved: Camera = { ...cam, position: [20, 10], yaw: 60, hfov: 60 };
    const engine = createCoverageEngine(f, { grid: GRID });
    engine.updateCamera(moved);
    const edited = whatIfFacility(f, { [cam.id]: moved });
    expect(edited.floors[0]!.cameras[2]).toBe(moved);
    expect(edited.floors[1]).toBe(f.floors[1]); // untouched floors are shared
    const a = coverageResult(1, engine, zoneCellIndex(f, GRID), 0);
    const fresh = createCoverageEngine(edited, { grid: GRID });
    const b = coverageResult(1, fresh, zoneCellIndex(edited, GRID), 0);
    expect(a.report).toEqual(b.report);
    expect(a.zoneCameras).toEqual(b.zoneCameras);
    expect(a.grids.map((g) => [...g.best])).toEqual(b.grids.map((g) => [...g.best]));
    expect(a.report.zones['CR-102']).not.toEqual(coverageResult(1, createCoverageEngine(f, { grid: GRID }), zoneCellIndex(f, GRID), 0).report.zones['CR-102']);
    // Four buffers per floor are handed over, none twice.
    const bufs = transferables(a);
    expect(bufs).toHaveLength(4 * f.floors.length);
    expect(new Set(bufs).size).toBe(bufs.length);
    expect(whatIfFacility(f, {})).toBe(f);
    expect(cameraChanged(cam, { ...cam })).toBe(false);
    expect(cameraChanged(cam, moved)).toBe(true);
  });
});

describe('the coverage layer\'s texels and outline', () => {
  // 3 × 2 cells: row 0 = level 0, 2, 4; row 1 = obstacle, off the floor, level 1 (seen by two).
  const grid: CoverageGrid = {
    floorId: 'L1', x0: 10, y0: 20, grid: 0.5, nx: 3, ny: 2,
    best: Uint8Array.from([0, 2, 4, 0, 0, 1]), requiredCount: Uint16Array.from([0, 1, 1, 0, 0, 2]),
    zone: Int32Array.from([0, 0, 1, -1, -1, 0]), zoneIds: ['Z-A', 'Z-B'],
    flags: Uint8Array.from([CELL_FLOOR, CELL_FLOOR, CELL_FLOOR, CELL_FLOOR | CELL_OBSTACLE, 0, CELL_FLOOR]),
  };
  const zones = [
    { id: 'Z-A', critical: true, coverage: { required: 'observation', target: 1 } },
    { id: 'Z-B', critical: false },
  ] as unknown as Zone[];

  it('colours cells by best level (unseen as a checkerboard), or by cameras at the required level; off-floor and obstacles transparent', () => {
    const out = new Uint8Array(4 * 6);
    fillCoverageTexels(out, grid, 'dori');
    const px = (c: number) => [...out.slice(4 * c, 4 * c + 4)];
    expect(px(0)).toEqual([...hex(COVERAGE_NONE), 255]);
    expect(px(1)).toEqual([...hex(DORI_COLORS.observation), 255]);
    expect(px(2)).toEqual([...hex(DORI_COLORS.identification), 255]);
    expect(px(3)[3]).toBe(0);
    expect(px(4)[3]).toBe(0);
    expect(px(5)).toEqual([...hex(DORI_COLORS.detection), 255]);
    fillCoverageTexels(out, grid, 'redundancy');
    expect(px(0)).toEqual([...hex(COVERAGE_NONE), 255]);
    expect(px(1)).toEqual([...hex(REDUNDANCY_COLORS.single), 255]);
    expect(px(5)).toEqual([...hex(REDUNDANCY_COLORS.redundant), 255]);
    // The checkerboard: an unseen cell on an odd square takes the other grey.
    const g2 = { ...grid, best: Uint8Array.from([0, 0, 0, 0, 0, 0]) };
    fillCoverageTexels(out, g2, 'dori');
    expect(px(1)).toEqual([...hex(COVERAGE_NONE_ALT), 255]);
 
    // Blind spots are hatched: cells on every fourth diagonal (i + j ≡ 0) take the blind-spot colour.
    fillCoverageTexels(out, grid, 'dori', Uint8Array.from([1, 1, 0, 0, 0, 1]));
    expect(px(0)).toEqual([...hex(BLIND_SPOT), 255]);
    expect(px(1)).toEqual([...hex(DORI_COLORS.observation), 255]);
    expect(px(5)).toEqual([...hex(DORI_COLORS.detection), 255]);
  });

  it('blind spots: cells of critical zones below their required level, outlined along their border', () => {
    const mask = blindSpotMask(grid, zones);
    // Z-A needs observation (2): cell 0 (none) and cell 5 (detection) are blind; cell 1 (observation) is not; Z-B is not critical.
    expect([...mask]).toEqual([1, 0, 0, 0, 0, 1]);
    const segs = maskOutline(grid, mask);
    // Two separate cells: four edges each.
    expect(segs.length).toBe(2 * 4 * 4);
    expect([...segs.slice(0, 4)]).toEqual([10, 20, 10, 20.5]);
    expect(cellAt(grid, 10.1, 20.1)).toBe(0);
    expect(cellAt(grid, 11.4, 20.9)).toBe(5);
    expect(cellAt(grid, 9.9, 20.1)).toBe(-1);
  });
});

describe('what-if camera edits', () => {
  const cam = small().floors[0]!.cameras[0]!;
  it('takes a value per field, checked', () => {
    expect(editCamera(cam, 'x', '12.5')).toMatchObject({ position: [12.5, cam.position[1]] });
    expect(editCamera(cam, 'yaw', '-30')).toMatchObject({ yaw: -30 });
    expect(editCamera(cam, 'tilt', '95')).toEqual({ problem: '−90 to 90°' });
    expect(editCamera(cam, 'hfov', '0')).toEqual({ problem: 'between 0 and 180°' });
    expect(editCamera(cam, 'width', '1000.5')).toEqual({ problem: 'whole pixels, 16–16384' });
    expect(editCamera(cam, 'y', '')).toEqual({ problem: 'a number' });
  });
  it('keeps the sensor: a new lens scales both angles, a new width keeps the aspect ratio', () => {
    const wide = editCamera(cam, 'hfov', String(cam.hfov * 1.2)) as Camera;
    const r = (c: Camera) => Math.tan((c.vfov * Math.PI) / 360) / Math.tan((c.hfov * Math.PI) / 360);
    expect(r(wide)).toBeCloseTo(r(cam), 12);
    const w = editCamera(cam, 'width', '3840') as Camera;
    expect(w.resolution).toEqual([3840, Math.round((cam.resolution[1] * 3840) / cam.resolution[0])]);
    expect(cameraFieldValue(w, 'width')).toBe(3840);
  });
});
