// Refreshes docs/kpi.png and docs/coverage.png (1600 × 900): the demo plant
// over 7 days of simulated history with its ROI inputs; the figures for 7 d
// with the server room's temperature chart open, and the coverage layer on
// the ground floor's plan. `npx vite build && npx tsx test/e2e/figures-screenshots.ts`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadRoiInputsText } from '../../src/core/metrics/roi.ts';
import { ROI_SETTING } from '../../server/api/metrics.ts';
import { DEMO_ROI, readTextFile } from '../../server/shared.ts';
import { backfill } from '../../server/sim/run.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { demoFacility, newPage, open, waitResting } from './app-driver.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const facility = demoFacility();
const ground = [...facility.floors].sort((a, b) => a.elevation - b.elevation)[0]!;
const serverRoom = facility.floors.flatMap((f) => f.zones).find((z) => z.kind === 'server-room')!;

const dir = mkdtempSync(join(tmpdir(), 'twinspace-figures-shots-'));
const store = new SqliteStore(join(dir, 'twin.db'));
const roi = loadRoiInputsText(readTextFile(DEMO_ROI));
if (!roi.ok) throw new Error('Twinspace screenshots: the demo ROI inputs do not load');
await store.setSetting(ROI_SETTING, roi.inputs);
await backfill(store, indexFacility(facility), Date.now(), { days: 7, seed: 1 });
const { app, url } = await startServer({ facility, store, auth: false });
await app.ready;
const browser = await launchBrowser();
try {
  mkdirSync(DOCS, { recursive: true });
  const page = await newPage(browser, 1600, 900);
  const errors = watchErrors(page);

  await open(page, `${url}/?view=3d&floors=stack&floor=${ground.id}`);
  await page.locator('[data-tab="figures"]').click();
  await page.locator('[data-period="7d"]').click();
  await page.locator('.sidebar.figures[data-state="ready"] .kpi').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-kpi="in-spec"] .data-link').click();
  await page.locator(`.drill[data-drill="stability"] [data-chart="${serverRoom.id}"]`).click();
  await page.locator(`.temp-chart[data-zone="${serverRoom.id}"][data-state="ready"] canvas`).first().waitFor({ timeout: 60_000 });
  await page.mouse.move(5, 5);
  await waitResting(page);
  await page.screenshot({ path: `${DOCS}kpi.png` });

  await open(page, `${url}/?view=plan&floors=single&floor=${ground.id}&layers=walls,doors,cameras,labels,coverage`);
  await page.waitForFunction(() => window.__twinspaceCoverage?.status() === 'ready', undefined, { timeout: 60_000 });
  await page.locator('.coverage-legend').first().waitFor();
  await waitResting(page);
  await page.screenshot({ path: `${DOCS}coverage.png` });

  if (errors.length) throw new Error(`Twinspace screenshots: the page reported errors:\n${errors.join('\n')}`);
  console.log(`figures screenshots: wrote kpi.png (${serverRoom.id} chart) and coverage.png to ${DOCS}`);
} finally {
  await browser.close();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
