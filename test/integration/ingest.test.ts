// The ingest pipeline as it runs: HTTP in, SQLite underneath, sockets out;
// bad input refused with reasons while good records flow on; kill -9 after
// the acknowledgement loses nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { createApp } from '../../server/app.ts';
import { stateToJson } from '../../src/core/reducer.ts';
import { tinyFacility } from './live-helpers.ts';
import { BIN, connect, get, post, startLive, TINY_PATH, type Live } from './live-helpers.ts';
import { twinspace } from './run-cli.ts';

describe('HTTP ingest', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ limits: { maxBodyBytes: 64 * 1024 } }); });
  afterAll(() => live.close());

  it('commits records and a second client sees the readings in a frame', async () => {
    const { inbox } = await connect(live, live.tokens.viewer);
    const ts = Date.now();
    const r = await post(live, '/api/ingest', live.tokens.operator, [
      { ts, sensor: 'T-CR1-1', value: 20.25 },
      { ts: new Date(ts).toISOString(), sensor: 'RH-CR1-1', value: 41 },
    ]);
    expect(r).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, late: 0, rejected: [] } });
    const slot = live.app.index.sensorSlot.get('T-CR1-1')!;
    await expect.poll(() => inbox.frames.some((f) => f.values[f.slots.indexOf(slot)] === 20.25 && f.times[f.slots.indexOf(slot)] === ts)).toBe(true);
    // Already in the store when the answer came.
    expect((await live.store.telemetry({ sensor: 'T-CR1-1' })).map((x) => x.record.value)).toContain(20.25);
    const tele = await get(live, `/api/telemetry?sensor=T-CR1-1&from=${ts}`, live.tokens.viewer);
    expect(tele.body.readings).toEqual([{ ts: new Date(ts).toISOString().replace('.000Z', 'Z'), value: 20.25 }]);
  });

  it('takes one record as well as an array, and re-ingest is idempotent', async () => {
    const rec = { ts: Date.now(), sensor: 'T-CR1-2', value: 19.5 };
    expect((await post(live, '/api/ingest', live.tokens.operator, rec)).body).toEqual({ accepted: 1, duplicates: 0, late: 0, rejected: [] });
    expect((await post(live, '/api/ingest', live.tokens.operator, [rec])).body).toEqual({ accepted: 1, duplicates: 1, late: 0, rejected: [] });
    expect((await live.store.telemetry({ sensor: 'T-CR1-2', from: rec.ts, to: rec.ts }))).toHaveLength(1);
  });

  it('refuses each bad record with a reason and counts it, while the good ones in the batch flow on', async () => {
    const { inbox } = await connect(live, live.tokens.viewer);
    const ts = Date.now();
    const before = (await get(live, '/healthz', null)).body.ingest;
    const r = await post(live, '/api/ingest', live.tokens.operator, `[
      {"ts": ${ts}, "sensor": "T-CR1-1", "value": 21.5},
      {"ts": ${ts}, "sensor": "T-NOPE", "value": 1},
      {"ts": ${ts}, "type": "door.opened", "door": "D-404"},
      {"ts": ${ts}, "sensor": "T-CR1-2", "value": 1e999},
      {"ts": ${ts}, "type": "alarm.acknowledged", "alarm": "door-forced:D-1:1", "by": "x"},
      {"ts": ${ts}, "type": "teleport", "door": "D-1"},
      {"sensor": "T-CR1-2", "value": 2},
      "just a string",
      {"ts": ${ts + 3_600_000}, "sensor": "T-CR1-2", "value": 3},
      {"ts": ${ts}, "type": "access.granted", "door": "D-1", "badge": "B-100"}
    ]`, true);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect(r.body.rejected).toEqual([
      { index: 1, reason: 'unknown sensor "T-NOPE"' },
      { index: 2, reason: 'unknown door "D-404"' },
      { index: 3, reason: 'value: non-finite value Infinity' },
      { index: 4, reason: 'alarm: names no raised alarm "door-forced:D-1:1"' },
      { index: 5, reason: 'unknown type "teleport"' },
      { index: 6, reason: 'missing field "ts"' },
      { index: 7, reason: 'not an object (got string "just a string")' },
      { index: 8, reason: expect.stringMatching(/^ts: \S+ is 3[56]\d\d s ahead of the server clock \(at most 300 s\); check the source's clock$/) },
    ]);
    const slot = live.app.index.sensorSlot.get('T-CR1-1')!;
    await expect.poll(() => inbox.frames.some((f) => f.values[f.slots.indexOf(slot)] === 21.5)).toBe(true);
    expect((await live.store.events({ from: ts, types: ['access.granted'] }))).toHaveLength(1);
    const after = (await get(live, '/healthz', null)).body.ingest;
    expect(after.rejected - before.rejected).toBe(8);
    expect(after.rejectedByReason['unknown sensor …']).toBeGreaterThanOrEqual(1);
    expect(after.rejectedByReason['value: non-finite value Infinity']).toBeGreaterThanOrEqual(1);
  });

  it('answers a malformed body 400, an oversized one 413, and a batch with nothing good 422', async () => {
    const bad = await post(live, '/api/ingest', live.tokens.operator, '[{"ts": 1, "sensor": ', true);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^body is not valid JSON/);
    const big = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ ts: Date.now(), sensor: 'T-CR1-1', value: i })));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const tooBig = await post(live, '/api/ingest', live.tokens.operator, big, true);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/larger than 65536 bytes/);
    const none = await post(live, '/api/ingest', live.tokens.operator, [{ ts: 1, sensor: 'nope', value: 1 }]);
    expect(none.status).toBe(422);
    expect(none.body.rejected).toHaveLength(1);
    expect((await get(live, '/healthz', null)).status).toBe(200);
  });

  it('stores an event that comes later than the reorder window but leaves the live state alone', async () => {
    const old = Date.now() - 60_000;
    const r = await post(live, '/api/ingest', live.tokens.operator, [{ ts: old, type: 'camera.offline', camera: 'CAM-1' }]);
    expect(r.body).toEqual({ accepted: 1, duplicates: 0, late: 1, rejected: [] });
    expect(live.app.pipeline.state.cameras['CAM-1']!.online).toBe(true);
    expect(await live.store.events({ from: old, to: old })).toHaveLength(1);
    // History sees it: the state at that time has the camera offline.
    const at = await get(live, `/api/state?at=${old + 1}`, live.tokens.viewer);
    expect(at.body.cameras['CAM-1']).toEqual({ online: false, since: new Date(old).toISOString().replace('.000Z', 'Z') });
  });

  it('serves history: events by type, door and zone; telemetry down-sampled', async () => {
    const t0 = Date.now() - 10 * 60_000;
    await live.store.append([
      { ts: t0, type: 'access.denied', door: 'D-1', badge: 'B-9' },
      { ts: t0 + 1, type: 'door.opened', door: 'D-2' },
      { ts: t0 + 2, type: 'camera.online', camera: 'CAM-1' },
      ...Array.from({ length: 6 }, (_, i) => ({ ts: t0 + i * 10_000, sensor: 'RH-CR1-1', value: 40 + i })),
    ]);
    const q = (s: string) => get(live, `/api/events?from=${t0}&to=${t0 + 2}${s}`, live.tokens.viewer);
    expect((await q('')).body.events.map((e: { type: string }) => e.type)).toEqual(['access.denied', 'door.opened', 'camera.online']);
    expect((await q('&types=door.opened,camera.online')).body.count).toBe(2);
    expect((await q('&door=D-1')).body.events).toEqual([{ ts: new Date(t0).toISOString(), type: 'access.denied', door: 'D-1', badge: 'B-9' }]);
    // CR-1: its door D-1 and CAM-1 standing in it; D-2 is the corridor's.
    expect((await q('&zone=CR-1')).body.events.map((e: { type: string }) => e.type)).toEqual(['access.denied', 'camera.online']);
    expect((await q('&types=door.exploded')).status).toBe(400);
    expect((await q('&zone=NOPE')).status).toBe(400);
    const b = await get(live, `/api/telemetry?sensor=RH-CR1-1&from=${t0}&to=${t0 + 59_999}&step=30s`, live.tokens.viewer);
    expect(b.body.buckets.map((x: { min: number; max: number; mean: number; count: number }) => [x.min, x.max, x.mean, x.count])).toEqual([[40, 42, 41, 3], [43, 45, 44, 3]]);
    expect((await get(live, '/api/telemetry?sensor=RH-CR1-1&step=soon', live.tokens.viewer)).status).toBe(400);
    expect((await get(live, '/api/telemetry?sensor=NOPE', live.tokens.viewer)).status).toBe(400);
  });
});

