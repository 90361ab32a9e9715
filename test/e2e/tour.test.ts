// The control-room tour in headless Chromium on the demo plant: it visits
// stop after stop (the title changes, so does the picture) with nothing to
// click and no cursor; an alarm raised over HTTP preempts it within ~2 s and
// it resumes once the alarm is acknowledged; and when its server is killed
// and started again it says plainly that there is no live data, then
// recovers by itself, without a reload.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { demoFacility, diffShare, newPage, shot, type Shot } from './app-driver.ts';
import type { App } from '../../server/app.ts';
import type { TourDebug } from '../../src/app/tour/debugTour.ts';
import { MIN_ALARM_MS } from '../../src/app/tour/sequencer.ts';
import { freePort } from '../integration/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'server/twinspace.mjs');
const facility = demoFacility();
/** A reader door of a critical zone: opening it without a badge is a forced door. */
const door = facility.floors.flatMap((f) => f.doors.filter((d) => d.reader && d.zones.some((z) => f.zones.find((x) => x.id === z)?.critical)))[0]!;

let app: App;
let url: string;
let browser: Browser;
let page: Page;
let errors: string[];
let viewer: string;
let operator: string;

const tour = (p: Page): Promise<TourDebug> => p.evaluate(() => window.__twinspace!.tour!());

