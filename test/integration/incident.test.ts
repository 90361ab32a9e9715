// Incident reconstruction (issue 6) as operators use it: a scripted sequence
// on the tiny plant through the real ingest, alarm actions through the API,
// then the incident, its bundle download, the core verifier and the real
// `twinspace verify-bundle` bin on the file, tampered or not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUNDLE_FORMAT, BUNDLE_PARTS, verifyBundle, type IncidentBundle, type IncidentJson } from '../../src/core/bundle.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { camerasSeeingPoint } from '../../src/core/metrics/coverage.ts';
import { fillKeyframes } from '../../server/history/keyframes.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { get, post, startLive, tinyFacility, type Live } from './live-helpers.ts';
import { twinspace } from './run-cli.ts';

const MIN = 60_000;
/** How long to wait for the live fold, the hub and frames on a busy machine. */
const WAIT = { timeout: 10_000, interval: 20 };

/** The tiny plant (open at all hours) with cameras around D-1 and an upper floor with its own reader door D-3. */
function incidentFacility(): Facility {
  const doc = JSON.parse(JSON.stringify(tinyFacility(true))) as { floors: Record<string, unknown>[] } & Record<string, unknown>;
  const l1 = doc.floors[0]! as { cameras: unknown[] };
  l1.cameras.push(
    // Corridor side of D-1, about 6.5 m away: recognition.
    { id: 'CAM-2', name: 'Corridor west', position: [17, 5], mountHeight: 2.6, yaw: 180, tilt: 10, hfov: 70, resolution: [1920, 1080] },
    // Far corner of the corridor: observation only, not listed.
    { id: 'CAM-3', name: 'Corridor far', position: [19.8, 9.8], mountHeight: 3, yaw: 200, tilt: 10, hfov: 90, resolution: [1920, 1080] },
    // Clean-room side, close: identification.
    { id: 'CAM-4', name: 'Clean room door', position: [6, 5], mountHeight: 2.6, yaw: 0, tilt: 10, hfov: 60, resolution: [2560, 1440] },
  );
  doc.floors.push({
    id: 'L2', name: 'Upper', elevation: 4, height: 4,
    outline: [[0, 0], [20, 0], [20, 10], [0, 10], [0, 0]],
    zones: [{ id: 'OFF-2', name: 'Office', kind: 'office', polygon: [[0, 0], [20, 0], [20, 10], [0, 10]] }],
    doors: [{ id: 'D-3', name: 'Upper entrance', position: [5, 0], zones: ['OFF-2', 'outside'], reader: true, heldOpenSeconds: 20 }],
  });
  const r = loadFacility(doc);
  if (!r.ok) throw new Error(`test facility invalid: ${JSON.stringify(r.problems)}`);
  return r.facility;
}

