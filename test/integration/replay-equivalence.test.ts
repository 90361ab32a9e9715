// "Replay and live cannot disagree" (DESIGN.md): a live app driven through
// its real ingest and alarm API, watched by a real socket client. At several
// instants T the client's own view (its snapshot plus the state changes it
// received, applied in seq order; sensors from the frames) is recorded once
// the live fold has passed T; at the end, after more records, snapshots and
// a history keyframe pass, GET /api/state?at=T must give exactly that view.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFacility } from '../../src/core/facility/validate.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import type { StateChange, StateJson } from '../../src/core/protocol.ts';
import { fillKeyframes, startKeyframeUpkeep } from '../../server/history/keyframes.ts';
import { connect, get, post, startLive, tinyFacility, type Inbox, type Live } from './live-helpers.ts';

/** How long to wait for the live fold, the hub and frames on a busy machine. */
const WAIT = { timeout: 10_000, interval: 20 };

/** The tiny plant (open at all hours) with two more reader doors, short hold times, and a second camera. */
function equivalenceFacility(): Facility {
  const doc = JSON.parse(JSON.stringify(tinyFacility(true))) as { floors: { doors: unknown[]; cameras: unknown[] }[] };
  const l1 = doc.floors[0]!;
  l1.doors.push(
    { id: 'D-3', name: 'Clean room exit', position: [0, 5], zones: ['CR-1', 'outside'], reader: true, heldOpenSeconds: 5 },
    { id: 'D-4', name: 'Dock', position: [15, 10], zones: ['COR-1', 'outside'], reader: true, heldOpenSeconds: 8 },
  );
  l1.cameras.push({ id: 'CAM-2', name: 'Corridor', position: [17, 5], mountHeight: 2.6, yaw: 180, tilt: 10, hfov: 70, resolution: [1920, 1080] });
  const r = loadFacility(doc);
  if (!r.ok) throw new Error(`test facility invalid: ${JSON.stringify(r.problems)}`);
  return r.facility;
}

/** What the client sees at one instant: doors, cameras and open alarms from its snapshot and changes, sensors from frames. */
interface View { T: number; seq: number; doors: StateJson['doors']; cameras: StateJson['cameras']; alarms: StateJson['alarms']; sensors: StateJson['sensors'] }

/** The client's view: its first snapshot, then every change up to `seq`, in seq order. */
function clientView(inbox: Inbox, sensorIds: readonly string[], T: number, seq: number): View {
  const snap = structuredClone(inbox.snapshots[0]!);
  const v: View = { T, seq: snap.seq, doors: snap.doors, cameras: snap.cameras, alarms: snap.alarms, sensors: {} };
  const changes: StateChange[] = [...inbox.changes].filter((c) => c.seq > snap.seq && c.seq <= seq).sort((a, b) => a.seq - b.seq);
  for (const c of changes) {
    expect(c.seq).toBe(v.seq + 1); // contiguous: nothing lost
    v.seq = c.seq;
    if (c.kind === 'door') v.doors[c.door] = { open: c.open, since: toIso(c.since) };
    else if (c.kind === 'camera') v.cameras[c.camera] = { online: c.online, since: toIso(c.since) };
    else if (c.kind === 'alarm.raised') v.alarms.push({ id: c.alarm.id, kind: c.alarm.kind, door: c.alarm.door, onset: toIso(c.alarm.onset), acknowledgedAt: null, acknowledgedBy: null });
    else if (c.kind === 'alarm.acknowledged') {
      const a = v.alarms.find((x) => x.id === c.alarm.id);
      if (a) { a.acknowledgedAt = toIso(c.alarm.acknowledgedAt!); a.acknowledgedBy = c.alarm.acknowledgedBy; }
    } else v.alarms = v.alarms.filter((x) => x.id !== c.alarm.id);
  }
  for (const f of inbox.frames) {
    f.slots.forEach((slot, i) => { v.sensors[sensorIds[slot]!] = { value: f.values[i]!, ts: toIso(f.times[i]!) }; });
  }
  return v;
}

