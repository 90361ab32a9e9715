// History at scale (issue 6): 30 days of the demo plant written by the
// simulator's backfill (1 reading/min per sensor, ~6 M records) into a temp
// SQLite store, history keyframes filled, an app built over it and called
// over HTTP as the browser does:
// - `GET /api/state?at=T`, 200 random instants: p50 and p95 (goal ≤ 50 ms);
// - `GET /api/incidents/<id>/bundle`, 50 random alarms: p50 and p95 of the
//   round trip (goal ≤ 100 ms), and the server's own figure from
//   `/api/incidents/stats`.
// - scrub to scene in headless Chromium (the built front end served by the
//   same app): real pointer drags on the timeline bar at 7-day ranges spread
//   over the 30 days; each timed in the page from the pointer release to the
//   end of the first scene frame drawn with the state at the cursor: p50 and
//   p95, the 80 ms scrub debounce included (and, to show where the time goes,
//   the p50 until the state is in the scene's buffer, before that frame).
// The setup (backfill, keyframe fill) is reported too, as it is what a first
// start of `twinspace serve` pays.
// Run alone: `npx tsx test/bench/history.bench.ts`. TWINSPACE_BENCH_HISTORY_DB=<file>
// reuses (and writes keyframes into) a store backfilled before instead of a fresh one;
// TWINSPACE_BENCH_SCRUB_SHOT=<file.png> saves a screenshot of the page after the last scrub.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { createApp } from '../../server/app.ts';
import { fillKeyframes, KEYFRAME_EVERY_MS } from '../../server/history/keyframes.ts';
import { backfill } from '../../server/sim/run.ts';
import { DIST_DIR } from '../../server/shared.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { RANGE_SPANS_MS, STATE_DEBOUNCE_MS } from '../../src/state/timelineMath.ts';
import { launchBrowser } from '../e2e/harness.ts';
import { newPage, waitReady } from '../e2e/app-driver.ts';
import { ensureBuilt } from './render.bench.ts';
import type { BenchResult } from './types.ts';
import { mulberry32 } from '../../src/core/random.ts';

const DAYS = 30;
const STATE_QUERIES = 200;
const INCIDENT_QUERIES = 50;
const DAY_MS = 86_400_000;
const DEMO_PLANT = fileURLToPath(new URL('../../server/demo/plant.json', import.meta.url));


/** Nearest rank, as metrics.md §3. */
function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Scrubs timed per 7-day range, and ranges spread over the history. */
const SCRUBS_PER_RANGE = 10;
const SCRUB_RANGES = 4;
/** Untimed scrubs first (JIT, first fetches). */
const SCRUB_WARMUP = 3;
/** Viewport of the scrub runs (720p, as render.bench.ts). */
const SCRUB_VIEW = { width: 1280, height: 720 };

// The page side of a scrub, as strings so the bench transform cannot wrap
// named functions in helpers the page lacks (__name), as app-driver.ts does.

/**
 * Makes `__twinspace.frames` an accessor that calls `window.__benchFrameHook`
 * on each increment: DebugBridge counts every scene frame in a useFrame, so
 * the hook runs inside the frame's callback, before that frame's gl.render.
 */
const INSTALL_FRAME_HOOK = `(() => {
  const t = window.__twinspace;
  if (Object.getOwnPropertyDescriptor(t, 'frames').get) return;
  let frames = t.frames;
  Object.defineProperty(t, 'frames', {
    configurable: true, enumerable: true,
    get: () => frames,
    set: (v) => { frames = v; const h = window.__benchFrameHook; if (h) h(); },
  });
})()`;

/** What the page reports for one scrub. */
type ScrubProbe =
  | { ms: number; pollMs: number; cursor: number }
  | { skipped: string; cursor: number }
  | { error: string; timeline: unknown };