/** GET returning the raw response. */
function fetchRaw(live: Live, path: string, token: string | null): Promise<Response> {
  return fetch(live.base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

const enc = encodeURIComponent;

describe('incident reconstruction', () => {
  let live: Live;
  const facility = incidentFacility();
  let T2 = 0, F = 0, tOld = 0, tLate = 0;
  let alarmId = '';
  const readings: { ts: number; sensor: string; value: number }[] = [];
  let incident: IncidentJson;
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-incident-'));

  /** Moves the app clock on and waits for the live fold to pass `ts`. */
  async function passTime(toTs: number): Promise<void> {
    const need = toTs + 1000 - live.now();
    if (need > 0) live.clockOffsetMs.value += need;
    await vi.waitFor(() => { if ((live.app.pipeline.state.sealed ?? 0) <= toTs) throw new Error('the live fold has not passed it yet'); }, WAIT);
  }

  async function ingest(records: Record<string, unknown>[]): Promise<void> {
    const r = await post(live, '/api/ingest', live.tokens.operator, records);
    expect(r.status).toBe(200);
    expect(r.body.rejected).toEqual([]);
    expect(r.body.late).toBe(0);
  }

  beforeAll(async () => {
    live = await startLive({ facility });
    // Phase 1, more than 15 min before the incident: B-OLD at D-1 (outside the default window).
    tOld = live.now() + 1000;
    await ingest([
      { ts: tOld, type: 'access.granted', door: 'D-1', badge: 'B-OLD' },
      { ts: tOld + 500, type: 'door.opened', door: 'D-1' },
      { ts: tOld + 3000, type: 'door.closed', door: 'D-1' },
    ]);
    await passTime(tOld + 3000);
    live.clockOffsetMs.value += 20 * MIN;

    // Phase 2: badges, a forced door, a camera outage and readings around it.
    T2 = live.now() + 1000;
    F = T2 + 120_000;
    alarmId = `door-forced:D-1:${F}`;
    for (let i = 0; i <= 8; i++) {
      const ts = T2 + i * 30_000;
      readings.push({ ts, sensor: 'T-CR1-1', value: 20 + i / 10 }, { ts: ts + 7, sensor: 'T-CR1-2', value: 21 - i / 10 }, { ts: ts + 11, sensor: 'RH-CR1-1', value: 40 + i });
    }
    await ingest([
      { ts: T2, type: 'access.granted', door: 'D-3', badge: 'B-1' },
      { ts: T2 + 1000, type: 'door.opened', door: 'D-3' },
      { ts: T2 + 3000, type: 'door.closed', door: 'D-3' },
      { ts: T2 + 60_000, type: 'access.granted', door: 'D-1', badge: 'B-1' },
      { ts: T2 + 61_000, type: 'door.opened', door: 'D-1' },
      { ts: T2 + 64_000, type: 'door.closed', door: 'D-1' },
      { ts: T2 + 90_000, type: 'access.denied', door: 'D-1', badge: 'B-2' },
      { ts: T2 + 100_000, type: 'camera.offline', camera: 'CAM-2' },
      { ts: F, type: 'door.opened', door: 'D-1' },
      { ts: F + 5000, type: 'door.closed', door: 'D-1' },
      { ts: T2 + 150_000, type: 'camera.online', camera: 'CAM-2' },
      { ts: T2 + 200_000, type: 'access.granted', door: 'D-2', badge: 'B-3' },
      ...readings,
    ]);
    await passTime(T2 + 240_000);
    expect(Object.keys(live.app.pipeline.state.alarms)).toEqual([alarmId]);

    // An operator takes it and closes it.
    expect((await post(live, `/api/alarms/${enc(alarmId)}/ack`, live.tokens.operator, { note: 'on my way' })).status).toBe(200);
    live.clockOffsetMs.value += 30_000;
    expect((await post(live, `/api/alarms/${enc(alarmId)}/resolve`, live.tokens.operator, { outcome: 'genuine', note: 'propped by a contractor' })).status).toBe(200);
    await vi.waitFor(() => { if (!live.app.pipeline.state.alarms[alarmId]?.resolvedAt) throw new Error('not resolved yet'); }, WAIT);

    // Phase 3, after the window: B-1 again on the upper floor (within the trail's hour), B-LATE at D-1 (outside the window).
    live.clockOffsetMs.value += F + 31 * MIN - live.now();
    tLate = live.now() + 1000;
    await ingest([
      { ts: tLate, type: 'access.granted', door: 'D-3', badge: 'B-1' },
      { ts: tLate + 10, type: 'access.granted', door: 'D-1', badge: 'B-LATE' },
    ]);
    await passTime(tLate + 10);
    const r = await get(live, `/api/incidents/${enc(alarmId)}`, live.tokens.viewer);
    expect(r.status).toBe(200);
    incident = r.body as IncidentJson;
  });
  afterAll(() => live.close());

  it('names the alarm, its door and neighbouring doors, and the window', () => {
    expect(incident.alarm).toEqual({
      id: alarmId, kind: 'door-forced', onset: toIso(F),
      door: { id: 'D-1', name: 'Clean room door', floor: 'L1', position: [10, 5], zones: ['CR-1', 'COR-1'], hasReader: true },
      doors: [
        { id: 'D-1', name: 'Clean room door', floor: 'L1', position: [10, 5], zones: ['CR-1', 'COR-1'], hasReader: true },
        { id: 'D-2', name: 'Entrance', floor: 'L1', position: [20, 5], zones: ['COR-1', 'outside'], hasReader: false },
      ],
      window: { from: toIso(F - 15 * MIN), to: toIso(F + 15 * MIN), beforeMinutes: 15, afterMinutes: 15, isComplete: true },
    });
    expect(incident.buildMs).toBeGreaterThan(0);
  });

  it('has exactly the lifecycle of the stored actions and the live alarm', async () => {
    const actions = (await live.store.events({ about: [alarmId] })).map((e) => e.record);
    const [ack, res] = actions;
    expect(ack).toMatchObject({ type: 'alarm.acknowledged', by: 'ops-desk' });
    expect(res).toMatchObject({ type: 'alarm.resolved', by: 'ops-desk', outcome: 'genuine', note: 'propped by a contractor' });
    expect(incident.lifecycle).toEqual({
      status: 'resolved', raised: toIso(F),
      acknowledgedAt: toIso(ack!.ts), acknowledgedBy: 'ops-desk', resolvedAt: toIso(res!.ts), resolvedBy: 'ops-desk',
      outcome: 'genuine', note: 'propped by a contractor', ttaS: (ack!.ts - F) / 1000, ttrS: (res!.ts - F) / 1000,
      actions: [
        { ts: toIso(ack!.ts), type: 'alarm.acknowledged', by: 'ops-desk' },
        { ts: toIso(res!.ts), type: 'alarm.resolved', by: 'ops-desk', outcome: 'genuine', note: 'propped by a contractor' },
      ],
    });
    const liveAlarm = live.app.pipeline.state.alarms[alarmId]!;
    expect([incident.lifecycle.acknowledgedAt, incident.lifecycle.resolvedAt]).toEqual([toIso(liveAlarm.acknowledgedAt!), toIso(liveAlarm.resolvedAt!)]);
  });

  it('lists the events at the door and its zones\' doors inside the window, and none outside it', async () => {
    const stored = (await live.store.events({ about: [alarmId] })).map((e) => e.record);
    expect(incident.events).toEqual([
      { ts: toIso(T2 + 60_000), type: 'access.granted', door: 'D-1', badge: 'B-1' },
      { ts: toIso(T2 + 61_000), type: 'door.opened', door: 'D-1' },
      { ts: toIso(T2 + 64_000), type: 'door.closed', door: 'D-1' },
      { ts: toIso(T2 + 90_000), type: 'access.denied', door: 'D-1', badge: 'B-2' },
      { ts: toIso(F), type: 'door.opened', door: 'D-1' },
      { ts: toIso(F + 5000), type: 'door.closed', door: 'D-1' },
      { ts: toIso(T2 + 200_000), type: 'access.granted', door: 'D-2', badge: 'B-3' },
      { ...stored[0], ts: toIso(stored[0]!.ts) },
      { ...stored[1], ts: toIso(stored[1]!.ts) },
    ]);
    const seen = new Set(incident.events.map((e) => e['badge']));
    expect(seen.has('B-OLD') || seen.has('B-LATE')).toBe(false);
    // A wider window takes in the earlier visit.
    const wide = await get(live, `/api/incidents/${enc(alarmId)}?before=30`, live.tokens.viewer);
    expect(wide.status).toBe(200);
    expect(wide.body.events.slice(0, 3)).toEqual([
      { ts: toIso(tOld), type: 'access.granted', door: 'D-1', badge: 'B-OLD' },
      { ts: toIso(tOld + 500), type: 'door.opened', door: 'D-1' },
      { ts: toIso(tOld + 3000), type: 'door.closed', door: 'D-1' },
    ]);
    expect(wide.body.alarm.window).toMatchObject({ from: toIso(F - 30 * MIN), beforeMinutes: 30 });
    expect(wide.body.badges.map((b: { badge: string }) => b.badge)).toEqual(['B-OLD', 'B-1', 'B-2', 'B-3']);
  });

  it('lists the badges seen at those doors, each with its trail through doors and floors', () => {
    expect(incident.badges).toEqual([
      {
        badge: 'B-1', doors: ['D-1'], trail: [
          { ts: toIso(T2), type: 'access.granted', door: 'D-3', zones: ['OFF-2', 'outside'], floor: 'L2' },
          { ts: toIso(T2 + 60_000), type: 'access.granted', door: 'D-1', zones: ['CR-1', 'COR-1'], floor: 'L1' },
          { ts: toIso(tLate), type: 'access.granted', door: 'D-3', zones: ['OFF-2', 'outside'], floor: 'L2' },
        ],
      },
      { badge: 'B-2', doors: ['D-1'], trail: [{ ts: toIso(T2 + 90_000), type: 'access.denied', door: 'D-1', zones: ['CR-1', 'COR-1'], floor: 'L1' }] },
      { badge: 'B-3', doors: ['D-2'], trail: [{ ts: toIso(T2 + 200_000), type: 'access.granted', door: 'D-2', zones: ['COR-1', 'outside'], floor: 'L1' }] },
    ]);
  });

  it('lists the cameras that see the door at recognition or better, with their stream through the window', () => {
    // D-1 stands in wall W-1 (x = 10): a person half a metre in front of it on either side.
    const corridor = camerasSeeingPoint(facility, 'L1', 10.5, 5, 1.5), cleanRoom = camerasSeeingPoint(facility, 'L1', 9.5, 5, 1.5);
    const cam2 = corridor.find((c) => c.cameraId === 'CAM-2')!, cam4 = cleanRoom.find((c) => c.cameraId === 'CAM-4')!;
    expect([cam2.level, cam4.level]).toEqual(['recognition', 'identification']);
    // CAM-1 and CAM-3 see it, but only at observation level.
    expect([...corridor, ...cleanRoom].filter((c) => c.cameraId === 'CAM-1' || c.cameraId === 'CAM-3').map((c) => c.level)).toEqual(['observation', 'observation']);
    expect(incident.cameras).toEqual([
      { id: 'CAM-4', name: 'Clean room door', floor: 'L1', level: 'identification', pixelDensity: cam4.pixelDensity, seenFrom: 'CR-1', onlineAtStart: true, onlineAtOnset: true, changes: [], offlineMs: 0 },
      {
        id: 'CAM-2', name: 'Corridor west', floor: 'L1', level: 'recognition', pixelDensity: cam2.pixelDensity, seenFrom: 'COR-1', onlineAtStart: true, onlineAtOnset: false,
        changes: [{ ts: toIso(T2 + 100_000), online: false }, { ts: toIso(T2 + 150_000), online: true }], offlineMs: 50_000,
      },
    ]);
  });

  it('takes a camera\'s state at the window\'s start from the keyframes and its events', async () => {
    const kf = await fillKeyframes(live.store, live.app.index, { upTo: F + MIN, everyMs: 10_000 });
    expect(kf.saved).toBeGreaterThan(0);
    expect((await live.store.snapshotAtOrBefore(F))!.state.cameras['CAM-2']).toMatchObject({ online: false });
    const narrow = await get(live, `/api/incidents/${enc(alarmId)}?before=0`, live.tokens.viewer);
    expect(narrow.body.alarm.window).toMatchObject({ from: toIso(F), beforeMinutes: 0 });
    expect(narrow.body.cameras[1]).toMatchObject({
      id: 'CAM-2', onlineAtStart: false, onlineAtOnset: false, changes: [{ ts: toIso(T2 + 150_000), online: true }], offlineMs: 30_000,
    });
    expect(narrow.body.stateAtOnset).toEqual(incident.stateAtOnset);
  });

  it('has the readings of the door\'s zones down-sampled per minute', () => {
    const from = Math.floor((F - 15 * MIN) / MIN) * MIN;
    const expected = (sensor: string) => {
      const byBucket = new Map<number, number[]>();
      for (const r of readings) {
        if (r.sensor !== sensor) continue;
        const b = from + Math.floor((r.ts - from) / MIN) * MIN;
        byBucket.set(b, [...(byBucket.get(b) ?? []), r.value]);
      }
      return [...byBucket].map(([b, v]) => ({ ts: toIso(b), min: Math.min(...v), max: Math.max(...v), mean: expect.closeTo(v.reduce((a, x) => a + x, 0) / v.length, 9), count: v.length }));
    };
    expect(incident.readings).toEqual({
      stepMs: MIN,
      zones: [
        { id: 'CR-1', name: 'Clean room', isCritical: true, temperature: { setpoint: 20, tolerance: 2 } },
        { id: 'COR-1', name: 'Corridor', isCritical: false, temperature: null },
      ],
      sensors: [
        { sensor: 'T-CR1-1', kind: 'temperature', unit: '°C', zone: 'CR-1', buckets: expected('T-CR1-1') },
        { sensor: 'T-CR1-2', kind: 'temperature', unit: '°C', zone: 'CR-1', buckets: expected('T-CR1-2') },
        { sensor: 'RH-CR1-1', kind: 'humidity', unit: '%RH', zone: 'CR-1', buckets: expected('RH-CR1-1') },
      ],
    });
    expect(incident.readings.sensors[0]!.buckets.reduce((n, b) => n + b.count, 0)).toBe(9);
  });

  it('has the state at the onset, equal to /api/state?at=onset', async () => {
    const at = await get(live, `/api/state?at=${F}`, live.tokens.viewer);
    expect(incident.stateAtOnset).toEqual(at.body);
    expect(incident.stateAtOnset.doors['D-1']).toEqual({ open: true, since: toIso(F) });
    expect(incident.stateAtOnset.cameras['CAM-2']).toEqual({ online: false, since: toIso(T2 + 100_000) });
    expect(incident.stateAtOnset.alarms).toEqual([{ id: alarmId, kind: 'door-forced', door: 'D-1', onset: toIso(F), acknowledgedAt: null, acknowledgedBy: null }]);
  });

  describe('export', () => {
    let bundle: IncidentBundle;
    let file = '';
    const write = (name: string, doc: unknown) => { const p = join(dir, name); writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2)); return p; };
    const copy = (): IncidentBundle => JSON.parse(JSON.stringify(bundle)) as IncidentBundle;

    beforeAll(async () => {
      const res = await fetchRaw(live, `/api/incidents/${enc(alarmId)}/bundle`, live.tokens.viewer);
      expect(res.status).toBe(200);
      const onset = new Date(F).toISOString();
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="incident-door-forced-D-1-${onset.slice(0, 13)}${onset.slice(14, 16)}Z.json"`);
      bundle = (await res.json()) as IncidentBundle;
      file = write('bundle.json', bundle);
    });

    it('downloads a bundle of the incident\'s parts that the core verifier accepts', async () => {
      expect(bundle.format).toBe(BUNDLE_FORMAT);
      expect(Object.keys(bundle.parts)).toEqual([...BUNDLE_PARTS]);
      const { buildMs: _b, ...parts } = incident;
      expect(bundle.parts).toEqual(parts);
      expect(bundle.manifest).toMatchObject({ alarm: alarmId, exportedBy: 'wall', facility: { id: 'tiny', name: 'Tiny test plant' } });
      expect(Date.parse(bundle.manifest.exportedAt)).toBeCloseTo(live.now(), -4);
      expect(verifyBundle(bundle)).toEqual({ ok: true, problems: [], parts: 7, alarm: alarmId, exportedBy: 'wall', exportedAt: bundle.manifest.exportedAt });
      const audit = (await live.store.auditLog({})).filter((a) => a.action === 'incident.export');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'wall', detail: { alarm: alarmId, parts: bundle.manifest.parts } });
    });

    it('detects each kind of tampering', () => {
      const changed = copy();
      (changed.parts.events[0] as Record<string, unknown>)['badge'] = 'B-9';
      const removed = copy();
      delete (removed.parts as Partial<IncidentBundle['parts']>).cameras;
      const added = copy();
      (added.parts as unknown as Record<string, unknown>)['notes'] = { text: 'nothing to see' };
      const rehashed = copy();
      rehashed.manifest.parts.readings.sha256 = '0'.repeat(64);
      const m = (name: string, b: IncidentBundle) => ({ name, problems: verifyBundle(b).problems });
      expect([m('changed', changed), m('removed', removed), m('added', added), m('rehashed', rehashed)]).toEqual([
        { name: 'changed', problems: [expect.stringMatching(/^parts\.events: sha256 mismatch \(manifest [0-9a-f]{12}…, actual [0-9a-f]{12}…\)$/)] },
        { name: 'removed', problems: ['parts.cameras: missing (listed in the manifest)'] },
        { name: 'added', problems: ['parts.notes: not listed in the manifest'] },
        { name: 'rehashed', problems: [`parts.readings: sha256 mismatch (manifest 000000000000…, actual ${bundle.manifest.parts.readings.sha256.slice(0, 12)}…)`] },
      ]);
    });

    it('verify-bundle exits 0 on the download and 1 listing every problem on a tampered one', async () => {
      const good = await twinspace(['verify-bundle', file]);
      expect(good).toMatchObject({ code: 0, stderr: '' });
      expect(good.stdout.trim()).toBe(`ok: 7 parts verified (alarm ${alarmId}, exported by wall at ${bundle.manifest.exportedAt})`);

      const both = copy();
      (both.parts.lifecycle as unknown as Record<string, unknown>)['note'] = 'nothing happened';
      delete (both.parts as Partial<IncidentBundle['parts']>).badges;
      const bad = await twinspace(['verify-bundle', write('tampered.json', both)]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      const lifecycleBytes = bundle.manifest.parts.lifecycle.bytes;
      expect(bad.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^parts\.lifecycle: sha256 mismatch \(manifest [0-9a-f]{12}…, actual [0-9a-f]{12}…\)$/),
        `parts.lifecycle: size mismatch (manifest ${lifecycleBytes} bytes, actual ${lifecycleBytes - 'propped by a contractor'.length + 'nothing happened'.length})`,
        'parts.badges: missing (listed in the manifest)',
      ]);
      const asJson = await twinspace(['verify-bundle', write('tampered2.json', both), '--json']);
      expect(asJson.code).toBe(1);
      expect(JSON.parse(asJson.stdout)).toEqual({ ok: false, problems: bad.stderr.trim().split('\n') });
      const okJson = await twinspace(['verify-bundle', file, '--json']);
      expect([okJson.code, JSON.parse(okJson.stdout)]).toEqual([0, { ok: true, problems: [] }]);
    });

    it('verify-bundle refuses a file that is not JSON or cannot be read (exit 1), and wrong usage (exit 2)', async () => {
      const notJson = await twinspace(['verify-bundle', write('not.json', '{"format": ')]);
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toMatch(/not\.json: not JSON: /);
      const missing = await twinspace(['verify-bundle', join(dir, 'nope.json')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/nope\.json: cannot read: ENOENT/);
      expect((await twinspace(['verify-bundle'])).code).toBe(2);
    });
  });

  it('needs a token, and answers 400 for a malformed id and 404 for an unknown alarm', async () => {
    for (const path of [`/api/incidents/${enc(alarmId)}`, `/api/incidents/${enc(alarmId)}/bundle`, '/api/incidents/stats']) {
      expect((await get(live, path, null)).status).toBe(401);
    }
    for (const bad of ['nonsense', 'door-forced:D-1', 'door-stuck:D-1:1', `door-forced:D-1:${F}x`, 'door-forced::1', 'door-forced:D 1:1']) {
      const r = await get(live, `/api/incidents/${enc(bad)}`, live.tokens.viewer);
      expect([bad, r.status]).toEqual([bad, 400]);
      expect(r.body.error).toMatch(/expected <kind>:<door>:<onset ms>/);
    }
    const checks: [string, RegExp][] = [
      [`door-forced:D-1:${F + 1}`, /was raised/],
      [`door-held:D-1:${F}`, /was raised/],
      ['door-forced:D-9:1', /no door "D-9"/],
      ['door-forced:D-2:1', /has no reader/],
      [`door-forced:D-1:${live.now() + 10 * MIN}`, /after the live state's time/],
    ];
    for (const [id, why] of checks) {
      const r = await get(live, `/api/incidents/${enc(id)}`, live.tokens.viewer);
      expect([id, r.status]).toEqual([id, 404]);
      expect(r.body.error).toMatch(why);
    }
    for (const q of ['before=-1', 'after=2000', 'before=x']) expect((await get(live, `/api/incidents/${enc(alarmId)}?${q}`, live.tokens.viewer)).status).toBe(400);
  });

  it('keeps the reconstruction time of each request for the KPI panel', async () => {
    const r = await get(live, '/api/incidents/stats', live.tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.body.count).toBeGreaterThanOrEqual(3); // the incident, the wide one, the bundle (more when run after the others)
    expect(r.body.p50Ms).toBeGreaterThan(0);
    expect(r.body.p95Ms).toBeGreaterThanOrEqual(r.body.p50Ms);
    expect(r.body.maxMs).toBeGreaterThanOrEqual(r.body.p95Ms);
  });
});
