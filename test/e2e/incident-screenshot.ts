// Refreshes docs/incident.png (1600 × 900): the demo plant with its
// simulator running, a badge walking through the doors next to a reader door
// that is then forced; the incident open (cursor at onset − 30 s) with the
// timeline, the event list and the badge's trail.
// `npx vite build && npx tsx test/e2e/incident-screenshot.ts`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { demoFacility, newPage, open, waitResting } from './app-driver.ts';
import { startLiveSimulation } from '../../server/sim/run.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const facility = demoFacility();
const ground = [...facility.floors].sort((a, b) => a.elevation - b.elevation)[0]!;
const forced = ground.doors.find((d) => d.reader && d.zones.some((z) => z.startsWith('CR-')))!;
const near = ground.doors.filter((d) => d.id !== forced.id && d.zones.some((z) => forced.zones.includes(z))).slice(0, 3);

const { app, url } = await startServer({ facility, auth: true });
await app.ready;
const operator = await app.createToken('operator', 'ops-desk');
const sim = startLiveSimulation(app.pipeline, app.index, Date.now, { seed: 7 });
const browser = await launchBrowser();
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

async function ingest(records: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
  if (!res.ok) throw new Error(`Twinspace screenshot: ingest answered ${res.status}: ${await res.text()}`);
}

try {
  const page = await newPage(browser, 1600, 900);
  const errors = watchErrors(page);
  await open(page, `${url}/?token=${operator}`);
  for (const d of near) {
    await ingest([{ ts: iso(Date.now()), type: 'access.granted', door: d.id, badge: 'B-0042' }]);
    await wait(400);
    await ingest([{ ts: iso(Date.now()), type: 'door.opened', door: d.id }]);
    await wait(300);
    await ingest([{ ts: iso(Date.now()), type: 'door.closed', door: d.id }]);
    await wait(400);
  }
  await ingest([{ ts: iso(Date.now()), type: 'door.opened', door: forced.id }]);
  await page.locator(`.alarm-row[data-kind="door-forced"][data-alarm*=":${forced.id}:"] .reconstruct`).click({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('.incident-panel')?.getAttribute('data-loaded') === 'true', undefined, { timeout: 15_000 });
  await page.waitForFunction(() => Number.isFinite(window.__twinspace!.timeline!().shownAt), undefined, { timeout: 15_000 });
  await page.locator('.incident-panel .inc-events li').nth(2).locator('button').click();
  await page.waitForFunction(() => { const t = window.__twinspace!.timeline!(); return t.shownAt === t.cursor; }, undefined, { timeout: 15_000 });
  await waitResting(page);
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: `${DOCS}incident.png` });
  console.log(`incident-screenshot: wrote docs/incident.png${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`);
} finally {
  sim.stop();
  await browser.close();
  await app.close();
}