/**
 * Arms the timing of the next scrub; call it before the mouse goes down, so
 * down, moves and release reach the page back to back. On the release
 * (capture-phase pointerup) it takes t0 and the cursor, starts a rAF poll for
 * `shownAt === cursor` and waits for the first scene frame that starts with
 * it; after that frame's callback (its useFrame work and gl.render) a
 * 1-pixel readPixels waits for SwiftShader to finish it, as measureFrames
 * does. A release whose cursor is the state already shown (or already
 * fetched) would time nothing: it is reported as skipped.
 */
const ARM_SCRUB = `(() => {
  const t = window.__twinspace;
  const canvas = document.querySelector('.viewport canvas');
  const gl = canvas && (canvas.getContext('webgl2') || canvas.getContext('webgl'));
  const px = new Uint8Array(4);
  const shownBefore = t.timeline().shownAt;
  window.__benchScrub = new Promise((resolve) => {
    let t0 = NaN, target = NaN, pollAt = NaN, done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      window.__benchFrameHook = null;
      window.removeEventListener('pointerup', onUp, true);
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => finish({ error: 'no scene frame with the state at the cursor within 20 s of arming', timeline: t.timeline() }), 20000);
    const poll = () => {
      if (done) return;
      if (Number.isNaN(pollAt) && t.timeline().shownAt === target) pollAt = performance.now();
      requestAnimationFrame(poll);
    };
    const onUp = () => {
      t0 = performance.now();
      const s = t.timeline();
      target = s.cursor;
      if (s.mode !== 'replay') { finish({ error: 'the timeline is not in REPLAY after the drag', timeline: s }); return; }
      if (target === shownBefore || s.shownAt === target) { finish({ skipped: 'the cursor is the state already shown', cursor: target }); return; }
      window.__benchFrameHook = () => {
        const s2 = t.timeline();
        if (s2.shownAt !== target || s2.cursor !== target) return;
        window.__benchFrameHook = null;
        // A microtask runs once the whole frame callback has returned: every useFrame and gl.render.
        queueMicrotask(() => {
          if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
          finish({ ms: performance.now() - t0, pollMs: pollAt - t0, cursor: target });
        });
      };
      requestAnimationFrame(poll);
    };
    window.addEventListener('pointerup', onUp, true);
  });
})()`;

