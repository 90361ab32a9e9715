// Soak: the control-room tour over a simulated day. `twinspace serve` runs
// the demo plant's simulator 1,440 times faster than the wall clock (a
// simulated day per real minute) after backfilling a day of history; the
// tour runs in headless Chromium (SwiftShader) with a short dwell, a short
// alarm timeout and frequent figure refreshes, so every stop kind, alarm
// card, refetch and redraw is exercised many times. After one warm-up loop
// (shaders, the coverage texture, every stop seen once) the JS heap (after
// forced GC through CDP) and renderer.info.memory are sampled, then again
// after 24 simulated hours; the goal is flat within 5 %.
// Run alone: `npx tsx test/bench/soak.bench.ts` (or `npm run bench -- soak`).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { DIST_DIR } from '../../server/shared.ts';
import { launchBrowser } from '../e2e/harness.ts';
import type { TourDebug, MemoryDebug } from '../../src/app/tour/debugTour.ts';
import type { BenchResult } from './types.ts';
import { freePort } from '../integration/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'server/twinspace.mjs');
/** Simulated ms per real ms. */
const SPEED = 1440;
/** Simulated time the soak covers after the warm-up, ms (TWINSPACE_SOAK_HOURS overrides, for longer runs by hand). */
const SOAK_SIM_MS = Number(process.env['TWINSPACE_SOAK_HOURS'] ?? 24) * 3_600_000;
const VIEW = { width: 1280, height: 720 };
/**
 * Tour settings: every stop kind on both floors in a 7-stop loop (so the
 * warm-up is short), stops change every 2 s, an unacknowledged alarm holds
 * 3 s, the figures are fetched every 15 s.
 */
const TOUR_QUERY = `dwell=2&alarmTimeout=3&refresh=15&stops=${['overview', 'floor:L1', 'zone:CR-103', 'coverage', 'floor:L2', 'zone:SRV-201', 'roi'].join(',')}`;
/** Samples between start and end (for the report's trend); TWINSPACE_SOAK_SAMPLES overrides. */
const SAMPLES = Number(process.env['TWINSPACE_SOAK_SAMPLES'] ?? 4);

interface Sample { atMs: number; heapUsed: number; mem: MemoryDebug; nodes: number; listeners: number; step: number; alarms: number }

/** A heap snapshot's V8 bytes split: compiled code (the JIT's, grows as functions tier up) and everything else the page's JS holds. */
interface HeapSplit { objects: number; code: number }

