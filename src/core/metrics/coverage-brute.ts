// The deliberately simple reference for camera coverage: every cell is
// classified with pointInPolygon, every camera is judged on every cell, and
// every wall and obstacle edge is tried on every sight line in view — no
// culling, no index, no shortcut but stopping at the first blocker. It is the
// oracle of the tests and the baseline of the benchmark.
import { pointInPolygon } from '../geometry.ts';
import type { Facility } from '../facility/schema.ts';
import { CameraFrame, densityAt, doriLevel, floorSegments, gridFrame, segmentBlocks, SEG_STRIDE } from './coverage-geometry.ts';
import { assembleReport, resolveCoverageOptions, zoneRequirement, type CoverageOptions, type CoverageReport, type ZoneTally } from './coverage-report.ts';

/** metrics.md §2 computed the slow, obvious way; same report as computeCoverage, bit for bit. */
export function computeCoverageBrute(facility: Facility, opts?: CoverageOptions): CoverageReport {
  const { grid, targetHeight: th, availability, onProgress } = resolveCoverageOptions(opts);
  const tallies = new Map<string, ZoneTally>();
  const cameraCells = new Map<string, number>();
  const total = facility.floors.reduce((n, f) => n + f.cameras.length, 0);
  let done = 0;
  for (const floor of facility.floors) {
    const g = gridFrame(floor.outline, grid, floor.id);
    const segs = floorSegments(floor);
    const nsegs = segs.length / SEG_STRIDE;
    const cams = floor.cameras;
    const frames = cams.map((c) => new CameraFrame(c));
    const avail = cams.map((c) => availability.get(c.id) ?? 1);
    const levels = new Uint8Array(cams.length);
    const zoneTallies = floor.zones.map((z) => {
      const t: ZoneTally = { cells: 0, seen: [0, 0, 0, 0], redundant: 0, reliabilitySum: 0 };
      tallies.set(z.id, t);
      return t;
    });
    const reqIndex = floor.zones.map((z) => zoneRequirement(z).index);
    const camCells = new Array<number>(cams.length).fill(0);
    for (let j = 0; j < g.ny; j++) {
      const py = g.y0 + (j + 0.5) * grid;
      for (let i = 0; i < g.nx; i++) {
        const px = g.x0 + (i + 0.5) * grid;
        if (floor.obstacles.some((o) => pointInPolygon(px, py, o.polygon))) continue;
        const onFloor = pointInPolygon(px, py, floor.outline);
        const inZone = floor.zones.map((z) => pointInPolygon(px, py, z.polygon));
        if (!onFloor && !inZone.includes(true)) continue;
        for (let c = 0; c < cams.length; c++) {
          const f = frames[c]!;
          const vx = px - f.cx, vy = py - f.cy;
          let level = doriLevel(densityAt(f, vx, vy, th - f.mountHeight));
          if (level > 0) {
            const rho = Math.sqrt(vx * vx + vy * vy);
            for (let s = 0; s < nsegs; s++) {
              if (segmentBlocks(segs, s * SEG_STRIDE, f.cx, f.cy, vx, vy, rho, f.mountHeight, th)) { level = 0; break; }
            }
          }
          levels[c] = level;
          if (level > 0 && onFloor) camCells[c]!++;
        }
        for (let z = 0; z < floor.zones.length; z++) {
          if (!inZone[z]) continue;
          const t = zoneTallies[z]!, req = reqIndex[z]!;
          t.cells++;
          for (let k = 0; k < 4; k++) if (levels.some((l) => l > k)) t.seen[k] = t.seen[k]! + 1;
          let seenAtReq = 0, miss = 1;
          for (let c = 0; c < cams.length; c++) {
            if (levels[c]! > req) { seenAtReq++; miss *= 1 - avail[c]!; }
          }
          if (seenAtReq >= 2) t.redundant++;
          t.reliabilitySum += 1 - miss;
        }
      }
    }
    cams.forEach((c, k) => cameraCells.set(c.id, camCells[k]!));
    done += cams.length;
    onProgress?.(done, total);
  }
  return assembleReport(facility, grid, th, tallies, cameraCells);
}
