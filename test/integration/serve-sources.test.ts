// `twinspace serve` as users start it: the simulator backfills and runs live,
// and an MQTT publisher on the machine's Mosquitto reaches the store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = new URL('../../server/twinspace.mjs', import.meta.url).pathname;
const BROKER = process.env['MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
// A session of this run's own: a developer's `npm start` on the same broker keeps its own.
const CLIENT_ID = `twinspace-test-serve-${process.pid}-${Date.now()}`;

describe('serve with the simulator and MQTT', () => {
  let child: ChildProcess;
  let base: string;
  let token: string;
  let out = '';
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-serve-'));

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${join(dir, 't.db')}`, '--backfill-days', '1', '--speed', '20', '--mqtt', BROKER, '--mqtt-client-id', CLIENT_ID], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /operator: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${String(code)}:\n${out}`)));
    });
    const u = new URL(url);
    token = u.searchParams.get('token')!;
    base = u.origin;
    await vi.waitFor(() => expect(out).toContain('subscribed to'), { timeout: 10_000 });
  }, 120_000);
  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    // Drop the run's durable session so the broker keeps nothing for it.
    await (await mqtt.connectAsync(BROKER, { clientId: CLIENT_ID, clean: true })).endAsync();
  });

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };

  it('shows backfill progress and serves a day of history', async () => {
    expect(out).toMatch(/backfilling simulated history 100 %/);
    expect(out).toMatch(/backfilled [\d,]+ records/);
    const health = await get('/healthz');
    expect((health['store'] as { telemetry: number }).telemetry).toBeGreaterThan(128 * 1400);
  });

  it('keeps simulating live, faster with --speed', async () => {
    const first = ((await get('/healthz'))['ingest'] as { accepted: number }).accepted;
    await vi.waitFor(async () => {
      const now = ((await get('/healthz'))['ingest'] as { accepted: number }).accepted;
      expect(now).toBeGreaterThan(first + 100);
    }, { timeout: 10_000 });
    const state = await get('/api/state');
    expect(Object.keys(state['sensors'] as object).length).toBe(128);
  });

  it('takes a reading published on the MQTT topic scheme', async () => {
    const pub = await mqtt.connectAsync(BROKER);
    const ts = Date.now() - 3_600_000;
    await pub.publishAsync('twinspace/demo-plant/telemetry/T-CR103-1', JSON.stringify({ ts, value: 31.25 }), { qos: 1 });
    await pub.endAsync();
    await vi.waitFor(async () => {
      const rows = await get(`/api/telemetry?sensor=T-CR103-1&from=${ts}&to=${ts}`);
      expect(JSON.stringify(rows)).toContain('31.25');
    }, { timeout: 10_000 });
  });
});
