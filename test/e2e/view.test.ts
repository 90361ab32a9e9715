// The view as state: the URL restores it exactly, back/forward walk it,
// plan view and help work from the keyboard, and a failed load says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, watchErrors } from './harness.ts';
import { diffShare, endSession, newPage, open, pose, shot, smallFacility, startSession, viewState, waitReady, waitResting } from './app-driver.ts';
import type { App } from '../../server/app.ts';

let app: App;
let url: string;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ app, url, browser, page, errors } = await startSession({ facility: smallFacility(), auth: false }));
});

afterAll(() => endSession(browser, app));

/** Waits until the camera pose has reached the address bar (the camera-move debounce). */
async function urlHasPose(p: Page): Promise<void> {
  const want = await pose(p);
  await expect.poll(async () => new URL(p.url()).searchParams.get('cam')).toBe(
    want!.kind === 'persp' ? `p:${[...want!.position, ...want!.target].join(',')}` : `o:${[...want!.target, want!.zoom].join(',')}`,
  );
}

describe('the view in the URL', () => {
  it('restores the same view after a reload from the URL', async () => {
    await open(page, `${url}/`);
    // Build a view by hand: a selection, another floor mode, a layer, an orbit.
    await page.evaluate(() => window.__twinspace!.select('CR-201'));
    await page.locator('[data-floor-mode="exploded"]').click();
    await page.locator('input[data-layer="frusta"]').check();
    await waitResting(page);
    const stage = (await page.locator('.stage').boundingBox())!;
    await page.mouse.move(stage.x + stage.width * 0.3, stage.y + stage.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(stage.x + stage.width * 0.3 + 120, stage.y + stage.height * 0.6 - 30, { steps: 6 });
    await page.mouse.up();
    await page.mouse.move(5, 5); // off the canvas: no hover highlight in the picture
    await waitResting(page);
    await urlHasPose(page);
    const shared = page.url();
    const q = new URL(shared).searchParams;
    expect(q.get('sel')).toBe('CR-201');
    expect(q.get('floors')).toBe('exploded');
    expect(q.get('layers')).toContain('frusta');
    const a = await shot(page);

    const other = await newPage(browser);
    const otherErrors = watchErrors(other);
    await open(other, shared);
    expect(await viewState(other)).toEqual(await viewState(page));
    expect(await pose(other)).toEqual(await pose(page));
    const b = await shot(other);
    expect(diffShare(a, b)).toBeLessThan(0.002);
    expect(otherErrors).toEqual([]);
    await other.context().close();
  });

  it('restores a plan view too', async () => {
    await open(page, `${url}/?view=plan&floor=L2&sel=CR-201`);
    await page.mouse.move(800, 500);
    await page.mouse.wheel(0, -400);
    await page.mouse.move(5, 5);
    await waitResting(page);
    await urlHasPose(page);
    const shared = page.url();
    expect(new URL(shared).searchParams.get('cam')).toMatch(/^o:/);
    const a = await shot(page);
    const other = await newPage(browser);
    await open(other, shared);
    expect(await pose(other)).toEqual(await pose(page));
    expect(diffShare(a, await shot(other))).toBeLessThan(0.002);
    await other.context().close();
  });

  it('walks back and forward through selections, floors and modes', async () => {
    await open(page, `${url}/?view=3d&floors=stack&floor=L1`);
    await urlHasPose(page);
    const start = await pose(page);
    await page.evaluate(() => window.__twinspace!.select('SRV-101'));
    await waitResting(page);
    await urlHasPose(page);
    const atServerRoom = await pose(page);
    await page.locator('[data-floor="L2"]').click();
    await expect.poll(() => viewState(page).then((s) => s.activeFloor)).toBe('L2');
    await page.keyboard.press('p');
    await expect.poll(() => viewState(page).then((s) => s.viewMode)).toBe('plan');
    await waitResting(page);

    await page.goBack();
    await expect.poll(() => viewState(page)).toMatchObject({ viewMode: '3d', activeFloor: 'L2', selected: 'SRV-101' });
    await page.goBack();
    await expect.poll(() => viewState(page)).toMatchObject({ viewMode: '3d', activeFloor: 'L1', selected: 'SRV-101' });
    await waitResting(page);
    expect(await pose(page)).toEqual(atServerRoom);
    await page.goBack();
    await expect.poll(() => viewState(page)).toMatchObject({ selected: null, activeFloor: 'L1' });
    await waitResting(page);
    expect(await pose(page)).toEqual(start);
    expect(await page.locator('.inspector').count()).toBe(0);

    await page.goForward();
    await expect.poll(() => viewState(page)).toMatchObject({ selected: 'SRV-101', activeFloor: 'L1' });
    await expect.poll(() => page.locator('.inspector').getAttribute('data-selected')).toBe('SRV-101');
    await page.goForward();
    await page.goForward();
    await expect.poll(() => viewState(page)).toMatchObject({ viewMode: 'plan', activeFloor: 'L2' });
    await waitResting(page);
    expect((await pose(page))!.kind).toBe('ortho');
    expect(errors).toEqual([]);
  });
});

describe('keyboard and help', () => {
  it('lists the shortcuts in a help overlay on "?", and they work', async () => {
    await open(page, `${url}/?view=3d&floors=stack&floor=L1`);
    await page.keyboard.press('?');
    const help = page.locator('.dialog.help');
    await expect.poll(() => help.isVisible()).toBe(true);
    const text = (await help.textContent())!;
    for (const s of ['Find a zone', 'Frame all', '3D / plan view', 'Floor up', 'Toggle sensors']) expect(text).toContain(s);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    await page.keyboard.press('2');
    await expect.poll(() => viewState(page).then((s) => s.activeFloor)).toBe('L2');
    await page.keyboard.press('PageDown');
    await expect.poll(() => viewState(page).then((s) => s.activeFloor)).toBe('L1');
    await page.keyboard.press('h');
    await expect.poll(() => viewState(page).then((s) => s.layers['hvac'])).toBe(true);
    await page.keyboard.press('p');
    await expect.poll(() => viewState(page).then((s) => s.viewMode)).toBe('plan');
    await waitResting(page);
    await page.keyboard.press('a');
    await waitResting(page);
    expect((await pose(page))!.kind).toBe('ortho');
  });
});

describe('loading', () => {
  it('shows the status and reason when the facility cannot be loaded', async () => {
    const secured = await startServer({ facility: smallFacility() }); // auth on, and this page has no token
    try {
      const p = await newPage(browser);
      await p.goto(`${secured.url}/`);
      const panel = p.locator('.status-panel.error');
      await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await panel.locator('.status-line').textContent()).toBe('HTTP 401');
      expect(await panel.locator('.reason').textContent()).toContain('Authorization');
      // With a token in the session, "Try again" loads it.
      const token = await secured.app.createToken('viewer');
      await p.evaluate((t) => sessionStorage.setItem('twinspace.token', t), token);
      await p.locator('.status-panel button').click();
      await waitReady(p);
      expect(await p.locator('.topbar .facility').textContent()).toBe('Small test plant');
      await p.context().close();
    } finally {
      await secured.app.close();
    }
  });
});
