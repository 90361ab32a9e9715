// The live socket as browsers use it: hello and snapshot, alarms raised live
// by an event sequence, operator actions through acknowledgements, nothing
// lost across a dropped connection, bad payloads answered, floods limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, classifyChanges } from '../../src/core/protocol.ts';
import type { StateChange } from '../../src/core/protocol.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { connect, get, post, request, startLive, type Live } from './live-helpers.ts';

const alarmsIn = (changes: StateChange[], kind: string) => changes.filter((c) => c.kind === kind).map((c) => ('alarm' in c ? c.alarm.id : ''));

/** The seqs form 1..n with no gap after the first one received. */
function expectContiguous(changes: StateChange[], from: number): void {
  expect(changes.map((c) => c.seq)).toEqual(changes.map((_, i) => from + i));
}

describe('live socket', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ changeRingSize: 4 }); });
  afterAll(() => live.close());

  it('says hello with protocol, facility and role, then sends a snapshot', async () => {
    const { inbox } = await connect(live, live.tokens.viewer);
    await expect.poll(() => inbox.snapshots.length).toBe(1);
    expect(inbox.hello[0]).toMatchObject({ protocol: PROTOCOL_VERSION, facility: 'tiny', role: 'viewer', recovered: false, frameTickMs: 50 });
    expect(inbox.snapshots[0]).toMatchObject({ seq: live.app.pipeline.state.seq, doors: { 'D-1': { open: false }, 'D-2': { open: false } }, cameras: { 'CAM-1': { online: true } } });
  });

  it('coalesces readings per sensor (latest wins, older never replaces newer); a new client first gets every latest value', async () => {
    const { inbox } = await connect(live, live.tokens.viewer);
    const slot = live.app.index.sensorSlot.get('T-CR1-2')!;
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [
      { ts, sensor: 'T-CR1-2', value: 1 }, { ts: ts + 1, sensor: 'T-CR1-2', value: 2 }, { ts: ts - 5, sensor: 'T-CR1-2', value: 99 },
      { ts, sensor: 'RH-CR1-1', value: 45 },
    ]);
    await expect.poll(() => inbox.frames.some((f) => f.slots.includes(slot))).toBe(true);
    const seen = inbox.frames.flatMap((f) => f.slots.map((k, i) => [k, f.values[i]])).filter(([k]) => k === slot).map(([, v]) => v);
    expect(seen).toEqual([2]);
    const late = await connect(live, live.tokens.viewer);
    await expect.poll(() => late.inbox.frames.length).toBeGreaterThan(0);
    const first = late.inbox.frames[0]!;
    expect(first.full).toBe(true);
    const values = Object.fromEntries(first.slots.map((k, i) => [live.app.index.sensorIds[k]!, [first.values[i], first.times[i]]]));
    expect(values).toMatchObject({ 'T-CR1-2': [2, ts + 1], 'RH-CR1-1': [45, ts] });
  });

  it('gives a client whose transport was busy the latest values of what it missed, not the backlog', async () => {
    const { socket, inbox } = await connect(live, live.tokens.viewer);
    await expect.poll(() => inbox.frames.length).toBeGreaterThan(0);
    const server = live.app.hub.io.sockets.sockets.get(socket.id!)!;
    const transport = server.conn.transport as unknown as Record<string, unknown>;
    const busy = (isBusy: boolean) => Object.defineProperty(transport, 'writable', isBusy
      ? { get: () => false, set: () => {}, configurable: true }
      : { value: true, writable: true, configurable: true, enumerable: true });
    const a = live.app.index.sensorSlot.get('T-CR1-1')!, b = live.app.index.sensorSlot.get('T-CR1-2')!;
    const before = inbox.frames.length;
    const catchUps0 = live.app.hub.stats().catchUps;
    busy(true);
    const other = await connect(live, live.tokens.viewer);
    const t = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [{ ts: t, sensor: 'T-CR1-1', value: 101 }]);
    await expect.poll(() => other.inbox.frames.some((f) => f.values[f.slots.indexOf(a)] === 101)).toBe(true);
    await post(live, '/api/ingest', live.tokens.operator, [{ ts: t + 1, sensor: 'T-CR1-1', value: 102 }]);
    await expect.poll(() => other.inbox.frames.some((f) => f.values[f.slots.indexOf(a)] === 102)).toBe(true);
    await post(live, '/api/ingest', live.tokens.operator, [{ ts: t + 2, sensor: 'T-CR1-2', value: 7 }]);
    await expect.poll(() => other.inbox.frames.some((f) => f.values[f.slots.indexOf(b)] === 7)).toBe(true);
    expect(inbox.frames.length).toBe(before); // nothing reached the busy client
    busy(false);
    await expect.poll(() => inbox.frames.length).toBeGreaterThan(before);
    const caughtUp = inbox.frames[before]!;
    expect(caughtUp.full).toBe(false);
    expect(caughtUp.values[caughtUp.slots.indexOf(a)]).toBe(102);
    expect(caughtUp.values[caughtUp.slots.indexOf(b)]).toBe(7);
    expect(inbox.frames.slice(before).some((f) => f.values[f.slots.indexOf(a)] === 101)).toBe(false);
    expect(live.app.hub.stats().catchUps).toBeGreaterThan(catchUps0);
  });

  it('raises door-forced live for a reader door opened without access, not after a badge', async () => {
    const { inbox } = await connect(live, live.tokens.viewer);
    const t = live.app.pipeline.state.seq;
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [
      { ts, type: 'door.opened', door: 'D-1' },
      { ts: ts + 5, type: 'door.closed', door: 'D-1' },
      { ts: ts + 10, type: 'access.granted', door: 'D-1', badge: 'B-1' },
      { ts: ts + 12, type: 'door.opened', door: 'D-1' },
      { ts: ts + 15, type: 'door.closed', door: 'D-1' },
    ]);
    await expect.poll(() => inbox.changes.filter((c) => c.kind === 'door').length).toBe(4);
    expect(alarmsIn(inbox.changes, 'alarm.raised')).toEqual([`door-forced:D-1:${ts}`]);
    expectContiguous(inbox.changes, t + 1);
    // Door D-2 has no reader: no alarm.
    await post(live, '/api/ingest', live.tokens.operator, [{ ts: live.now(), type: 'door.opened', door: 'D-2' }]);
    await expect.poll(() => inbox.changes.length).toBe(6);
    expect(alarmsIn(inbox.changes, 'alarm.raised')).toHaveLength(1);
  });

  it('raises door-held on time with no further record, and an operator acknowledges and resolves it', async () => {
    const op = await connect(live, live.tokens.operator);
    const viewer = await connect(live, live.tokens.viewer);
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [{ ts, type: 'access.granted', door: 'D-1', badge: 'B-2' }, { ts: ts + 1, type: 'door.opened', door: 'D-1' }]);
    await expect.poll(() => viewer.inbox.changes.some((c) => c.kind === 'door' && c.open)).toBe(true);
    const id = `door-held:D-1:${ts + 1 + 20_000}`;
    expect(alarmsIn(viewer.inbox.changes, 'alarm.raised')).toEqual([]);
    live.clockOffsetMs.value += 21_000; // time passes; the door is still open
    await expect.poll(() => alarmsIn(viewer.inbox.changes, 'alarm.raised')).toEqual([id]);

    expect(await request(viewer.socket, 'alarm:acknowledge', { alarm: id })).toEqual({ ok: false, error: 'alarm:acknowledge: needs the operator role; this token has viewer' });
    expect(await request(op.socket, 'alarm:acknowledge', { alarm: id, note: 'on my way' })).toEqual({ ok: true });
    await expect.poll(() => alarmsIn(viewer.inbox.changes, 'alarm.acknowledged')).toEqual([id]);
    const acked = viewer.inbox.changes.find((c) => c.kind === 'alarm.acknowledged');
    expect(acked && 'alarm' in acked ? acked.alarm.acknowledgedBy : null).toBe('ops-desk');
    expect(await request(op.socket, 'alarm:resolve', { alarm: id, outcome: 'false-alarm', note: 'cart in the doorway' })).toEqual({ ok: true });
    await expect.poll(() => alarmsIn(op.inbox.changes, 'alarm.resolved')).toEqual([id]);
    const state = await get(live, '/api/state', live.tokens.viewer);
    expect(state.body.alarms.map((a: { id: string }) => a.id)).not.toContain(id);
    // The actions are stored as events and audited.
    expect((await live.store.events({ about: [id] })).map((e) => e.record)).toMatchObject([
      { type: 'alarm.acknowledged', alarm: id, by: 'ops-desk' },
      { type: 'alarm.resolved', alarm: id, by: 'ops-desk', outcome: 'false-alarm', note: 'cart in the doorway' },
    ]);
    expect((await live.store.auditLog({})).filter((a) => a.detail['alarm'] === id).map((a) => [a.actor, a.action])).toEqual([['ops-desk', 'alarm.acknowledge'], ['ops-desk', 'alarm.resolve']]);
    await post(live, '/api/ingest', live.tokens.operator, [{ ts: live.now(), type: 'door.closed', door: 'D-1' }]);
    await expect.poll(() => live.app.pipeline.state.doors['D-1']!.open).toBe(false);
  });

  it('answers bad payloads through the acknowledgement and never throws', async () => {
    const { socket } = await connect(live, live.tokens.operator);
    expect(await request(socket, 'alarm:acknowledge', { alarm: 'door-forced:D-1:1' })).toEqual({ ok: false, error: 'alarm: names no raised alarm "door-forced:D-1:1"' });
    expect(await request(socket, 'alarm:acknowledge', { alarm: 42 } as never)).toMatchObject({ ok: false, error: expect.stringMatching(/^alarm:acknowledge: alarm: /) });
    expect(await request(socket, 'alarm:resolve', { alarm: 'x', outcome: 'maybe' } as never)).toMatchObject({ ok: false, error: expect.stringMatching(/^alarm:resolve: outcome: /) });
    expect(await request(socket, 'alarm:resolve', { alarm: 'x', outcome: 'genuine', extra: 1 } as never)).toMatchObject({ ok: false });
    expect(await request(socket, 'state:sync', { lastSeq: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^state:sync: /) });
    expect(await request(socket, 'state:sync', null as never)).toMatchObject({ ok: false });
    // Without an acknowledgement, or an event nobody listens to: ignored, the connection lives on.
    socket.emit('alarm:acknowledge', { alarm: 'x' }, undefined as never);
    (socket as unknown as { emit: (e: string, ...a: unknown[]) => void }).emit('no:such', 1, 2);
    expect(await request(socket, 'state:sync', { lastSeq: live.app.pipeline.state.seq })).toEqual({ ok: true, mode: 'changes', changes: [] });
    expect(socket.connected).toBe(true);
  });

  it('syncs missed changes from the ring, or sends a snapshot when they are gone', async () => {
    const { socket } = await connect(live, live.tokens.viewer);
    const seq0 = live.app.pipeline.state.seq;
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [{ ts, type: 'camera.offline', camera: 'CAM-1' }, { ts: ts + 1, type: 'camera.online', camera: 'CAM-1' }]);
    await expect.poll(() => live.app.pipeline.state.seq).toBe(seq0 + 2);
    const r = await request(socket, 'state:sync', { lastSeq: seq0 });
    expect(r).toMatchObject({ ok: true, mode: 'changes' });
    if (r.ok && r.mode === 'changes') expectContiguous(r.changes, seq0 + 1);
    // The ring keeps 4 changes: asking from 0 is too old by now.
    const old = await request(socket, 'state:sync', { lastSeq: 0 });
    expect(old).toMatchObject({ ok: true, mode: 'snapshot', snapshot: { seq: seq0 + 2, cameras: { 'CAM-1': { online: true } } } });
    // A seq from the future (a restarted server) gets a snapshot too.
    expect(await request(socket, 'state:sync', { lastSeq: seq0 + 1000 })).toMatchObject({ ok: true, mode: 'snapshot' });
  });

  it('gives a client that dropped its connection every change it missed (recovered, or by sync)', async () => {
    const { socket, inbox } = await connect(live, live.tokens.viewer);
    await expect.poll(() => inbox.snapshots.length).toBe(1);
    let lastSeq = inbox.snapshots[0]!.seq;
    const applied: StateChange[] = [];
    socket.on('state:changed', ({ changes }) => {
      const a = classifyChanges(lastSeq, changes);
      if (a.action === 'apply') { applied.push(...a.changes); lastSeq += a.changes.length; }
    });
    socket.io.engine.close(); // the transport drops; socket.io reconnects by itself
    await expect.poll(() => socket.connected).toBe(false);
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [
      { ts, type: 'door.opened', door: 'D-1' }, { ts: ts + 1, type: 'door.closed', door: 'D-1' },
      { ts: ts + 2, type: 'access.denied', door: 'D-1', badge: 'B-3' }, { ts: ts + 3, type: 'access.denied', door: 'D-1', badge: 'B-3' },
      { ts: ts + 4, type: 'access.denied', door: 'D-1', badge: 'B-3' },
    ]);
    await expect.poll(() => live.app.pipeline.state.alarms[`denied-burst:D-1:${ts + 4}`] !== undefined).toBe(true);
    await expect.poll(() => socket.connected).toBe(true);
    const latest = live.app.pipeline.state.seq;
    const recovered = inbox.hello[inbox.hello.length - 1]!.recovered;
    if (!recovered) {
      // Not recovered: a fresh snapshot came instead.
      await expect.poll(() => inbox.snapshots.length).toBe(2);
      expect(inbox.snapshots[1]!.alarms.map((a) => a.id)).toEqual(expect.arrayContaining([`door-forced:D-1:${ts}`, `denied-burst:D-1:${ts + 4}`]));
    } else {
      await expect.poll(() => lastSeq).toBe(latest);
      expect(alarmsIn(applied, 'alarm.raised')).toEqual([`door-forced:D-1:${ts}`, `denied-burst:D-1:${ts + 4}`]);
    }
    expect(recovered).toBe(true); // recovery works within its window here; the branch above keeps the test honest if it ever does not
    // And asking with the last seq seen gives nothing more.
    expect(await request(socket, 'state:sync', { lastSeq })).toEqual({ ok: true, mode: 'changes', changes: [] });
  });
});

