// Incident reconstruction in headless Chromium against a real in-process
// server with auth on: a forced door posted over HTTP raises an alarm; its
// "Reconstruct" opens the incident with the cursor 30 s before the onset and
// the scene showing the replayed state (door closed), then open at the
// onset; play advances the cursor; Back to live resumes live data. On a
// two-storey plant: the door and only the cameras that see it are
// highlighted (the frusta layer stays off), and a badge's trail through doors
// on both floors follows the cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, watchErrors } from './harness.ts';
import { colorDistance, endSession, newPage, nextFrame, open, pixel, projectPoint, shot, smallFacility, startSession, tinyFacility } from './app-driver.ts';
import type { App } from '../../server/app.ts';
import { DOOR_COLORS, hexToRgb, trailColor } from '../../src/scene/palette.ts';
import { TRAIL_HEIGHT_M } from '../../src/scene/BadgeTrails.tsx';

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
  ({ app, url, browser, page, errors } = await startSession({ facility: tinyFacility(), auth: true }));
  operator = await app.createToken('operator', 'ops-desk');
});

afterAll(() => endSession(browser, app));

async function ingest(records: unknown[], at = { url, token: '' }): Promise<void> {
  const res = await fetch(`${at.url}/api/ingest`, {
    method: 'POST', headers: { authorization: `Bearer ${at.token || operator}`, 'content-type': 'application/json' }, body: JSON.stringify(records),
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
    await expect.poll(() => page.url()).toContain('incident='); // written 250 ms after the cursor settles

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

  it('opens the incident from the find palette too', async () => {
    expect(alarm.id).not.toBe('');
    const p = await newPage(browser);
    const errs = watchErrors(p);
    await open(p, `${url}/?token=${operator}&view=plan&floors=single&floor=L1`);
    // Find: "/" then words of the alarm; Enter opens its incident.
    await p.keyboard.press('/');
    await p.locator('.search-input').fill('forced D-1');
    await expect.poll(() => p.locator('#search-results li').first().getAttribute('data-id')).toBe(alarm.id);
    expect(await p.locator('#search-results li').first().locator('.kind').textContent()).toBe('Alarm');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.locator('.incident-panel').getAttribute('data-alarm'), { timeout: 15_000 }).toBe(alarm.id);
    await expect.poll(() => tl(p).then((s) => s.shownAt), { timeout: 10_000 }).toBe(alarm.onset - 30_000);
    expect(errs).toEqual([]);
    await p.context().close();
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

describe('incident highlight and badge trails (two storeys)', () => {
  let plant: App;
  let plantUrl: string;
  let token: string;
  const BADGE = 'B-0007';

  beforeAll(async () => {
    const f = smallFacility();
    delete (f as { businessHours?: unknown }).businessHours;
    ({ app: plant, url: plantUrl } = await startServer({ facility: f, auth: true }));
    await plant.ready;
    token = await plant.createToken('operator', 'ops-desk');
  });
  afterAll(async () => { await plant?.close(); });

  it('highlights the door and only its covering cameras, and draws the badge’s trail through both floors in step with the cursor', async () => {
    const p = await newPage(browser);
    const errs = watchErrors(p);
    await open(p, `${plantUrl}/?token=${token}&view=plan&floors=single&floor=L1`);
    await expect.poll(() => live(p).then((l) => l.status), { timeout: 10_000 }).toBe('live');
    const at = { url: plantUrl, token };
    const pause = () => new Promise((r) => setTimeout(r, 1100));

    // B-0007 comes in at the east entrance (L1), goes upstairs to the lab (L2), is refused at clean room CR-101 (L1);
    // then CR-101's door is forced.
    const t1 = Date.now();
    await ingest([{ ts: iso(t1), type: 'access.granted', door: 'D-110', badge: BADGE }], at);
    await pause();
    const t2 = Date.now();
    await ingest([{ ts: iso(t2), type: 'access.granted', door: 'D-201', badge: BADGE }], at);
    await pause();
    const t3 = Date.now();
    await ingest([{ ts: iso(t3), type: 'access.denied', door: 'D-101', badge: BADGE }], at);
    await pause();
    const t4 = Date.now();
    await ingest([{ ts: iso(t4), type: 'door.opened', door: 'D-101' }], at);
    const row = p.locator('.alarm-row[data-kind="door-forced"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await ingest([{ ts: iso(Date.now()), type: 'door.closed', door: 'D-101' }], at);
    expect(await row.getAttribute('data-alarm')).toBe(`door-forced:D-101:${t4}`);

    await row.locator('.reconstruct').click();
    await expect.poll(() => p.locator('.incident-panel').getAttribute('data-loaded'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => tl(p).then((s) => s.shownAt), { timeout: 10_000 }).toBe(t4 - 30_000);

    // The highlight: the door and exactly the incident's cameras (recognition or better), each with its frustum;
    // the all-cameras frusta layer stays off.
    const inc = await (await fetch(`${plantUrl}/api/incidents/${encodeURIComponent(`door-forced:D-101:${t4}`)}`, { headers: { authorization: `Bearer ${token}` } })).json() as { cameras: { id: string }[] };
    expect(inc.cameras.length).toBeGreaterThan(0);
    expect(inc.cameras.length).toBeLessThan(smallFacility().floors.flatMap((f) => f.cameras).length);
    const hl = await p.evaluate(() => window.__twinspace!.highlights['incident']!);
    expect(hl.ids).toEqual(['D-101', ...inc.cameras.map((c) => c.id)]);
    expect(hl.segments).toBeGreaterThan(12 * inc.cameras.length); // each camera's box (12 edges) and its frustum edges
    expect(hl.triangles).toBeGreaterThan(0); // the footprints
    expect((await p.evaluate(() => window.__twinspace!.state().layers))['frusta']).toBe(false);
    expect(await p.locator('.inc-cameras li').count()).toBe(inc.cameras.length);

    // The trail: three steps on their doors' floors; 30 s before the onset the badge has taken none.
    const trails = () => p.evaluate(() => window.__twinspace!.trails!());
    const [trail] = await trails();
    expect(trail).toMatchObject({ badge: BADGE, color: trailColor(0), passed: 0 });
    expect(trail!.points).toEqual([{ floor: 'L1', x: 0, y: 14 }, { floor: 'L2', x: 10, y: 14 }, { floor: 'L1', x: 8, y: 12 }]);
    await expect.poll(() => p.locator(`.inc-badges li[data-badge="${BADGE}"]`).textContent()).toContain('D-110 → D-201 → D-101 ✕');

    // Step through the events: the marker walks the trail with the cursor.
    // Sampled 0.2 m off the door along y: inside the marker (r 0.35 m), off the trail's lines through it.
    const markerColour = async (floor: string, x: number, y: number) => {
      await nextFrame(p);
      const q = (await projectPoint(p, floor, x, y + 0.2, TRAIL_HEIGHT_M))!;
      return pixel(await shot(p), Math.round(q.x), Math.round(q.y));
    };
    const cursorTo = async (t: number) => {
      for (let i = 0; i < 10 && (await tl(p)).cursor < t; i++) await p.locator('.timeline .tl-next').click();
      await expect.poll(() => tl(p).then((s) => s.shownAt), { timeout: 10_000 }).toBe(t);
    };
    await cursorTo(t1);
    await expect.poll(() => trails().then((x) => x[0]!.passed)).toBe(1);
    expect(colorDistance(await markerColour('L1', 0, 14), hexToRgb(trailColor(0)))).toBeLessThanOrEqual(6);
    await cursorTo(t2);
    await expect.poll(() => trails().then((x) => x[0]!.passed)).toBe(2);
    await cursorTo(t3);
    await expect.poll(() => trails().then((x) => x[0]!.passed)).toBe(3);
    expect(colorDistance(await markerColour('L1', 8, 12), hexToRgb(trailColor(0)))).toBeLessThanOrEqual(6);
    // …and it is gone from D-110 (the colour there is no longer the marker's).
    expect(colorDistance(await markerColour('L1', 0, 14), hexToRgb(trailColor(0)))).toBeGreaterThan(40);

    // Closing the incident clears the highlight and the trails.
    await p.locator('.incident-panel .inc-close').click();
    await expect.poll(() => p.evaluate(() => window.__twinspace!.highlights['incident']!.ids)).toEqual([]);
    await expect.poll(() => trails()).toEqual([]);
    expect(errs).toEqual([]);
    await p.context().close();
  });
});
