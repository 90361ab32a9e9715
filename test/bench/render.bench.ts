// Rendering cost of the facility view in headless Chromium (SwiftShader, no
// GPU), for the demo plant and a plant ten times its size (big-plant.ts):
// draw calls and triangles of the overview and of every layer exploded;
// frame time idle (a redraw with nothing moving, as live data causes) and
// while orbiting (camera, labels, picking-free); load to first frame.
// Frames are timed synchronously: R3F `advance()` plus a 1-pixel readPixels
// to wait for SwiftShader to finish. Run alone: `npx tsx test/bench/render.bench.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Facility } from '../../src/core/facility/schema.ts';
import { DIST_DIR } from '../../server/shared.ts';
import { launchBrowser, startServer } from '../e2e/harness.ts';
import { demoFacility, info, measureFrames, newPage, waitReady } from '../e2e/app-driver.ts';
import { describePlant, tilePlant } from './big-plant.ts';
import type { BenchResult } from './types.ts';

/** Viewport of the measurements (720p, as NUMBERS.md's SwiftShader figures). */
const VIEW = { width: 1280, height: 720 };
const FRAMES = 30;
const ALL_LAYERS = 'zones,volumes,walls,hvac,doors,cameras,frusta,sensors,labels';

interface PlantFigures {
  size: string;
  loadMs: number;
  overview: { calls: number; triangles: number; lines: number };
  everything: { calls: number; triangles: number; lines: number };
  idle: { medianMs: number; p95Ms: number };
  orbit: { medianMs: number; p95Ms: number };
  orbitAll: { medianMs: number; p95Ms: number };
}

/** Builds the front end into dist/ when it is not there (the app serves it). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(`${DIST_DIR}/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

async function measurePlant(facility: Facility): Promise<PlantFigures> {
  const { app, url } = await startServer({ facility, auth: false });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser, VIEW.width, VIEW.height);
    const t0 = performance.now();
    await page.goto(`${url}/?view=3d&floors=stack`);
    await waitReady(page, 180_000);
    const loadMs = performance.now() - t0;
    const o = (await info(page))!;
    await measureFrames(page, 5, true); // warm up: shaders, JIT
    const idle = (await measureFrames(page, FRAMES, false))!;
    const orbit = (await measureFrames(page, FRAMES, true))!;
    await page.goto(`${url}/?view=3d&floors=exploded&layers=${ALL_LAYERS}`);
    await waitReady(page, 180_000);
    const e = (await info(page))!;
    await measureFrames(page, 5, true);
    const orbitAll = (await measureFrames(page, FRAMES, true))!;
    return {
      size: describePlant(facility), loadMs,
      overview: { calls: o.calls, triangles: o.triangles, lines: o.lines },
      everything: { calls: e.calls, triangles: e.triangles, lines: e.lines },
      idle, orbit, orbitAll,
    };
  } finally {
    await browser.close();
    await app.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  await ensureBuilt();
  const demo = demoFacility();
  const big = tilePlant(demo);
  const d = await measurePlant(demo);
  const b = await measurePlant(big);
  const px = `${VIEW.width}×${VIEW.height} px, SwiftShader`;
  const ds = (f: PlantFigures) => `${f.size}; ${px}`;
  const results: BenchResult[] = [
    { name: 'render: draw calls, demo plant overview', figure: d.overview.calls, unit: 'draw calls', dataSize: ds(d), goal: '≤ 200' },
    { name: 'render: draw calls, demo plant, all layers, exploded', figure: d.everything.calls, unit: 'draw calls', dataSize: ds(d), goal: '≤ 200' },
    {
      name: 'render: draw calls, 10× plant overview', figure: b.overview.calls, unit: 'draw calls', dataSize: ds(b),
      baseline: { name: 'demo plant overview', figure: d.overview.calls }, ratio: b.overview.calls / d.overview.calls, goal: 'sub-linear: well under 10× the demo plant',
    },
    {
      name: 'render: draw calls, 10× plant, all layers, exploded', figure: b.everything.calls, unit: 'draw calls', dataSize: ds(b),
      baseline: { name: 'demo plant, all layers', figure: d.everything.calls }, ratio: b.everything.calls / d.everything.calls, goal: 'sub-linear',
    },
    { name: 'render: triangles, demo plant overview', figure: d.overview.triangles, unit: 'triangles', dataSize: ds(d) },
    { name: 'render: triangles, demo plant, all layers, exploded', figure: d.everything.triangles, unit: 'triangles', dataSize: ds(d) },
    {
      name: 'render: triangles, 10× plant overview', figure: b.overview.triangles, unit: 'triangles', dataSize: ds(b),
      baseline: { name: 'demo plant overview', figure: d.overview.triangles }, ratio: b.overview.triangles / d.overview.triangles,
    },
    { name: 'render: frame time idle (median), demo plant', figure: d.idle.medianMs, unit: 'ms', dataSize: ds(d), goal: 'p95 ' + d.idle.p95Ms.toFixed(1) + ' ms' },
    { name: 'render: frame time orbiting (median), demo plant', figure: d.orbit.medianMs, unit: 'ms', dataSize: ds(d), goal: 'p95 ' + d.orbit.p95Ms.toFixed(1) + ' ms' },
    { name: 'render: frame time orbiting, all layers exploded (median), demo plant', figure: d.orbitAll.medianMs, unit: 'ms', dataSize: ds(d), goal: 'p95 ' + d.orbitAll.p95Ms.toFixed(1) + ' ms' },
    {
      name: 'render: frame time idle (median), 10× plant', figure: b.idle.medianMs, unit: 'ms', dataSize: ds(b),
      baseline: { name: 'demo plant', figure: d.idle.medianMs }, ratio: b.idle.medianMs / d.idle.medianMs, goal: 'p95 ' + b.idle.p95Ms.toFixed(1) + ' ms',
    },
    {
      name: 'render: frame time orbiting (median), 10× plant', figure: b.orbit.medianMs, unit: 'ms', dataSize: ds(b),
      baseline: { name: 'demo plant', figure: d.orbit.medianMs }, ratio: b.orbit.medianMs / d.orbit.medianMs, goal: 'p95 ' + b.orbit.p95Ms.toFixed(1) + ' ms',
    },
    {
      name: 'render: frame time orbiting, all layers exploded (median), 10× plant', figure: b.orbitAll.medianMs, unit: 'ms', dataSize: ds(b),
      baseline: { name: 'demo plant', figure: d.orbitAll.medianMs }, ratio: b.orbitAll.medianMs / d.orbitAll.medianMs, goal: 'p95 ' + b.orbitAll.p95Ms.toFixed(1) + ' ms',
    },
    { name: 'render: load to first frame at rest, demo plant', figure: d.loadMs, unit: 'ms', dataSize: ds(d) },
    { name: 'render: load to first frame at rest, 10× plant', figure: b.loadMs, unit: 'ms', dataSize: ds(b), baseline: { name: 'demo plant', figure: d.loadMs }, ratio: b.loadMs / d.loadMs },
  ];
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(r.unit === 'ms' ? 1 : 0)} ${r.unit}${r.ratio !== undefined ? ` (${r.ratio.toFixed(2)}× ${r.baseline?.name})` : ''} — ${r.dataSize}`);
}