describe('ingest flood', () => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive({ limits: { ingestRate: { perSecond: 100, burst: 200 }, apiRate: { perSecond: 1000, burst: 1000 } } });
  });
  afterAll(() => live.close());

  it('rate-limits one token with 429 while others and the server carry on', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => ({ ts: Date.now(), sensor: 'T-CR1-1', value: i }));
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(live, '/api/ingest', live.tokens.operator, batch).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    const refused = await post(live, '/api/ingest', live.tokens.operator, batch);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(/^rate limit: at most 100\/s/);
    // Another token has its own budget; the server answers.
    const admin = await post(live, '/api/ingest', live.tokens.admin, [{ ts: Date.now(), sensor: 'T-CR1-2', value: 1 }]);
    expect(admin.status).toBe(200);
    expect((await get(live, '/healthz', null)).body.ok).toBe(true);
  });
});

describe('restart', () => {
  it('rebuilds the live state from the store: the latest snapshot, then the records after it', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'twinspace-restart-')), 'twin.db'));
    const facility = tinyFacility(true);
    const opts = { facility, store, pipeline: { reorderMs: 50, foldTickMs: 10 } };
    const first = createApp(opts);
    await first.ready;
    const op = { role: 'operator' as const, label: 'ops', key: 'ops' };
    const ts = Date.now();
    await first.pipeline.submit([{ ts, type: 'door.opened', door: 'D-1' }, { ts: ts + 1, type: 'door.closed', door: 'D-1' }, { ts, sensor: 'T-CR1-1', value: 20.5 }]);
    const id = `door-forced:D-1:${ts}`;
    await expect.poll(() => first.pipeline.state.alarms[id] !== undefined).toBe(true);
    expect(await first.pipeline.alarmAction(op, 'acknowledge', { alarm: id })).toEqual({ ok: true });
    await expect.poll(() => first.pipeline.state.alarms[id]?.acknowledgedAt !== null).toBe(true);
    await first.pipeline.snapshot();
    expect(await store.snapshotAtOrBefore(Date.now())).not.toBeNull();
    await first.pipeline.submit([{ ts: Date.now(), type: 'camera.offline', camera: 'CAM-1' }, { ts: Date.now(), sensor: 'T-CR1-1', value: 21 }]);
    await expect.poll(() => first.pipeline.state.cameras['CAM-1']!.online).toBe(false);
    const before = stateToJson(first.pipeline.state);
    await first.close();

    const second = createApp(opts);
    await second.ready;
    const after = stateToJson(second.pipeline.state);
    expect({ ...after, at: null }).toEqual({ ...before, at: null });
    expect(after.alarms).toEqual([expect.objectContaining({ id, acknowledgedAt: expect.any(String) })]);
    await second.close();
    await store.close();
  });
});