async function post(base: string, token: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** Opens the tour and waits until its first frame is drawn and a stop is on. */
async function openTour(p: Page, href: string): Promise<void> {
  await p.goto(href);
  await p.waitForFunction(() => window.__twinspace?.ready === true && (window.__twinspace.tour?.().step ?? 0) > 0, undefined, { timeout: 60_000 });
}

beforeAll(async () => {
  ({ app, url } = await startServer({ facility }));
  viewer = await app.createToken('viewer');
  operator = await app.createToken('operator');
  browser = await launchBrowser();
  page = await newPage(browser, 1280, 720);
  errors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the control-room tour', () => {
  it('visits stop after stop: the title changes and so does the picture; no cursor, nothing to click', async () => {
    await openTour(page, `${url}/tour?token=${viewer}&dwell=2`);
    const shots: Shot[] = [];
    const titles: string[] = [];
    const keys: string[] = [];
    while (keys.length < 3) {
      // The stop and the title on screen, read together.
      const s = await page.evaluate(() => ({ t: window.__twinspace!.tour!(), shown: document.querySelector('.tour-title [data-title]')?.textContent ?? null }));
      const t = s.t;
      if (t.phase === 'stop' && t.stopKey && !keys.includes(t.stopKey) && s.shown === t.title) {
        titles.push(t.title ?? '');
        keys.push(t.stopKey);
        shots.push(await shot(page));
      }
      // Until the next stop begins or the title on screen changes.
      await page.waitForFunction(([step, shown]) => window.__twinspace!.tour!().step > step || document.querySelector('.tour-title [data-title]')?.textContent !== shown, [t.step, s.shown] as const, { timeout: 10_000 });
    }
    expect(new Set(titles).size).toBe(3);
    expect(diffShare(shots[0]!, shots[1]!)).toBeGreaterThan(0.02);
    expect(diffShare(shots[1]!, shots[2]!)).toBeGreaterThan(0.02);
    // Each stop shows its tiles with the period they cover.
    await expect.poll(() => page.locator('.tour-tiles .tt').count()).toBeGreaterThan(2);
    expect(await page.locator('[data-window]').textContent()).toMatch(/^Last 24 h · /);
    // No cursor and nothing to click: every pointer lands on the shield, and there is no control.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.tour')!).cursor)).toBe('none');
    expect(await page.evaluate(() => document.elementFromPoint(innerWidth / 3, innerHeight / 2)?.className)).toBe('tour-shield');
    expect(await page.locator('button, a[href], input, select, textarea').count()).toBe(0);
    // The strip always says the link's state and the data's age.
    expect(await page.locator('.tour-strip').getAttribute('data-link')).toBe('live');
    expect(await page.locator('[data-age]').textContent()).toMatch(/^Data .+ old$/);
  });

  it('an alarm raised over HTTP preempts the tour (card within ~2 s); the tour resumes once it is acknowledged', async () => {
    const before = await tour(page);
    expect(before.phase).toBe('stop');
    const ts = Date.now();
    const r = await post(url, operator, '/api/ingest', [
      { ts: new Date(ts).toISOString(), type: 'door.opened', door: door.id },
      { ts: new Date(ts + 1_500).toISOString(), type: 'door.closed', door: door.id },
    ]);
    expect(r.status).toBeLessThan(300);
    const alarmId = `door-forced:${door.id}:${ts}`;
    const t0 = Date.now();
    await page.locator(`.tour-alarm[data-alarm="${alarmId}"][data-state="open"]`).waitFor({ timeout: 5_000 });
    const shownAfterMs = Date.now() - t0;
    expect(shownAfterMs).toBeLessThan(3_000);
    const during = await tour(page);
    expect(during).toMatchObject({ phase: 'alarm', alarmId });
    expect(await page.locator('.tour-alarm .ta-kind').textContent()).toBe('Door forced');
    expect(await page.locator('.tour-alarm .ta-facts').textContent()).toContain(door.id);
    expect(await page.locator('.tour-title [data-title]').textContent()).toBe(`Door forced · ${door.id}`);
    // The view flew to the door: its floor, the door highlighted.
    expect(await page.evaluate(() => window.__twinspace!.state())).toMatchObject({ selected: door.id, floorMode: 'single' });
    // It stays while nobody acknowledges it.
    await page.waitForTimeout(MIN_ALARM_MS);
    expect((await tour(page)).phase).toBe('alarm');
    // Acknowledged by an operator elsewhere: the card says so, then the tour resumes where it was.
    const ack = await post(url, operator, `/api/alarms/${encodeURIComponent(alarmId)}/ack`, {});
    expect(ack.status).toBeLessThan(300);
    await page.locator('.tour-alarm[data-state="acknowledged"]').waitFor({ timeout: 5_000 }).catch(() => {}); // may already be gone
    await expect.poll(async () => (await tour(page)).phase, { timeout: 10_000 }).toBe('stop');
    // It resumed where it was when the alarm came.
    const h = (await tour(page)).history;
    const at = h.findIndex((x) => x.phase === 'alarm' && x.key === alarmId);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(h[at + 1]).toMatchObject({ phase: 'stop', key: during.stopKey });
    await expect.poll(() => page.locator('.tour-tiles').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

/** A free TCP port on loopback. */
describe('the tour when its server goes away', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-tour-'));
  const db = `sqlite:${join(dir, 'tour.db')}`;
  let port = 0;
  let child: ChildProcess | null = null;
  let base = '';

  /** Starts `twinspace serve` on the fixed port and db; resolves when it listens. */
  const serve = (): Promise<ChildProcess> => new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db, '--no-simulate'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { c.kill('SIGKILL'); reject(new Error(`serve did not start:\n${out}`)); }, 30_000);
    c.stdout!.on('data', (b: Buffer) => { out += b.toString(); if (out.includes('serving')) { clearTimeout(timer); resolve(c); } });
    c.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    c.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${out}`)); });
  });
  const kill = (c: ChildProcess): Promise<void> => new Promise((resolve) => {
    if (c.exitCode !== null) { resolve(); return; }
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });
  const token = async (role: string): Promise<string> => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'token', 'create', '--role', role, '--db', db], { cwd: ROOT });
    return stdout.trim();
  };
  const reading = (tok: string) => post(base, tok, '/api/ingest', { ts: new Date().toISOString(), sensor: facility.floors[0]!.sensors.find((s) => s.kind === 'temperature')!.id, value: 20.5 });

  afterAll(async () => {
    if (child) await kill(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows "no live data" while the server is down, then recovers by itself without a reload', async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Durable tokens made before the server starts (as a wall display's would be).
    const wall = await token('viewer');
    const feed = await token('operator');
    child = await serve();
    const p = await newPage(browser, 1280, 720);
    const errs = watchErrors(p);
    await openTour(p, `${base}/tour?token=${wall}&dwell=3`);
    await p.evaluate(() => { (window as unknown as { __noReload: number }).__noReload = 1; });
    const strip = p.locator('.tour-strip');
    await expect.poll(() => strip.getAttribute('data-link'), { timeout: 15_000 }).toBe('live');
    expect((await reading(feed)).status).toBeLessThan(300);
    await expect.poll(() => strip.getAttribute('data-level'), { timeout: 10_000 }).toBe('live');
    expect(await p.locator('[data-headline]').isVisible()).toBe(false);

    await kill(child);
    child = null;
    await expect.poll(() => strip.getAttribute('data-level'), { timeout: 10_000 }).toBe('down');
    const banner = p.locator('[data-headline]');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/^NO LIVE DATA — reconnecting since \d\d:\d\d$/);
    expect(await p.locator('.tour').getAttribute('data-level')).toBe('down');
    // The tour goes on meanwhile.
    const step = (await tour(p)).step;
    await expect.poll(async () => (await tour(p)).step, { timeout: 10_000 }).toBeGreaterThan(step);

    child = await serve();
    await expect.poll(() => strip.getAttribute('data-link'), { timeout: 30_000 }).toBe('live');
    expect((await reading(feed)).status).toBeLessThan(300);
    await expect.poll(() => strip.getAttribute('data-level'), { timeout: 10_000 }).toBe('live');
    expect(await banner.isVisible()).toBe(false);
    expect(await p.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1);
    // The figures came back too.
    await expect.poll(() => p.locator('.tour-tiles .tt').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(errs.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/i.test(e))).toEqual([]);
    await p.context().close();
  });
});