describe('socket limits', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ limits: { socketRate: { perSecond: 5, burst: 10 }, maxSocketMessageBytes: 4096 } }); });
  afterAll(() => live.close());

  it('rate-limits a flooding connection, answering the excess, and others carry on', async () => {
    const flood = await connect(live, live.tokens.operator);
    const calm = await connect(live, live.tokens.viewer);
    const replies = await Promise.all(Array.from({ length: 30 }, () => request(flood.socket, 'state:sync', { lastSeq: 0 })));
    const limited = replies.filter((r) => !r.ok && r.error.startsWith('rate limited'));
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(10);
    expect(await request(calm.socket, 'state:sync', { lastSeq: 0 })).toMatchObject({ ok: true });
    expect((await get(live, '/healthz', null)).body.ok).toBe(true);
  });

  it('drops a connection that sends a message over the size cap', async () => {
    const { socket } = await connect(live, live.tokens.operator);
    const closed = new Promise<string>((r) => socket.once('disconnect', (reason) => r(reason)));
    socket.emit('alarm:acknowledge', { alarm: 'x'.repeat(10_000) }, () => {});
    expect(await closed).toMatch(/transport (close|error)/);
    expect((await get(live, '/healthz', null)).body.ok).toBe(true);
  });
});

describe('after a restart', () => {
  it('a client\'s first frame has the latest readings the state was rebuilt with, before any new one arrives', async () => {
    const first = await startLive();
    const t = first.now() - 60_000;
    expect((await post(first, '/api/ingest', first.tokens.operator, [{ ts: t, sensor: 'T-CR1-1', value: 20.25 }, { ts: t + 1000, sensor: 'T-CR1-2', value: 19.75 }])).body).toMatchObject({ accepted: 2 });
    const dbPath = first.dbPath;
    await first.close();

    const store = new SqliteStore(dbPath);
    const second = await startLive({ store });
    try {
      const { inbox } = await connect(second, second.tokens.viewer);
      await expect.poll(() => inbox.frames.length).toBeGreaterThan(0);
      const f = inbox.frames[0]!;
      expect(f.full).toBe(true);
      const got = Object.fromEntries(f.slots.map((s, i) => [second.app.index.sensorIds[s], [f.values[i], f.times[i]]]));
      expect(got).toEqual({ 'T-CR1-1': [20.25, t], 'T-CR1-2': [19.75, t + 1000] });
    } finally {
      await second.close();
      await store.close();
    }
  });
});