describe('durability', () => {
  it('keeps what was acknowledged when the server is killed -9 right after', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'twinspace-kill-')), 'twin.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--facility', TINY_PATH, '--db', `sqlite:${db}`, '--port', '0', '--host', '127.0.0.1', '--no-simulate'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const operatorUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /operator: (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
      });
      const url = new URL(operatorUrl);
      const token = url.searchParams.get('token')!;
      const ts = Date.now();
      const records = Array.from({ length: 500 }, (_, i) => ({ ts: ts + i, sensor: 'T-CR1-1', value: i / 10 }));
      const res = await fetch(new URL('/api/ingest', url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify([...records, { ts, type: 'door.opened', door: 'D-2' }]) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(501);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('SELECT count(*) FROM telemetry').pluck().get()).toBe(500);
      expect(sqlite.prepare("SELECT count(*) FROM events WHERE type = 'door.opened'").pluck().get()).toBe(1);
    } finally {
      sqlite.close();
    }
  });
});

describe('twinspace import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-import-'));
  const db = `sqlite:${join(dir, 'twin.db')}`;
  const events = join(dir, 'events.jsonl');
  writeFileSync(events, [
    '{"ts":"2026-11-02T08:00:00Z","type":"door.opened","door":"D-1"}',
    '{"ts":"2026-11-02T08:00:05Z","type":"door.closed","door":"D-1"}',
    '{"ts":"2026-11-02T08:01:00Z","type":"alarm.acknowledged","alarm":"door-forced:D-1:1793606400000","by":"op"}',
    '{"ts":"2026-11-02T08:01:00Z","type":"alarm.acknowledged","alarm":"door-held:D-1:1793606400000","by":"op"}',
    'not json',
    '',
    '{"ts":"2026-11-02T08:02:00Z","type":"door.opened","door":"D-9"}',
  ].join('\n'));
  const telemetry = join(dir, 'telemetry.csv');
  writeFileSync(telemetry, 'ts,sensor,value\n2026-11-02T08:00:00Z,T-CR1-1,20.5\n2026-11-02T08:01:00Z,T-CR1-1,NaN\n2026-11-02T08:02:00Z,T-CR1-1,20.75\n');

  it('stores the good records, lists every bad line on stderr and exits 1 (0 with --lenient); re-import is idempotent', async () => {
    const r = await twinspace(['import', TINY_PATH, events, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${events}:4: alarm: names no raised alarm "door-held:D-1:1793606400000"`,
      expect.stringMatching(new RegExp(`^${events}:5: not valid JSON`)),
      `${events}:7: unknown door "D-9"`,
    ]);
    expect(r.stdout).toBe(`${events}: imported 3 records (3 new, 0 already stored), 3 line(s) rejected\n`);
    const t = await twinspace(['import', TINY_PATH, telemetry, '--db', db, '--lenient', '--json']);
    expect(t.code).toBe(0);
    expect(t.stderr).toBe(`${telemetry}:3: value: non-finite value NaN\n`);
    expect(JSON.parse(t.stdout)).toEqual({ file: 'telemetry.csv', records: 2, new: 2, duplicates: 0, rejected: 1 });
    const again = await twinspace(['import', TINY_PATH, telemetry, '--db', db, '--lenient', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ records: 2, new: 0, duplicates: 2 });
    const store = await openStore(db);
    try {
      expect((await store.records({})).map((x) => x.record)).toEqual([
        { ts: 1793606400000, type: 'door.opened', door: 'D-1' },
        { ts: 1793606400000, sensor: 'T-CR1-1', value: 20.5 },
        { ts: 1793606405000, type: 'door.closed', door: 'D-1' },
        { ts: 1793606460000, type: 'alarm.acknowledged', alarm: 'door-forced:D-1:1793606400000', by: 'op' },
        { ts: 1793606520000, sensor: 'T-CR1-1', value: 20.75 },
      ]);
    } finally {
      await store.close();
    }
  });
});