/** Scrub-to-scene times in headless Chromium against the app at `base`, over 7-day ranges spread across `history`. */
async function measureScrubs(base: string, token: string, history: { from: number; to: number }, rand: () => number): Promise<{ ms: number[]; pollMs: number[]; skipped: number }> {
  await ensureBuilt();
  const span = RANGE_SPANS_MS['7d'];
  const browser = await launchBrowser();
  const ms: number[] = [];
  const pollMs: number[] = [];
  let skipped = 0;
  try {
    const page = await newPage(browser, SCRUB_VIEW.width, SCRUB_VIEW.height);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (let w = 0; w < SCRUB_RANGES; w++) {
      // Open the app in REPLAY at the range's centre (`t=`), then pick the 7-day range around it.
      const centre = history.from + span / 2 + (w / Math.max(1, SCRUB_RANGES - 1)) * Math.max(0, history.to - history.from - span);
      await page.goto(`${base}/?view=3d&t=${new Date(centre).toISOString()}&token=${encodeURIComponent(token)}`);
      await waitReady(page, 180_000);
      await page.evaluate(INSTALL_FRAME_HOOK);
      await page.locator('.timeline .tl-ranges button', { hasText: '7 d' }).click();
      await page.waitForFunction(() => {
        const t = window.__twinspace!.timeline!();
        return t.mode === 'replay' && t.shownAt === t.cursor;
      }, undefined, { timeout: 30_000 });
      const bar = (await page.locator('.timeline .tl-bar').boundingBox())!;
      // Below the alarm markers (10 px tall, at the top of the bar), which take the pointer.
      const y = bar.y + bar.height * 0.75;
      const xAt = () => Math.round(bar.x + 2 + rand() * (bar.width - 4));
      const want = (w === 0 ? SCRUB_WARMUP : 0) + SCRUBS_PER_RANGE;
      let timed = 0;
      for (let attempt = 0; timed < want; attempt++) {
        if (attempt > want * 3) throw new Error(`history bench: scrubs at range ${w} kept being skipped (${skipped} so far)`);
        await page.evaluate(ARM_SCRUB);
        await page.mouse.move(xAt(), y);
        await page.mouse.down();
        await page.mouse.move(xAt(), y, { steps: 5 });
        await page.mouse.up();
        const r = await page.evaluate('window.__benchScrub') as ScrubProbe;
        if ('error' in r) throw new Error(`history bench: scrub at range ${w}: ${r.error}; timeline ${JSON.stringify(r.timeline)}; page errors: ${errors.join(' | ') || 'none'}`);
        if ('skipped' in r) { skipped++; continue; }
        timed++;
        if (w === 0 && timed <= SCRUB_WARMUP) continue;
        ms.push(r.ms);
        if (Number.isFinite(r.pollMs)) pollMs.push(r.pollMs);
      }
    }
    const shot = process.env['TWINSPACE_BENCH_SCRUB_SHOT'] ?? null;
    if (shot) await page.screenshot({ path: shot });
    if (errors.length) throw new Error(`history bench: page errors while scrubbing: ${errors.join(' | ')}`);
    return { ms, pollMs, skipped };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const loaded = loadFacility(JSON.parse(readFileSync(DEMO_PLANT, 'utf8')));
  if (!loaded.ok) throw new Error(`demo plant invalid:\n${formatProblems(loaded.problems)}`);
  const facility = loaded.facility;
  const ix = indexFacility(facility);
  const reuse = process.env['TWINSPACE_BENCH_HISTORY_DB'];
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-history-bench-'));
  const dbPath = reuse && existsSync(reuse) ? reuse : join(dir, 'history.db');
  const store = new SqliteStore(dbPath);
  const out: BenchResult[] = [];
  try {
    let backfillS: number | null = null;
    if (dbPath !== reuse) {
      const t0 = performance.now();
      await backfill(store, ix, Math.floor(Date.now() / 60_000) * 60_000, { days: DAYS, seed: 1 });
      backfillS = (performance.now() - t0) / 1000;
    }
    const range = (await store.timeRange())!;
    const counts = await store.stats();
    const records = counts.telemetry + counts.events;
    const sensors = ix.sensors.size, doors = ix.doors.size, cameras = ix.cameras.size;
    const plant = `demo plant: ${sensors} sensors at 1 reading/min, ${doors} doors, ${cameras} cameras`;
    const size = `${fmtInt(records)} records (${fmtInt(counts.telemetry)} readings, ${fmtInt(counts.events)} events) over ${((range.to - range.from) / DAY_MS).toFixed(1)} days; ${plant}`;
    if (backfillS !== null) out.push({ name: `history setup: simulator backfill of ${DAYS} days into SQLite`, figure: backfillS, unit: 's', dataSize: size });

    let t0 = performance.now();
    const fill = await fillKeyframes(store, ix, { upTo: range.to });
    const fillS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const check = await fillKeyframes(store, ix, { upTo: range.to });
    const checkMs = performance.now() - t0;
    (store as SqliteStore).checkpoint();
    const dbMiB = statSync(dbPath).size / 2 ** 20;
    const keyframes = `a keyframe in each of ${check.checked} ${KEYFRAME_EVERY_MS / 60_000}-min intervals (${fill.saved} filled by this run)`;
    out.push({ name: 'history setup: keyframe fill (first start; folds every record once)', figure: fillS, unit: 's', dataSize: `${size}; ${keyframes}` });
    out.push({ name: 'history keyframe check over the whole history, nothing to fill (the first pass after a start; later ones look past the last complete keyframe only)', figure: checkMs, unit: 'ms', dataSize: `${size}; ${check.checked} intervals checked` });

    // The app, with its clock at the end of the data, and no API rate limit in the way.
    const wall0 = Date.now();
    const app = createApp({ facility, store, distDir: DIST_DIR, clock: () => range.to + 60_000 + (Date.now() - wall0), limits: { apiRate: { perSecond: 1e9, burst: 1e9 } } });
    await app.ready;
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    try {
      const addr = app.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const token = await app.createToken('viewer', 'bench');
      const headers = { authorization: `Bearer ${token}` };
      // The server's own keyframe upkeep makes a check pass 1 s after listening: let it finish first.
      await sleep(1000 + 2 * checkMs + 500);
      const call = async (path: string): Promise<{ ms: number; bytes: number }> => {
        const t = performance.now();
        const res = await fetch(base + path, { headers });
        const body = await res.text();
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`history bench: ${path} answered ${res.status}: ${body.slice(0, 300)}`);
        return { ms, bytes: Buffer.byteLength(body) };
      };
      const rand = mulberry32(42);
      for (let i = 0; i < 5; i++) await call(`/api/state?at=${Math.floor(range.from + rand() * (range.to - range.from))}`); // warm-up

      const stateMs: number[] = [];
      let stateBytes = 0;
      for (let i = 0; i < STATE_QUERIES; i++) {
        const r = await call(`/api/state?at=${Math.floor(range.from + rand() * (range.to - range.from))}`);
        stateMs.push(r.ms);
        stateBytes += r.bytes;
      }
      const stateSize = `${STATE_QUERIES} random instants over ${size}; ${keyframes}; answer ~${fmtInt(stateBytes / STATE_QUERIES / 1024)} KiB; SQLite file ${fmtInt(dbMiB)} MiB`;
      out.push({ name: 'GET /api/state?at=T p50 (HTTP round trip)', figure: percentile(stateMs, 0.5), unit: 'ms', dataSize: stateSize, goal: '≤ 50 ms' });
      out.push({ name: 'GET /api/state?at=T p95 (HTTP round trip)', figure: percentile(stateMs, 0.95), unit: 'ms', dataSize: stateSize, goal: '≤ 50 ms' });

      // Alarms raised over the history (the live state keeps every one raised), 50 at random.
      const alarms = Object.values(app.pipeline.state.alarms).filter((a) => a.onset > range.from + 3_600_000).map((a) => a.id);
      const picks: string[] = [];
      for (let i = 0; i < INCIDENT_QUERIES; i++) picks.push(alarms[Math.floor(rand() * alarms.length)]!);
      const bundleMs: number[] = [];
      let bundleBytes = 0;
      for (const id of picks) {
        const r = await call(`/api/incidents/${encodeURIComponent(id)}/bundle`);
        bundleMs.push(r.ms);
        bundleBytes += r.bytes;
      }
      const server = await (await fetch(`${base}/api/incidents/stats`, { headers })).json() as { count: number; p50Ms: number; p95Ms: number };
      const bundleSize = `${INCIDENT_QUERIES} random alarms of ${alarms.length} over ${size}; ±15 min windows; bundle ~${fmtInt(bundleBytes / INCIDENT_QUERIES / 1024)} KiB`;
      out.push({ name: 'GET /api/incidents/<id>/bundle p50 (HTTP round trip)', figure: percentile(bundleMs, 0.5), unit: 'ms', dataSize: bundleSize, goal: '≤ 100 ms' });
      out.push({ name: 'GET /api/incidents/<id>/bundle p95 (HTTP round trip)', figure: percentile(bundleMs, 0.95), unit: 'ms', dataSize: bundleSize, goal: '≤ 100 ms' });
      out.push({ name: 'incident bundle build p95 (server side, /api/incidents/stats)', figure: server.p95Ms, unit: 'ms', dataSize: `${server.count} builds; ${bundleSize}`, goal: '≤ 100 ms' });

      // The figures of a 7- and a 30-day period, first asked (the server caches an answer until a record arrives).
      for (const days of [7, 30]) {
        const to = Math.floor(range.to / 60_000) * 60_000, from = to - days * 86_400_000;
        const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
        const m = await call(`/api/metrics?${q}`);
        const t = await call(`/api/metrics/trend?${q}&buckets=60`);
        out.push({ name: `GET /api/metrics over ${days} days, uncached (HTTP round trip)`, figure: m.ms, unit: 'ms', dataSize: `${days} of the ${size}` });
        out.push({ name: `GET /api/metrics/trend over ${days} days, 60 buckets, uncached (HTTP round trip)`, figure: t.ms, unit: 'ms', dataSize: `${days} of the ${size}` });
      }

      // Scrub to scene in headless Chromium, on the same app and data.
      const scrubs = await measureScrubs(base, token, range, rand);
      const stateP50 = percentile(stateMs, 0.5);
      const scrubSize = `${scrubs.ms.length} timed scrubs (${SCRUB_WARMUP} untimed first, ${scrubs.skipped} skipped: cursor already shown) at random x, ${SCRUBS_PER_RANGE} in each of ${SCRUB_RANGES} 7-day ranges spread over ${size}; ${SCRUB_VIEW.width}×${SCRUB_VIEW.height} px, SwiftShader`;
      const scrubName = (p: string) => `timeline scrub to scene ${p}, headless Chromium (pointer release → first scene frame drawn with the state at the cursor; includes the ${STATE_DEBOUNCE_MS} ms scrub debounce)`;
      const baseline = { name: 'GET /api/state?at=T p50, HTTP round trip from Node (no debounce, no browser)', figure: stateP50 };
      out.push({ name: scrubName('p50'), figure: percentile(scrubs.ms, 0.5), unit: 'ms', dataSize: scrubSize, baseline });
      out.push({ name: scrubName('p95'), figure: percentile(scrubs.ms, 0.95), unit: 'ms', dataSize: scrubSize, baseline });
      // Where the time goes: the state is in the scene's buffer at the first rAF that sees it; the rest is the frame that draws it.
      out.push({
        name: `timeline scrub: pointer release → state at the cursor in the scene's buffer p50 (first rAF with shownAt === cursor, before the frame is drawn; includes the ${STATE_DEBOUNCE_MS} ms debounce)`,
        figure: percentile(scrubs.pollMs, 0.5), unit: 'ms', dataSize: `${scrubs.pollMs.length} of the scrubs above`,
      });

      // A door event 6 h late (a controller flushing a shift's offline buffer): the live state is folded again from
      // the store. Storing it drops the keyframes after it, so the replay starts at the latest keyframe before it
      // (the history keeps one an hour) and runs to the live watermark beside the live fold, which it holds only
      // for its last catch-up.
      const operator = await app.createToken('operator', 'bench');
      const doorId = facility.floors.flatMap((f) => f.doors).find((d) => d.reader)!.id;
      const lateAt = range.to - 6 * 3_600_000 + (Date.now() % 60_000); // not one stored by an earlier run on a reused store
      const ingestRes = await fetch(`${base}/api/ingest`, {
        method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ ts: lateAt, type: 'door.opened', door: doorId }]),
      });
      const ingestBody = await ingestRes.json() as { late: number };
      if (ingestBody.late !== 1) throw new Error(`history bench: the late event was not late: ${JSON.stringify(ingestBody)}`);
      const t0 = performance.now();
      let refold = app.pipeline.stats();
      while (refold.refolds < 1 && performance.now() - t0 < 120_000) {
        await sleep(20);
        refold = app.pipeline.stats();
      }
      if (refold.refolds < 1) throw new Error('history bench: no refold within 120 s of a late event');
      const keyframe = await store.snapshotAtOrBefore(lateAt);
      const refoldSize = `replayed from the keyframe ${keyframe ? `${(((app.pipeline.state.sealed ?? 0) - keyframe.ts) / 3_600_000).toFixed(1)} h` : '(none)'} before the live watermark; ${size}`;
      out.push({ name: 'refold of the live state for one event 6 h late, in all', figure: refold.refoldMsMax, unit: 'ms', dataSize: refoldSize });
      out.push({ name: 'refold of the live state for one event 6 h late: time the live fold was held (last catch-up)', figure: refold.refoldPauseMsMax, unit: 'ms', dataSize: refoldSize });
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(2)} ${r.unit}${r.goal ? `  goal ${r.goal}` : ''}  [${r.dataSize}]`);
}
