// Browser tests drive the system Chromium (Debian package) through
// playwright-core: no browser download. WebGL runs on SwiftShader.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp, type App, type AppOptions } from '../../server/app.ts';
import { DIST_DIR, readFacilityFile, DEMO_PLANT } from '../../server/shared.ts';

/** The Chromium to drive; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

/** Flags for headless Chromium on this machine kind (no sandbox as root, no GPU, no network chatter). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Twinspace tests: Chromium not found at ${CHROMIUM_PATH}; install Debian's "chromium" package (.ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A server on a free port serving the built front end (run `vite build` first; npm test does). */
export async function startServer(opts: Partial<AppOptions> = {}): Promise<{ app: App; url: string }> {
  if (!existsSync(`${DIST_DIR}/index.html`)) throw new Error('Twinspace tests: dist/ is missing; run `npx vite build` first');
  const app = createApp({ facility: opts.facility ?? readFacilityFile(DEMO_PLANT), distDir: DIST_DIR, ...opts });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  const addr = app.server.address();
  if (typeof addr !== 'object' || !addr) throw new Error('server has no address');
  return { app, url: `http://127.0.0.1:${addr.port}` };
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}
