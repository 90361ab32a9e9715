// The server as it runs: the app factory on port 0, and the real entry in a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import type { Facility } from '../../src/core/facility/schema.ts';

const TINY = JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')) as unknown;
const BIN = new URL('../../server/twinspace.mjs', import.meta.url).pathname;

function tinyFacility(): Facility {
  const r = loadFacility(TINY);
  if (!r.ok) throw new Error('fixture invalid');
  return r.facility;
}

describe('app factory', () => {
  let app: App;
  let base: string;
  let viewer: Record<string, string>;
  beforeAll(async () => {
    app = createApp({ facility: tinyFacility() });
    viewer = { authorization: `Bearer ${await app.createToken('viewer')}` };
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => app.close());

  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, facility: 'tiny' });
  });

  it('serves the loaded facility with defaults applied', async () => {
    expect((await fetch(`${base}/api/facility`)).status).toBe(401);
    const res = await fetch(`${base}/api/facility`, { headers: viewer });
    expect(res.status).toBe(200);
    const f = (await res.json()) as Facility;
    expect(f.id).toBe('tiny');
    expect(f.floors[0]!.doors[1]!.heldOpenSeconds).toBe(30);
  });

  it('answers unknown API paths 404 and wrong methods 405 with a reason', async () => {
    const a = await fetch(`${base}/api/nothing`);
    expect(a.status).toBe(404);
    expect(await a.json()).toEqual({ error: 'no such resource /api/nothing' });
    const b = await fetch(`${base}/api/facility`, { method: 'DELETE' });
    expect(b.status).toBe(405);
  });
});

describe('twinspace serve (child process)', () => {
  it('starts on the given port, prints the URL and serves the demo plant', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'twinspace-serve-')), 'twin.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${db}`, '--no-simulate'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /open (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
      });
      // The printed URL carries a viewer token for the browser; scripts send it as a bearer token.
      const token = new URL(url).searchParams.get('token');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const res = await fetch(new URL('/api/facility', url), { headers: { authorization: `Bearer ${token ?? ''}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Facility).id).toBe('demo-plant');
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
