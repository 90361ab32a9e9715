// Helpers for driving the app in a browser: open it, wait until the scene is
// ready and the camera at rest, read window.__twinspace, decode screenshots.
import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import type { App, AppOptions } from '../../server/app.ts';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { DEMO_PLANT, readFacilityFile } from '../../server/shared.ts';
import type { FrameTimes, RenderInfo } from '../../src/app/debug.ts';
import type { Pose } from '../../src/app/url.ts';

/** The demo plant, or the small fixture while the demo plant is not there. */
export function demoFacility(): Facility {
  return readFacilityFile(existsSync(DEMO_PLANT) ? DEMO_PLANT : new URL('../fixtures/small-plant.json', import.meta.url).pathname);
}

/** The tiny fixture plant, open at all hours (so tests about doors raise no after-hours alarms). */
export function tinyFacility(): Facility {
  const f = readFacilityFile(new URL('../fixtures/tiny-facility.json', import.meta.url).pathname);
  delete (f as { businessHours?: unknown }).businessHours;
  return f;
}

/** The small two-floor fixture (fast, hand-checked geometry). */
export function smallFacility(): Facility {
  return readFacilityFile(new URL('../fixtures/small-plant.json', import.meta.url).pathname);
}

/** A page of the given CSS size (device scale 1) that fails the test on page errors when asked. */
export async function newPage(browser: Browser, width = 1600, height = 900): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  return ctx.newPage();
}

/** Waits until the facility is drawn and the camera is at rest. */
export async function waitReady(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => window.__twinspace?.ready === true, undefined, { timeout });
  await waitResting(page, timeout);
}

/** Waits until no camera transition is under way and a frame has been drawn since. */
export async function waitResting(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => window.__twinspace?.resting() === true, undefined, { timeout, polling: 50 });
  // One more frame so what is on screen is the rested pose (labels included).
  await nextFrame(page);
}

/** Asks for a frame and waits until it is drawn. */
export async function nextFrame(page: Page): Promise<void> {
  // NOTE: a string, so the test transform cannot wrap named functions in helpers the page lacks (__name).
  await page.evaluate(`new Promise((resolve) => {
    const t = window.__twinspace, f = t.frames;
    t.invalidate();
    (function tick() { if (t.frames > f) resolve(); else requestAnimationFrame(tick); })();
  })`);
}

export const info = (page: Page): Promise<RenderInfo | null> => page.evaluate(() => window.__twinspace!.info());
export const renders = (page: Page): Promise<Record<string, number>> => page.evaluate(() => ({ ...window.__twinspace!.renders }));
export const pose = (page: Page): Promise<Pose | null> => page.evaluate(() => window.__twinspace!.pose());
export const measureFrames = (page: Page, n: number, orbit: boolean): Promise<FrameTimes | null> =>
  page.evaluate(([k, o]) => window.__twinspace!.measureFrames(k, o), [n, orbit] as const);
export const project = (page: Page, id: string): Promise<{ x: number; y: number } | null> => page.evaluate((x) => window.__twinspace!.project(x), id);

/** A decoded screenshot. */
export interface Shot { width: number; height: number; data: Buffer }

/** Screenshot of the page (or a clip), decoded to RGBA. */
export async function shot(page: Page, clip?: { x: number; y: number; width: number; height: number }): Promise<Shot> {
  const buf = await page.screenshot(clip ? { clip } : {});
  const png = PNG.sync.read(buf);
  return { width: png.width, height: png.height, data: png.data };
}

/** The [r, g, b] at (x, y). */
export function pixel(s: Shot, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * s.width + Math.round(x)) * 4;
  return [s.data[i]!, s.data[i + 1]!, s.data[i + 2]!];
}

/** Largest per-channel difference between two colours. */
export function colorDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}

/** Share of pixels whose largest channel difference exceeds `tolerance` (same-size shots). */
export function diffShare(a: Shot, b: Shot, tolerance = 24): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let bad = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (Math.abs(a.data[i]! - b.data[i]!) > tolerance || Math.abs(a.data[i + 1]! - b.data[i + 1]!) > tolerance || Math.abs(a.data[i + 2]! - b.data[i + 2]!) > tolerance) bad++;
  }
  return bad / (a.width * a.height);
}

/** How many distinct colours (quantised to 16 levels per channel) cover at least `minShare` of the shot. */
export function colorCount(s: Shot, minShare = 0.001): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.data.length; i += 4) {
    const k = ((s.data[i]! >> 4) << 8) | ((s.data[i + 1]! >> 4) << 4) | (s.data[i + 2]! >> 4);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const n = s.width * s.height;
  let c = 0;
  for (const v of counts.values()) if (v / n >= minShare) c++;
  return c;
}

export const projectPoint = (page: Page, floorId: string, x: number, y: number, z = 0): Promise<{ x: number; y: number } | null> =>
  page.evaluate(([f, a, b, c]) => window.__twinspace!.projectPoint(f, a, b, c), [floorId, x, y, z] as const);
export const viewState = (page: Page) => page.evaluate(() => window.__twinspace!.state());

/** Opens the app at `url` (path and query) and waits until it is ready. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitReady(page);
}

/** What most browser tests start with: a server on `opts` (ready), a browser, and a page that collects its errors. */
export async function startSession(opts: Partial<AppOptions>): Promise<{ app: App; url: string; browser: Browser; page: Page; errors: string[] }> {
  const { app, url } = await startServer(opts);
  await app.ready;
  const browser = await launchBrowser();
  const page = await newPage(browser);
  return { app, url, browser, page, errors: watchErrors(page) };
}

/** Closes what `startSession` opened (either may be missing when it failed). */
export async function endSession(browser: Browser | undefined, app: App | undefined): Promise<void> {
  await browser?.close();
  await app?.close();
}
