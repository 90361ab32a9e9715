// Incident reconstruction in headless Chromium against a real in-process
// server with auth on: a forced door posted over HTTP raises an alarm; its
// "Reconstruct" opens the incident with the cursor 30 s before the onset and
// the scene showing the replayed state (door closed), then open at the
// onset; play advances the cursor; Back to live resumes live data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { newPage, open } from './app-driver.ts';
import type { App } from '../../server/app.ts';
import { readFacilityFile } from '../../server/shared.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { DOOR_COLORS } from '../../src/scene/palette.ts';

function tinyFacility(): Facility {
  const f = readFacilityFile(new URL('../fixtures/tiny-facility.json', import.meta.url).pathname);
  delete (f as { businessHours?: unknown }).businessHours;
  return f;
}

const DOOR = 'D-1'; // a reader door between CR-1 and COR-1

let app: App;
let url: string;
let browser: Browser;
let page: Page;
let errors: string[];
let operator: string;
/** The alarm of the first test and its onset (the URL test reopens it). */
let alarm = { id: '', onset: 0 };

beforeAll(async () => {
  ({ app, url } = await startServer({ facility: tinyFacility(), auth: true }));
  await app.ready;
  operator = await app.createToken('operator', 'ops-desk');
  browser = await launchBrowser();
  page = await newPage(browser);
  errors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function ingest(records: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/ingest`, {
    method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify(records),
  });
  const body = await res.json() as { rejected: unknown[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.rejected).toEqual([]);
}

const iso = (ms: number) => new Date(ms).toISOString();
const tl = (p: Page) => p.evaluate(() => window.__twinspace!.timeline!());
const door = (p: Page, id: string) => p.evaluate((x) => window.__twinspace!.door!(x), id);
const colorOf = (p: Page, id: string) => p.evaluate((x) => window.__twinspace!.color(x), id);
const live = (p: Page) => p.evaluate(() => window.__twinspace!.live());

describe('incident reconstruction', () => {
  it('replays a forced door: closed before the onset, open at it; plays; back to live', async () => {
    await open(page, `${url}/?token=${operator}&view=plan&floors=single&floor=L1`);
    await expect.poll(() => live(page).then((l) => l.status), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => page.locator('.timeline [data-testid="timeline-mode"]').textContent()).toBe('LIVE');

    // A grant-less open at a reader door: door-forced at T; the door closes again later.
    const t = Date.now();
    await ingest([{ ts: iso(t), type: 'door.opened', door: DOOR }]);
    const row = page.locator('.alarm-row[data-kind="door-forced"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await ingest([{ ts: iso(Date.now()), type: 'door.closed', door: DOOR }]);
    const alarmId = await row.getAttribute('data-alarm');
    expect(alarmId).toBe(`door-forced:${DOOR}:${t}`);
    alarm = { id: alarmId!, onset: t };

    // Reconstruct: the incident loads, the cursor sits 30 s before the onset, the scene shows the door closed.
    await row.locator('.reconstruct').click();
    await expect.poll(() => page.locator('.incident-panel').getAttribute('data-loaded'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => page.locator('.timeline [data-testid="timeline-mode"]').textContent()).toBe('REPLAY');
    await expect.poll(() => tl(page).then((s) => s.shownAt), { timeout: 10_000 }).toBe(t - 30_000);
    expect(await door(page, DOOR)).toEqual({ open: false, state: 0 });
    await expect.poll(() => colorOf(page, DOOR)).toBe(DOOR_COLORS.reader);
    await expect.poll(() => page.evaluate(() => window.__twinspace!.state().selected)).toBe(DOOR);
    expect(await page.locator('.incident-panel .inc-events li').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('incident=');

    // At the onset: the door is open (drawn forced: the alarm is open at T) and the onset event is current.
    await page.locator('.incident-panel .inc-onset').click();
    await expect.poll(() => tl(page).then((s) => s.shownAt), { timeout: 10_000 }).toBe(t);
    expect((await door(page, DOOR))?.open).toBe(true);
    await expect.poll(() => colorOf(page, DOOR)).toBe(DOOR_COLORS.forced);
    expect(await page.locator('.inc-events li.current .ev-type').textContent()).toBe('door.opened');
    await expect.poll(() => page.url()).toContain('t=');

    // Play: the cursor advances.
    const before = (await tl(page)).cursor;
    await page.locator('.timeline .tl-play').click();
    await expect.poll(() => tl(page).then((s) => s.cursor), { timeout: 10_000 }).toBeGreaterThan(before);
    await page.locator('.timeline .tl-play').click({ timeout: 5_000 }).catch(() => {}); // pause (it may have stopped at now already)

    // Back to live: LIVE shows; the door is its current self (closed, still forced), and live data flows again.
    await page.locator('.timeline .tl-live').click();
    await expect.poll(() => page.locator('.timeline [data-testid="timeline-mode"]').textContent()).toBe('LIVE');
    await expect.poll(() => door(page, DOOR)).toEqual({ open: false, state: 3 });
    const v0 = (await live(page)).version;
    await ingest([{ ts: iso(Date.now()), sensor: 'T-CR1-1', value: 20.5 }]);
    await expect.poll(() => live(page).then((l) => l.version), { timeout: 10_000 }).toBeGreaterThan(v0);
    expect(errors).toEqual([]);
  });

  it('restores the incident and the cursor from the URL', async () => {
    expect(alarm.id).not.toBe('');
    const other = await newPage(browser);
    const errs = watchErrors(other);
    await open(other, `${url}/?token=${operator}&view=plan&floors=single&floor=L1&incident=${encodeURIComponent(alarm.id)}&t=${iso(alarm.onset)}`);
    await expect.poll(() => other.locator('.incident-panel').getAttribute('data-loaded'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => tl(other).then((s) => s.shownAt), { timeout: 10_000 }).toBe(alarm.onset);
    expect((await door(other, DOOR))?.open).toBe(true);
    expect(await other.locator('.timeline [data-testid="timeline-mode"]').textContent()).toBe('REPLAY');
    expect(errs).toEqual([]);
    await other.context().close();
  });
});
