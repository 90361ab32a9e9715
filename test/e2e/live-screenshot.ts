// Refreshes docs/live-alarms.png (1600 × 900): the demo plant live, with its
// simulator feeding readings (zones in temperature-vs-spec colours), a few
// alarms in the queue (one acknowledged by a simulated operator) and the
// toast of the newest. `npx vite build && npx tsx test/e2e/live-screenshot.ts`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { demoFacility, newPage, open, waitResting } from './app-driver.ts';
import { startLiveSimulation } from '../../server/sim/run.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const facility = demoFacility();
const ground = [...facility.floors].sort((a, b) => a.elevation - b.elevation)[0]!;
const readers = ground.doors.filter((d) => d.reader && d.zones.some((z) => z.startsWith('CR-') || z.startsWith('AL-')));
const [forcedDoor, burstDoor, lateDoor] = [readers[0]!, readers[1]!, readers[2]!];

const { app, url } = await startServer({ facility, auth: true });
await app.ready;
const operator = await app.createToken('operator', 'ops-desk');
const simOperator = await app.createToken('operator', 'sim:operator-2');
const sim = startLiveSimulation(app.pipeline, app.index, Date.now, { seed: 7 });
const browser = await launchBrowser();

async function post(path: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`Twinspace screenshot: ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
const iso = (ms: number) => new Date(ms).toISOString();
const openAlarms = () => Object.values(app.pipeline.state.alarms).filter((a) => a.resolvedAt === null);
async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Twinspace screenshot: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  mkdirSync(DOCS, { recursive: true });
  const page = await newPage(browser, 1600, 900);
  const errors = watchErrors(page);
  await open(page, `${url}/?token=${operator}&view=3d&floors=stack&floor=${ground.id}&layers=zones,temperature,walls,doors,cameras,labels`);
  await page.waitForFunction(() => window.__twinspace!.live().status === 'live');

  // Readings from the simulator, with two zones pushed off spec (one warm, one cold).
  const temp = (zone: string) => ground.sensors.filter((s) => s.zone === zone && s.kind === 'temperature').map((s) => s.id);
  const specZones = ground.zones.filter((z) => z.temperature && temp(z.id).length > 0);
  const warm = specZones.find((z) => z.id.startsWith('CR-')) ?? specZones[0]!;
  const cold = specZones.find((z) => z.id.startsWith('CLD-') || z.id.startsWith('STB-')) ?? specZones[1]!;
  await until('readings', () => Object.keys(app.pipeline.state.sensors).length > 20);

  // Earlier alarms: a denied burst (acknowledged by a simulated operator) and a door let through and held open.
  const t = Date.now();
  await post('/api/ingest', operator, [
    ...[1, 2, 3].map((k) => ({ ts: iso(t + k), type: 'access.denied', door: burstDoor.id, badge: 'B-4411' })),
    { ts: iso(t + 10), type: 'access.granted', door: lateDoor.id, badge: 'B-2031' },
    { ts: iso(t + 900), type: 'door.opened', door: lateDoor.id },
  ]);
  await until('a denied burst', () => openAlarms().some((a) => a.kind === 'denied-burst'));
  const burst = openAlarms().find((a) => a.kind === 'denied-burst')!;
  await post(`/api/alarms/${encodeURIComponent(burst.id)}/ack`, simOperator, {});
  await until('a held door', () => openAlarms().some((a) => a.kind === 'door-held'), (lateDoor.heldOpenSeconds + 10) * 1000);

  // The newest alarm, a forced door, with its toast (the older toasts dismissed).
  await post('/api/ingest', operator, { ts: iso(Date.now()), type: 'door.opened', door: forcedDoor.id });
  const toast = page.locator(`.toast[data-alarm^="door-forced:${forcedDoor.id}:"]`);
  await toast.waitFor({ timeout: 10_000 });
  for (const other of await page.locator('.toast').all()) {
    if ((await other.getAttribute('data-alarm'))?.startsWith(`door-forced:${forcedDoor.id}:`)) continue;
    await other.locator('button.close').click();
  }

  // Fresh readings with two zones off spec (one warm, one cold) over the simulator's.
  const now = Date.now();
  const sp = (z: typeof warm) => z.temperature!;
  await post('/api/ingest', operator, [
    ...temp(warm.id).map((s) => ({ ts: iso(now), sensor: s, value: sp(warm).setpoint + sp(warm).tolerance * 1.6 })),
    ...temp(cold.id).map((s) => ({ ts: iso(now), sensor: s, value: sp(cold).setpoint - sp(cold).tolerance * 1.4 })),
  ]);
  await page.mouse.move(5, 5);
  await page.waitForTimeout(700); // a telemetry frame (250 ms tick) and the live ages' next second
  await waitResting(page);
  await page.screenshot({ path: `${DOCS}live-alarms.png` });

  const real = errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
  if (real.length) throw new Error(`Twinspace screenshot: the page reported errors:\n${real.join('\n')}`);
  console.log(`screenshot: wrote live-alarms.png to ${DOCS} (warm ${warm.id}, cold ${cold.id}, forced ${forcedDoor.id}, alarms ${openAlarms().length})`);
} finally {
  sim.stop();
  await browser.close();
  await app.close();
}
