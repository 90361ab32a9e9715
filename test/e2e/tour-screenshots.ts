// Refreshes the tour's screenshots in docs/ (1920 × 1080, as the wall shows
// them): the plant overview and a critical zone, from `twinspace serve` with a
// day of simulated history and its live simulator.
// `npx vite build && npx tsx test/e2e/tour-screenshots.ts [--4k]` (--4k also
// writes 3840 × 2160 shots to tmp/ to check that the layout scales).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const CLI = join(ROOT, 'server/twinspace.mjs');
const PORT = 8797;

const dir = mkdtempSync(join(tmpdir(), 'twinspace-shots-'));
const db = `sqlite:${join(dir, 'shots.db')}`;
const token = execFileSync(process.execPath, [CLI, 'token', 'create', '--role', 'viewer', '--db', db], { cwd: ROOT }).toString().trim();

function serve(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, 'serve', '--port', String(PORT), '--host', '127.0.0.1', '--db', db, '--backfill-days', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    c.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('serving')) resolve(c); });
    c.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

/** Opens one stop (long dwell, no alarm preemption) and waits until the flight is over and the figures are in. */
async function shoot(browser: Browser, stop: string | null, path: string, width: number, height: number): Promise<void> {
  const page = await (await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 })).newPage();
  const errors = watchErrors(page);
  await page.goto(`http://127.0.0.1:${PORT}/tour?token=${token}&dwell=600&alarmKinds=none${stop ? `&stops=${stop}` : ''}`);
  await page.waitForFunction(() => window.__twinspace?.ready === true && document.querySelectorAll('.tour-tiles .tt').length > 0, undefined, { timeout: 90_000 });
  await page.waitForFunction(() => window.__twinspace!.resting() && document.querySelector('.tour-strip')?.getAttribute('data-level') === 'live', undefined, { timeout: 60_000, polling: 200 });
  // The zone's temperature line and the live value come a moment after the stop.
  await page.waitForFunction(() => !document.querySelector('[data-live-zone]') || /°C/.test(document.querySelector('[data-live-zone]')!.textContent ?? ''), undefined, { timeout: 30_000 });
  await page.waitForTimeout(1_500);
  await page.screenshot({ path });
  if (errors.length) throw new Error(`tour screenshots: the page reported errors:\n${errors.join('\n')}`);
  await page.context().close();
}

const server = await serve();
const browser = await launchBrowser();
try {
  mkdirSync(DOCS, { recursive: true });
  // The default tour's first stop; then the aseptic filling room first in a shorter tour.
  await shoot(browser, null, join(DOCS, 'tour-overview.png'), 1920, 1080);
  await shoot(browser, 'zone:CR-103,overview,floor:L1,floor:L2,coverage,roi', join(DOCS, 'tour-zone.png'), 1920, 1080);
  if (process.argv.includes('--4k')) {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    await shoot(browser, null, join(ROOT, 'tmp/tour-overview-4k.png'), 3840, 2160);
    await shoot(browser, 'coverage,roi', join(ROOT, 'tmp/tour-coverage-4k.png'), 3840, 2160);
    await shoot(browser, 'floor:L1,roi', join(ROOT, 'tmp/tour-floor-4k.png'), 3840, 2160);
  }
  console.log(`tour screenshots: wrote tour-overview.png and tour-zone.png to ${DOCS}`);
} finally {
  await browser.close();
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
