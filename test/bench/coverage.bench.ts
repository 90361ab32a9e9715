// Camera coverage (metrics.md §2) on a generated plant the size of the
// issue's goal: 120 × 80 m, 100 cameras, 1,000 walls, at 0.1 m and 0.25 m.
// Figures: the fast engine's full pass (median of 3) against the brute-force
// baseline run for real, one moved camera (median of 20 updateCamera +
// report), and the number of cells on which fast and brute disagree.
// Run alone: `npx tsx test/bench/coverage.bench.ts [--no-brute-fine]`.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import type { Camera, Facility } from '../../src/core/facility/schema.ts';
import { computeCoverage, computeCoverageBrute, createCoverageEngine, type CoverageReport } from '../../src/core/metrics/coverage.ts';
import type { BenchResult } from './types.ts';
import { mulberry32 } from '../../src/core/random.ts';


/** What generatePlant builds. */
export interface PlantSize { width: number; depth: number; cameras: number; walls: number; obstacles: number }

export const GOAL_PLANT: PlantSize = { width: 120, depth: 80, cameras: 100, walls: 1000, obstacles: 40 };

const RESOLUTIONS: [number, number][] = [[1280, 720], [1920, 1080], [1920, 1080], [2560, 1440], [3840, 2160]];
const FLOOR_HEIGHT_M = 6;

/**
 * A plant floor: walls 2–15 m long (70 % axis-aligned), heights 2.5–6 m
 * (about half partitions of 2.5–3.5 m, half full height); racks as
 * obstacles; a 6 × 4 grid of zones, a third of them critical; a third of the
 * cameras mounted on a wall facing away from it, the others free-standing;
 * 1280–3840 px wide, hfov 55–100°, tilt 10–50°.
 */
export function generatePlant(seed: number, size: PlantSize = GOAL_PLANT): Facility {
  const rnd = mulberry32(seed);
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const { width: W, depth: D } = size;
  const round = (v: number) => Math.round(v * 100) / 100;
  const clampX = (v: number) => Math.min(W - 0.5, Math.max(0.5, v));
  const clampY = (v: number) => Math.min(D - 0.5, Math.max(0.5, v));

  const walls: { id: string; from: [number, number]; to: [number, number]; height: number }[] = [];
  while (walls.length < size.walls) {
    const x = between(0.5, W - 0.5), y = between(0.5, D - 0.5), len = between(2, 15);
    const ang = rnd() < 0.7 ? pick([0, 90, 180, 270]) : between(0, 360);
    const a = (ang * Math.PI) / 180;
    const from: [number, number] = [round(x), round(y)];
    const to: [number, number] = [round(clampX(x + len * Math.cos(a))), round(clampY(y + len * Math.sin(a)))];
    if (Math.hypot(to[0] - from[0], to[1] - from[1]) < 1) continue;
    const height = rnd() < 0.5 ? round(between(2.5, 3.5)) : round(between(3.5, FLOOR_HEIGHT_M));
    walls.push({ id: `W-${walls.length}`, from, to, height });
  }

  const obstacles = Array.from({ length: size.obstacles }, (_, k) => {
    const w = between(1, 4), d = between(1, 4), x = between(1, W - 5), y = between(1, D - 5);
    return { id: `OB-${k}`, name: `Rack ${k}`, height: round(between(1, 3)), polygon: [[round(x), round(y)], [round(x + w), round(y)], [round(x + w), round(y + d)], [round(x), round(y + d)]] };
  });

  const zones = [];
  const zw = W / 6, zd = D / 4;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 6; c++) {
      const k = r * 6 + c;
      const critical = k % 3 === 0;
      zones.push({
        id: `Z-${k}`, name: `Zone ${k}`, kind: critical ? 'cleanroom' : pick(['production', 'warehouse', 'corridor', 'lab']),
        critical,
        polygon: [[c * zw, r * zd], [(c + 1) * zw, r * zd], [(c + 1) * zw, (r + 1) * zd], [c * zw, (r + 1) * zd]],
        ...(critical ? { coverage: { required: pick(['detection', 'observation', 'recognition', 'identification']), target: 0.9 } } : {}),
      });
    }
  }

  const cameras = Array.from({ length: size.cameras }, (_, k) => {
    const [rw, rh] = pick(RESOLUTIONS);
    const optics = { hfov: round(between(55, 100)), resolution: [rw, rh], tilt: round(between(10, 50)), ndaaCompliant: rnd() < 0.85 };
    if (rnd() < 0.33 && walls.length > 0) {
      const w = pick(walls);
      const t = between(0.2, 0.8);
      const wallYaw = (Math.atan2(w.to[1] - w.from[1], w.to[0] - w.from[0]) * 180) / Math.PI;
      return {
        id: `CAM-${k}`, name: `Camera ${k}`, ...optics,
        position: [w.from[0] + t * (w.to[0] - w.from[0]), w.from[1] + t * (w.to[1] - w.from[1])],
        mountHeight: round(between(2.4, Math.min(w.height, 4.5))),
        yaw: round(wallYaw + (rnd() < 0.5 ? 90 : -90)),
      };
    }
    return {
      id: `CAM-${k}`, name: `Camera ${k}`, ...optics,
      position: [round(between(1, W - 1)), round(between(1, D - 1))],
      mountHeight: round(between(3, FLOOR_HEIGHT_M - 0.2)),
      yaw: round(between(0, 360)),
    };
  });

  const doc = {
    format: 'twinspace.facility/1', id: `bench-${seed}`, name: `Generated plant ${seed}`,
    floors: [{ id: 'L1', name: 'Hall', elevation: 0, height: FLOOR_HEIGHT_M, outline: [[0, 0], [W, 0], [W, D], [0, D]], zones, walls, obstacles, cameras }],
  };
  const loaded = loadFacility(doc);
  if (!loaded.ok) throw new Error(`coverage bench: generated plant refused:\n${formatProblems(loaded.problems)}`);
  return loaded.facility;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Wall-clock milliseconds of one call, and its value. */
