// Refreshes the curated screenshots in docs/ (1600 × 900) from the demo
// plant: `npx vite build && npx tsx test/e2e/screenshots.ts`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, watchErrors } from './harness.ts';
import { demoFacility, newPage, open, waitResting } from './app-driver.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

const facility = demoFacility();
const floors = [...facility.floors].sort((a, b) => a.elevation - b.elevation);
const ground = floors[0]!;
const cleanroom = ground.zones
  .filter((z) => z.kind === 'cleanroom')
  .sort((a, b) => (a.isoClass ?? 9) - (b.isoClass ?? 9))[0] ?? ground.zones[0]!;

const { app, url } = await startServer({ facility, auth: false });
const browser = await launchBrowser();
try {
  mkdirSync(DOCS, { recursive: true });
  const page = await newPage(browser, 1600, 900);
  const errors = watchErrors(page);

  await open(page, `${url}/?view=3d&floors=exploded&floor=${ground.id}`);
  await page.screenshot({ path: `${DOCS}overview.png` });

  await open(page, `${url}/?view=plan&floors=single&floor=${ground.id}`);
  await page.screenshot({ path: `${DOCS}plan-${ground.id}.png` });

  await open(page, `${url}/?view=3d&floors=stack&floor=${ground.id}&layers=zones,volumes,walls,doors,cameras,sensors,labels`);
  await page.evaluate((id) => window.__twinspace!.select(id), cleanroom.id);
  await page.locator(`.inspector[data-selected="${cleanroom.id}"]`).waitFor();
  await page.mouse.move(5, 5);
  await waitResting(page);
  await page.screenshot({ path: `${DOCS}cleanroom-selected.png` });

  if (errors.length) throw new Error(`Twinspace screenshots: the page reported errors:\n${errors.join('\n')}`);
  console.log(`screenshots: wrote overview.png, plan-${ground.id}.png, cleanroom-selected.png to ${DOCS} (${cleanroom.id} selected)`);
} finally {
  await browser.close();
  await app.close();
}
