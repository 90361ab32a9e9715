// Timeline bookmarks (issue 6) in headless Chromium against a real in-process
// server with auth on: ★ Bookmark opens an inline note form (never a
// window.prompt), Enter saves and Escape cancels, typing a note fires no
// global shortcut; the marker carries the note, survives a reload and moves
// the cursor when clicked; the bookmark list deletes one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { watchErrors } from './harness.ts';
import { endSession, newPage, open, startSession, tinyFacility, viewState } from './app-driver.ts';
import type { App } from '../../server/app.ts';

/** Every shortcut key the note passes through the focused input: none may fire. */
const NOTE = 'Forklift parked at dock 2? Check zone w/ cameras [x] & sensors; log it (b)';
/** The replayed moment: two hours ago, on a whole second (the URL's `t=` round-trips exactly). */
const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;

let app: App;
let url: string;
let browser: Browser;
let page: Page;
let errors: string[];
/** Browser dialogs opened (alert, confirm, prompt): there must be none. */
const dialogs: string[] = [];
let operator: string;

beforeAll(async () => {
  ({ app, url, browser, page, errors } = await startSession({ facility: tinyFacility(), auth: true }));
  operator = await app.createToken('operator', 'ops-desk');
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
});

afterAll(() => endSession(browser, app));

const iso = (ms: number) => new Date(ms).toISOString();
/** formatUtc (hud/Timeline.tsx) as the page shows it. */
const utc = (ms: number) => `${iso(ms).slice(0, 19).replace('T', ' ')} UTC`;
const tl = (p: Page) => p.evaluate(() => window.__twinspace!.timeline!());
const stored = (p: Page) => p.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('twinspace.bookmarks.')).map(([, v]) => JSON.parse(v) as unknown));
const focused = (p: Page) => p.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}.${a.className}${a.getAttribute('name') ? `[name=${a.getAttribute('name')}]` : ''}` : ''; });

describe('timeline bookmarks', () => {
  it('bookmarks the cursor with a note in an inline form, keeps it over a reload, jumps to it and deletes it', async () => {
    const at = `${url}/?token=${operator}&view=plan&floors=single&floor=L1&t=${iso(T0)}`;
    await open(page, at);
    await expect.poll(() => page.locator('.timeline [data-testid="timeline-mode"]').textContent()).toBe('REPLAY');
    await expect.poll(() => tl(page).then((s) => s.cursor)).toBe(T0);
    expect(await page.locator('.tl-bookmark').count()).toBe(0);
    await page.evaluate(() => window.__twinspace!.select('CR-1'));
    await expect.poll(() => viewState(page).then((s) => s.selected)).toBe('CR-1');
    const before = await viewState(page);

    // ★ Bookmark: the form shows the cursor time and takes the focus; typing fires no shortcut; Enter saves.
    await page.locator('.timeline .tl-mark').click();
    const form = page.locator('.timeline .tl-pop-note');
    await expect.poll(() => form.count()).toBe(1);
    expect(await form.locator('time').textContent()).toBe(utc(T0));
    expect(await focused(page)).toBe('input.[name=note]');
    expect(await form.locator('input').getAttribute('maxlength')).toBe('200');
    await page.keyboard.type(NOTE);
    expect(await form.locator('input').inputValue()).toBe(NOTE);
    expect(await viewState(page)).toEqual(before);
    expect(await page.locator('.dialog').count()).toBe(0); // neither help (?) nor search (/) opened
    await page.keyboard.press('Enter');
    await expect.poll(() => form.count()).toBe(0);
    const marker = page.locator(`.tl-bookmark[data-at="${T0}"]`);
    await expect.poll(() => marker.count()).toBe(1);
    expect(await marker.getAttribute('title')).toContain(NOTE);
    expect(await marker.getAttribute('title')).toContain(utc(T0));
    expect(await page.locator('.timeline .tl-marks').textContent()).toBe('1 ▾');
    expect(await focused(page)).toBe('button.tl-mark');
    expect(await stored(page)).toEqual([[{ at: T0, note: NOTE }]]);

    // A reload restores it from localStorage.
    await open(page, at);
    await expect.poll(() => marker.count()).toBe(1);
    expect(await marker.getAttribute('title')).toContain(NOTE);

    // Elsewhere on the bar, `b` opens the form there; Escape cancels: nothing added, the selection kept.
    await page.evaluate(() => window.__twinspace!.select('CR-1'));
    const bar = page.locator('.timeline .tl-bar');
    const box = (await bar.boundingBox())!;
    await bar.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
    const t1 = Math.round((await tl(page)).cursor);
    expect(Math.abs(t1 - T0)).toBeGreaterThan(60_000);
    await page.keyboard.press('b');
    await expect.poll(() => form.count()).toBe(1);
    expect(await form.locator('time').textContent()).toBe(utc(t1));
    expect(await form.locator('input').inputValue()).toBe(''); // the shortcut's "b" was not typed into the note
    await page.keyboard.type('discard me');
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    expect(await page.locator('.tl-bookmark').count()).toBe(1);
    expect(await stored(page)).toEqual([[{ at: T0, note: NOTE }]]);
    expect((await viewState(page)).selected).toBe('CR-1');
    // Cancel does the same.
    await page.locator('.timeline .tl-mark').click();
    await page.keyboard.type('discard me too');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await page.locator('.tl-bookmark').count()).toBe(1);

    // Clicking the marker moves the cursor there and the scene follows.
    await marker.click();
    await expect.poll(() => tl(page).then((s) => s.cursor)).toBe(T0);
    await expect.poll(() => tl(page).then((s) => s.shownAt), { timeout: 10_000 }).toBe(T0);

    // The list shows the note (current: the cursor is on it); × deletes it, here and in storage.
    await page.locator('.timeline .tl-marks').click();
    const row = page.locator(`.timeline .tl-pop-list li[data-at="${T0}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.tl-note-text').textContent()).toBe(NOTE);
    expect(await row.getAttribute('class')).toBe('current');
    await row.getByRole('button', { name: `Delete the bookmark at ${utc(T0)}` }).click();
    await expect.poll(() => marker.count()).toBe(0);
    expect(await page.locator('.timeline .tl-pop-list li').count()).toBe(0);
    expect(await stored(page)).toEqual([[]]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.timeline .tl-pop').count()).toBe(0);
    await open(page, at);
    expect(await page.locator('.tl-bookmark').count()).toBe(0);

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps every timeline control on screen on a 1280 px wide window (symbols stay, words go)', async () => {
    const p = await newPage(browser, 1280, 800);
    const errs = watchErrors(p);
    await open(p, `${url}/?token=${operator}&t=${iso(T0)}`);
    const fits = () => p.evaluate(() => {
      const c = document.querySelector('.timeline .tl-controls')!, r = c.getBoundingClientRect();
      const out = [...c.querySelectorAll('button, select')].filter((b) => { const q = b.getBoundingClientRect(); return q.width > 0 && q.right > r.right + 0.5; });
      return { overflow: c.scrollWidth - c.clientWidth, clipped: out.map((b) => b.className) };
    });
    await expect.poll(fits).toEqual({ overflow: 0, clipped: [] });
    await p.locator('.timeline .tl-mark').click();
    await p.locator('.timeline .tl-note input').waitFor();
    expect(dialogs).toEqual([]);
    expect(errs).toEqual([]);
    await p.context().close();
  });
});