function timeMs<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const v = fn();
  return [performance.now() - t0, v];
}

/** Number of report figures (zone fractions, redundancy, reliability, areas) that differ. */
export function reportMismatches(a: CoverageReport, b: CoverageReport): number {
  let n = 0;
  for (const [id, za] of Object.entries(a.zones)) {
    const zb = b.zones[id];
    if (!zb) { n++; continue; }
    for (const k of ['detection', 'observation', 'recognition', 'identification'] as const) if (za.fractions[k] !== zb.fractions[k]) n++;
    if (za.areaM2 !== zb.areaM2) n++;
    if (za.redundantFraction !== zb.redundantFraction) n++;
    if (za.reliability !== zb.reliability) n++;
  }
  for (const [id, ca] of Object.entries(a.cameras)) if (b.cameras[id]?.areaM2 !== ca.areaM2) n++;
  if (a.criticalRequiredFraction !== b.criticalRequiredFraction) n++;
  return n;
}

function describe(f: Facility, grid: number): string {
  const fl = f.floors[0]!;
  const xs = fl.outline.map((p) => p[0]), ys = fl.outline.map((p) => p[1]);
  const cells = Math.ceil((Math.max(...xs) - Math.min(...xs)) / grid - 1e-9) * Math.ceil((Math.max(...ys) - Math.min(...ys)) / grid - 1e-9);
  return `${cells.toLocaleString('en-US')} cells (${grid} m), ${fl.cameras.length} cameras, ${fl.walls.length.toLocaleString('en-US')} walls, ${fl.obstacles.length} obstacles, ${fl.zones.length} zones`;
}

/** Moves a camera a little and turns it, deterministically. */
function nudged(c: Camera, k: number): Camera {
  return { ...c, position: [c.position[0] + 0.37 * Math.sin(k), c.position[1] + 0.29 * Math.cos(k)], yaw: c.yaw + 7 * Math.sin(3 * k) };
}

export async function run(opts: { bruteFine?: boolean } = {}): Promise<BenchResult[]> {
  const facility = generatePlant(20261102);
  const out: BenchResult[] = [];
  // Warm up the JIT on a small grid first so the timed passes measure steady code.
  computeCoverage(facility, { grid: 0.5 });

  for (const grid of [0.25, 0.1]) {
    const size = describe(facility, grid);
    const times: number[] = [];
    let report: CoverageReport | undefined;
    for (let r = 0; r < 3; r++) {
      const [ms, rep] = timeMs(() => computeCoverage(facility, { grid }));
      times.push(ms);
      report = rep;
    }
    const fullMs = median(times);
    let baseline: { name: string; figure: number } | undefined;
    if (grid === 0.25 || opts.bruteFine !== false) {
      const [bruteMs, brute] = timeMs(() => computeCoverageBrute(facility, { grid }));
      baseline = { name: 'brute force: every wall and obstacle edge on every sight line in view, one run', figure: bruteMs };
      out.push({ name: `coverage fast vs brute mismatched figures, ${grid} m`, figure: reportMismatches(report!, brute) + reportMismatches(brute, report!), unit: 'figures', dataSize: size, goal: '0' });
    }
    out.push({
      name: `coverage full pass ${grid} m (median of 3)`, figure: fullMs, unit: 'ms', dataSize: size,
      ...(baseline ? { baseline, ratio: baseline.figure / fullMs } : {}),
      ...(grid === 0.1 ? { goal: '≤ 300 ms on one core, exact' } : {}),
    });

    const engine = createCoverageEngine(facility, { grid });
    const cams = facility.floors[0]!.cameras;
    const upd: number[] = [];
    for (let k = 0; k < 20; k++) {
      const cam = cams[(k * 37) % cams.length]!;
      const [ms] = timeMs(() => { engine.updateCamera(nudged(cam, k + 1)); return engine.report(); });
      upd.push(ms);
    }
    out.push({
      name: `coverage one moved camera ${grid} m (median of 20 updateCamera + report)`, figure: median(upd), unit: 'ms', dataSize: size,
      ...(grid === 0.1 ? { goal: '≤ 15 ms' } : {}),
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await run({ bruteFine: !process.argv.includes('--no-brute-fine') });
  for (const r of results) {
    const base = r.baseline ? `  baseline ${r.baseline.figure.toFixed(1)} ${r.unit} (${r.ratio?.toFixed(1)}×)` : '';
    console.log(`${r.name}: ${r.figure.toFixed(2)} ${r.unit}${base}${r.goal ? `  goal ${r.goal}` : ''}  [${r.dataSize}]`);
  }
}
