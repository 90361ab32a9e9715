// Events later than the reorder window (a door controller flushing what it
// buffered while offline): stored, answered `late`, and then taken into the
// live state by a refold from the store, so live and replay still agree.
// A real app (SQLite, reorder window 200 ms) and a real socket client, which
// gets the refolded state whole, with the numbering going on above the old.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StateJson } from '../../src/core/protocol.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { connect, get, post, startLive, type Inbox, type Live } from './live-helpers.ts';

const WAIT = { timeout: 10_000, interval: 20 };

describe('late events', () => {
  let live: Live;
  let inbox: Inbox;
  beforeAll(async () => {
    live = await startLive();
    ({ inbox } = await connect(live, live.tokens.viewer));
    await vi.waitFor(() => { if (inbox.snapshots.length !== 1) throw new Error('no first snapshot yet'); }, WAIT);
  });
  afterAll(() => live.close());

  const ingest = async (records: unknown[]) => {
    const r = await post(live, '/api/ingest', live.tokens.operator, records);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { accepted: number; late: number; rejected: unknown[] };
  };
  const liveState = async () => (await get(live, '/api/state', live.tokens.viewer)).body as StateJson;
  const lastSnapshot = () => inbox.snapshots[inbox.snapshots.length - 1]!;

  it('a forced door reported 5 s late raises its alarm, with its own onset, and every client gets the new state', async () => {
    const seq0 = live.app.pipeline.state.seq;
    const t = live.now() - 5000;
    expect(await ingest([{ ts: t, type: 'door.opened', door: 'D-1' }, { ts: t + 2000, type: 'door.closed', door: 'D-1' }])).toMatchObject({ accepted: 2, late: 2 });
    const id = `door-forced:D-1:${t}`;
    await expect.poll(() => inbox.snapshots.length, WAIT).toBe(2);
    const snap = lastSnapshot();
    expect(snap.alarms.map((a) => a.id)).toEqual([id]);
    expect(snap.alarms[0]).toMatchObject({ kind: 'door-forced', door: 'D-1', onset: toIso(t), acknowledgedAt: null });
    expect(snap.seq).toBe(seq0 + 1);
    expect(snap.doors['D-1']).toMatchObject({ open: false });
    // One refold took both records in; /healthz says so.
    const h = (await get(live, '/healthz', null)).body as { ingest: { late: number; refolds: number; refoldsChanged: number } };
    expect(h.ingest).toMatchObject({ late: 2, refolds: 1, refoldsChanged: 1 });
  });

  it('live and replay agree afterwards: the live state equals GET /api/state?at= its own time', async () => {
    const now = await liveState();
    const at = (await get(live, `/api/state?at=${encodeURIComponent(now.at!)}`, live.tokens.viewer)).body as StateJson;
    expect(at.alarms).toEqual(now.alarms);
    expect(at.doors).toEqual(now.doors);
    expect(at.cameras).toEqual(now.cameras);
  });

  it('a badge read reported late withdraws the forced alarm it explains; numbering goes on, new changes follow the snapshot', async () => {
    const t = live.now();
    await ingest([{ ts: t, type: 'door.opened', door: 'D-1' }]);
    const id = `door-forced:D-1:${t}`;
    await expect.poll(() => inbox.changes.some((c) => c.kind === 'alarm.raised' && c.alarm.id === id), WAIT).toBe(true);
    await ingest([{ ts: t + 100, type: 'door.closed', door: 'D-1' }]);
    await expect.poll(() => inbox.changes.some((c) => c.kind === 'door' && c.door === 'D-1' && c.since === t + 100), WAIT).toBe(true);
    const before = inbox.snapshots.length;
    // The reader's grant, 1 s before the door opened, arrives now.
    expect(await ingest([{ ts: t - 1000, type: 'access.granted', door: 'D-1', badge: 'B-0042' }])).toMatchObject({ accepted: 1, late: 1 });
    await expect.poll(() => inbox.snapshots.length, WAIT).toBe(before + 1);
    const snap = lastSnapshot();
    expect(snap.alarms.map((a) => a.id)).not.toContain(id);
    expect(snap.seq).toBeGreaterThan(Math.max(...inbox.changes.map((c) => c.seq)));
    // A fresh change is numbered right after the snapshot.
    await ingest([{ ts: live.now(), type: 'camera.offline', camera: 'CAM-1' }]);
    await expect.poll(() => inbox.changes.find((c) => c.kind === 'camera' && c.camera === 'CAM-1')?.seq, WAIT).toBe(snap.seq + 1);
  });

  it('a late event that changes nothing the clients see sends nothing', async () => {
    const before = inbox.snapshots.length;
    const h0 = ((await get(live, '/healthz', null)).body as { ingest: { refolds: number } }).ingest.refolds;
    // A denied badge long ago: stored, refolded, no visible difference.
    expect(await ingest([{ ts: live.now() - 60_000, type: 'access.denied', door: 'D-1', badge: 'B-0007' }])).toMatchObject({ late: 1 });
    await expect.poll(async () => ((await get(live, '/healthz', null)).body as { ingest: { refolds: number } }).ingest.refolds, WAIT).toBe(h0 + 1);
    expect(inbox.snapshots.length).toBe(before);
  });
});