describe('replay and live cannot disagree', () => {
  let live: Live;
  let inbox: Inbox;
  const views: View[] = [];
  const lastReading = new Map<string, { ts: number; value: number }>();
  let keyframes = 0;

  async function ingest(records: Record<string, unknown>[]): Promise<void> {
    const r = await post(live, '/api/ingest', live.tokens.operator, records);
    expect(r.body).toMatchObject({ rejected: [], late: 0 });
    for (const rec of records) {
      if (typeof rec['sensor'] !== 'string') continue;
      const prev = lastReading.get(rec['sensor']);
      if (!prev || (rec['ts'] as number) >= prev.ts) lastReading.set(rec['sensor'], { ts: rec['ts'] as number, value: rec['value'] as number });
    }
  }

  async function action(alarm: string, what: 'ack' | 'resolve', body: Record<string, unknown> = {}): Promise<void> {
    const r = await post(live, `/api/alarms/${encodeURIComponent(alarm)}/${what}`, live.tokens.operator, body);
    expect([alarm, what, r.status]).toEqual([alarm, what, 200]);
  }

  /** Lets the live fold pass `ts` (moving the app clock on if needed), then records the client's view at the fold's time. */
  async function capture(ts: number): Promise<View> {
    const need = ts + 300 - live.now();
    if (need > 0) live.clockOffsetMs.value += need;
    await vi.waitFor(() => { if ((live.app.pipeline.state.sealed ?? 0) <= ts) throw new Error('fold behind'); }, WAIT);
    // Read together: the live state at `sealed` is the fold with seq `seq`.
    const s = live.app.pipeline.state;
    const T = s.sealed!, seq = s.seq;
    await vi.waitFor(() => {
      if (!inbox.changes.some((c) => c.seq === seq) && seq !== inbox.snapshots[0]!.seq) throw new Error('changes not received yet');
      const got = clientView(inbox, live.app.index.sensorIds, T, seq).sensors;
      for (const [id, r] of lastReading) if (got[id]?.ts !== toIso(r.ts) || got[id]?.value !== r.value) throw new Error(`frame of ${id} not received yet`);
    }, WAIT);
    const v = clientView(inbox, live.app.index.sensorIds, T, seq);
    views.push(v);
    return v;
  }

  beforeAll(async () => {
    live = await startLive({ facility: equivalenceFacility() });
    ({ inbox } = await connect(live, live.tokens.viewer));
    await vi.waitFor(() => { if (inbox.snapshots.length === 0) throw new Error('no snapshot yet'); }, WAIT);

    // A: a badge visit, a forced exit, a camera lost, readings (one tie at the same instant: the later one holds).
    let t = live.now() + 500;
    await ingest([
      { ts: t, type: 'access.granted', door: 'D-1', badge: 'B-1' },
      { ts: t + 50, sensor: 'T-CR1-1', value: 20.1 },
      { ts: t + 50, sensor: 'T-CR1-1', value: 20.2 },
      { ts: t + 60, sensor: 'T-CR1-2', value: 19.7 },
      { ts: t + 100, type: 'door.opened', door: 'D-1' },
      { ts: t + 300, type: 'door.opened', door: 'D-3' },
      { ts: t + 400, type: 'camera.offline', camera: 'CAM-1' },
      { ts: t + 2000, type: 'door.closed', door: 'D-1' },
      { ts: t + 2500, type: 'door.closed', door: 'D-3' },
    ]);
    const forcedD3 = `door-forced:D-3:${t + 300}`;
    expect((await capture(t + 2500)).alarms.map((a) => a.id)).toEqual([forcedD3]);

    // B, more than FORCED_WINDOW_MS after B-1's badge: the dock is badged open and left open; the clean-room door is forced and closed.
    live.clockOffsetMs.value += 15_000;
    t = live.now() + 500;
    await ingest([
      { ts: t, type: 'access.granted', door: 'D-4', badge: 'B-2' },
      { ts: t + 200, type: 'door.opened', door: 'D-4' },
      { ts: t + 300, type: 'door.opened', door: 'D-1' },
      { ts: t + 400, sensor: 'RH-CR1-1', value: 44 },
      { ts: t + 1000, type: 'door.closed', door: 'D-1' },
    ]);
    const forcedD1 = `door-forced:D-1:${t + 300}`, heldD4 = `door-held:D-4:${t + 200 + 8000}`;
    const b = await capture(t + 1000);
    expect([b.doors['D-4']!.open, b.alarms.map((a) => a.id)]).toEqual([true, [forcedD3, forcedD1]]);
    await live.app.pipeline.snapshot(); // later replays start from a keyframe
    // Time passes with no record: the dock door is held.
    expect((await capture(t + 200 + 8000)).alarms.map((a) => a.id)).toEqual([forcedD3, forcedD1, heldD4]);

    // C: operators act; the camera comes back, another goes; the dock closes; a badge is refused three times.
    await action(forcedD3, 'ack', { note: 'checking' });
    await action(heldD4, 'ack');
    await action(forcedD1, 'resolve', { outcome: 'false-alarm', note: 'door sensor bounce' });
    t = live.now() + 500;
    await ingest([
      { ts: t, type: 'camera.online', camera: 'CAM-1' },
      { ts: t + 10, type: 'camera.offline', camera: 'CAM-2' },
      { ts: t + 100, type: 'door.closed', door: 'D-4' },
      { ts: t + 200, type: 'access.denied', door: 'D-1', badge: 'B-9' },
      { ts: t + 300, type: 'access.denied', door: 'D-1', badge: 'B-9' },
      { ts: t + 400, type: 'access.denied', door: 'D-1', badge: 'B-9' },
      { ts: t + 450, sensor: 'T-CR1-1', value: 22.5 },
    ]);
    const burst = `denied-burst:D-1:${t + 400}`;
    const c = await capture(t + 450);
    expect(c.alarms.map((a) => [a.id, a.acknowledgedAt !== null])).toEqual([[forcedD3, true], [heldD4, true], [burst, false]]);

    // D: a minute later, more handling and traffic.
    live.clockOffsetMs.value += 60_000;
    await action(heldD4, 'resolve', { outcome: 'genuine' });
    await action(burst, 'ack');
    t = live.now() + 500;
    await ingest([
      { ts: t, type: 'access.granted', door: 'D-3', badge: 'B-3' },
      { ts: t + 100, type: 'door.opened', door: 'D-3' },
      { ts: t + 150, sensor: 'T-CR1-2', value: 19.9 },
      { ts: t + 200, type: 'camera.online', camera: 'CAM-2' },
    ]);
    const d = await capture(t + 200);
    expect(d.doors['D-3']!.open).toBe(true);

    // E: the door left open is held, with nothing else happening.
    expect((await capture(t + 100 + 5000)).alarms.map((a) => a.id)).toEqual([forcedD3, burst, `door-held:D-3:${t + 100 + 5000}`]);

    // Afterwards: more records, a live snapshot, and a history keyframe pass over everything.
    await ingest([{ ts: live.now() + 100, type: 'door.closed', door: 'D-3' }, { ts: live.now() + 100, sensor: 'T-CR1-1', value: 21 }]);
    await live.app.pipeline.snapshot();
    keyframes = (await fillKeyframes(live.store, live.app.index, { upTo: live.app.pipeline.state.sealed!, everyMs: 1000 })).saved;
  });
  afterAll(() => live.close());

  it('recorded views at several instants, with alarms raised, acknowledged and resolved', () => {
    expect(views).toHaveLength(6);
    expect(keyframes).toBeGreaterThan(50); // a keyframe every second of the ~95 s of history, so most replays below start from one
    expect(views.map((v) => v.seq)).toEqual([...views.map((v) => v.seq)].sort((a, b) => a - b));
  });

  it('GET /api/state?at=T equals the live view at each T: doors, cameras, open alarms, seq, and the sensors the frames brought', async () => {
    for (const v of views) {
      const r = await get(live, `/api/state?at=${v.T}`, live.tokens.viewer);
      expect(r.status).toBe(200);
      const s = r.body as StateJson;
      expect({ T: toIso(v.T), at: s.at, seq: s.seq, doors: s.doors, cameras: s.cameras, alarms: s.alarms })
        .toEqual({ T: toIso(v.T), at: toIso(v.T), seq: v.seq, doors: v.doors, cameras: v.cameras, alarms: v.alarms });
      expect(s.sensors).toEqual(v.sensors);
    }
  });

  it('history keyframes: a record stored late drops those after it, the next pass refills them, and replays still agree', async () => {
    const ix = live.app.index, upTo = live.app.pipeline.state.sealed!;
    const settled = await fillKeyframes(live.store, ix, { upTo, everyMs: 1000 });
    expect(settled).toMatchObject({ saved: 0, stoppedEarly: false });
    expect(settled.completeUpTo).toBe(Math.floor(upTo / 1000) * 1000);
    const lateTs = views[2]!.T - 5000;
    await ingest([{ ts: lateTs, sensor: 'RH-CR1-1', value: 41 }]);
    expect((await live.store.snapshotAtOrBefore(upTo))!.ts).toBeLessThan(lateTs);
    const refilled = await fillKeyframes(live.store, ix, { upTo, everyMs: 1000 });
    expect(refilled.saved).toBeGreaterThanOrEqual(Math.floor((upTo - lateTs) / 1000) - 1);
    expect(refilled.completeUpTo).toBe(settled.completeUpTo);
    for (const v of views) {
      const s = (await get(live, `/api/state?at=${v.T}`, live.tokens.viewer)).body as StateJson;
      expect({ seq: s.seq, doors: s.doors, cameras: s.cameras, alarms: s.alarms }).toEqual({ seq: v.seq, doors: v.doors, cameras: v.cameras, alarms: v.alarms });
      expect(s.sensors['RH-CR1-1']).toEqual(v.T >= lateTs ? { value: 41, ts: toIso(lateTs) } : v.sensors['RH-CR1-1']);
    }
  });

  it('keyframe upkeep: after a complete pass the next looks only past it, unless a late record dropped its last keyframe', async () => {
    // The sealed time is moved by hand: the live fold advances it every tick, and under load
    // a new 500 ms interval could complete between two passes that should find nothing new.
    const sealed = { at: live.app.pipeline.state.sealed };
    const upkeep = startKeyframeUpkeep(live.store, live.app.index, () => sealed.at, { everyMs: 500, firstAfterMs: 3_600_000, checkMs: 3_600_000 });
    try {
      const first = (await upkeep.runNow())!;
      expect(first).toMatchObject({ stoppedEarly: false });
      expect(first.saved).toBeGreaterThan(0); // the half-seconds between the 1 s keyframes
      const again = (await upkeep.runNow())!;
      expect(again).toMatchObject({ saved: 0 });
      expect(again.checked).toBeLessThan(first.checked / 4); // only the intervals since the first pass
      const lateTs = views[4]!.T - 2000;
      await ingest([{ ts: lateTs, sensor: 'T-CR1-2', value: 18 }]);
      sealed.at = live.app.pipeline.state.sealed;
      const refill = (await upkeep.runNow())!;
      expect(refill.checked).toBeGreaterThanOrEqual(first.checked); // the last keyframe was gone: the whole history again
      expect(refill.saved).toBeGreaterThan(Math.floor((sealed.at! - lateTs) / 500) - 3);
      expect(refill.completeUpTo).toBeGreaterThanOrEqual(again.completeUpTo!);
    } finally {
      upkeep.stop();
    }
  });

  it('the live state now equals the replay now', async () => {
    const now = live.app.pipeline.state;
    const r = await get(live, `/api/state?at=${now.sealed!}`, live.tokens.viewer);
    const liveNow = await get(live, '/api/state', live.tokens.viewer);
    expect({ ...r.body, at: null }).toEqual({ ...liveNow.body, at: null });
  });
});