/** Node types of a heap snapshot that are the page's JS data (not compiled code, not Blink's native objects). */
const OBJECT_TYPES = new Set(['hidden', 'array', 'string', 'object', 'closure', 'regexp', 'number', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape']);

/** Takes a heap snapshot (after GC) and sums its self sizes by kind. */
async function heapSplit(cdp: CDPSession): Promise<HeapSplit> {
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => { chunks.push(e.chunk); };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
  const fields = snap.snapshot.meta.node_fields, types = snap.snapshot.meta.node_types[0];
  const n = fields.length, it = fields.indexOf('type'), isz = fields.indexOf('self_size');
  let objects = 0, code = 0;
  for (let i = 0; i < snap.nodes.length; i += n) {
    const type = types[snap.nodes[i + it]!]!, size = snap.nodes[i + isz]!;
    if (type === 'code') code += size; else if (OBJECT_TYPES.has(type)) objects += size;
  }
  return { objects, code };
}

async function ensureBuilt(): Promise<void> {
  if (existsSync(`${DIST_DIR}/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

/** Starts the accelerated server; resolves once it listens (after the backfill). */
function serve(port: number, db: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db, '--speed', String(SPEED), '--backfill-days', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { c.kill('SIGKILL'); reject(new Error(`soak: serve did not start within 150 s:\n${out}`)); }, 150_000);
    c.stdout!.on('data', (b: Buffer) => { out += b.toString(); if (out.includes('serving')) { clearTimeout(timer); resolve(c); } });
    c.stderr!.on('data', (b: Buffer) => { out = `${out}${b.toString()}`.slice(-20_000); });
    c.once('exit', (code) => { clearTimeout(timer); reject(new Error(`soak: serve exited with ${code}:\n${out}`)); });
  });
}

async function sample(page: Page, cdp: CDPSession): Promise<Sample> {
  // Twice: the first pass may leave objects that only a second frees (weak refs, finalisers).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const metrics = await cdp.send('Performance.getMetrics');
  const metric = (n: string) => metrics.metrics.find((m) => m.name === n)?.value ?? -1;
  const t = await page.evaluate(() => ({ tour: window.__twinspace!.tour!(), mem: window.__twinspace!.memory!(), alarms: window.__twinspace!.live().alarms }));
  return { atMs: Date.now(), heapUsed: heap.usedSize, mem: t.mem, nodes: metric('Nodes'), listeners: metric('JSEventListeners'), step: (t.tour as TourDebug).step, alarms: t.alarms };
}

const pct = (a: number, b: number) => (a === 0 ? (b === 0 ? 0 : Infinity) : ((b - a) / a) * 100);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MB`;

export async function run(): Promise<BenchResult[]> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-soak-'));
  const db = `sqlite:${join(dir, 'soak.db')}`;
  const port = await freePort();
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'token', 'create', '--role', 'viewer', '--db', db], { cwd: ROOT });
  const token = stdout.trim();
  const t0 = performance.now();
  const server = await serve(port, db);
  const serveMs = performance.now() - t0;
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: VIEW, deviceScaleFactor: 1 })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`http://127.0.0.1:${port}/tour?token=${token}&${TOUR_QUERY}`);
    await page.waitForFunction(() => window.__twinspace?.ready === true && (window.__twinspace.tour?.().step ?? 0) > 0, undefined, { timeout: 90_000 });
    // Warm-up: the coverage worker's answer in, then every stop kind drawn once after it (shaders, the coverage texture), then one more stop.
    await page.waitForFunction(() => window.__twinspaceCoverage?.status() === 'ready', undefined, { timeout: 120_000, polling: 500 });
    const from = await page.evaluate(() => window.__twinspace!.tour!().step);
    await page.waitForFunction((after) => {
      const h = window.__twinspace!.tour!().history.filter((x) => x.step > after && x.phase === 'stop');
      const kinds = new Set(h.map((x) => x.key.split(':')[0]));
      return ['overview', 'floor', 'zone', 'coverage', 'roi'].every((k) => kinds.has(k)) && h[h.length - 1]!.key.split(':')[0] !== 'coverage';
    }, from, { timeout: 120_000, polling: 500 });
    const startSplit = await heapSplit(cdp);
    const start = await sample(page, cdp);
    const samples: Sample[] = [start];
    const realMs = SOAK_SIM_MS / SPEED;
    for (let k = 1; k <= SAMPLES; k++) {
      await page.waitForTimeout(start.atMs + (realMs * k) / SAMPLES - Date.now());
      samples.push(await sample(page, cdp));
    }
    const end = samples[samples.length - 1]!;
    const endSplit = await heapSplit(cdp);
    const simHours = ((end.atMs - start.atMs) * SPEED) / 3_600_000;
    const phases = end.step - start.step;
    const trend = samples.map((s) => mb(s.heapUsed)).join(' → ');
    if (errors.length) throw new Error(`soak: the page reported errors:\n${errors.join('\n')}`);
    const size = `demo plant, ${simHours.toFixed(1)} h simulated at ${SPEED}× in ${((end.atMs - start.atMs) / 1000).toFixed(0)} s, ${phases} tour phases (stops and alarm cards), ${VIEW.width}×${VIEW.height} px SwiftShader; after a warm-up loop; server up in ${(serveMs / 1000).toFixed(0)} s (1 day backfilled)`;
    const goal = '|change| ≤ 5 %';
    const mem = (k: 'geometries' | 'textures' | 'programs'): BenchResult => ({
      name: `soak: renderer.info ${k}, start → after 24 h simulated`, figure: pct(start.mem[k], end.mem[k]), unit: '% change',
      dataSize: `${start.mem[k]} → ${end.mem[k]}; ${size}`, goal,
    });
    return [
      { name: 'soak: JS heap after GC, start → after 24 h simulated', figure: pct(start.heapUsed, end.heapUsed), unit: '% change', dataSize: `${trend}; ${size}`, goal },
      {
        name: 'soak: JS objects (heap snapshot, compiled code left out), start → after 24 h simulated', figure: pct(startSplit.objects, endSplit.objects), unit: '% change',
        dataSize: `${mb(startSplit.objects)} → ${mb(endSplit.objects)}; compiled code (V8's JIT, tiering up) ${mb(startSplit.code)} → ${mb(endSplit.code)}; ${size}`, goal,
      },
      mem('geometries'), mem('textures'), mem('programs'),
      {
        name: 'soak: DOM nodes, start → after 24 h simulated', figure: pct(start.nodes, end.nodes), unit: '% change',
        dataSize: `${samples.map((x) => x.nodes).join(' → ')} (varies with the stop on screen); JS event listeners ${samples.map((x) => x.listeners).join(' → ')}; ${size}`,
        goal: 'no upward trend',
      },
    ];
  } finally {
    await browser.close();
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: print the figures.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(2)} ${r.unit} (${r.dataSize}) goal ${r.goal ?? ''}`);
}
