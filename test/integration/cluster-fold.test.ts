// The cluster's fold without Redis: two pipelines over one store file, one
// leading (it folds the store's tail), one following (it mirrors the
// leader's changes), wired by hand as server/cluster/node.ts wires them.
// What only timing shows in the process test (cluster.test.ts): a record
// slow to commit at the follower is not late at the leader while the
// follower holds it; a takeover from a mark continues the numbering.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { StateChange } from '../../src/core/reducer.ts';
import { Pipeline, type FoldMark } from '../../server/ingest/pipeline.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/types.ts';
import { tinyFacility } from './live-helpers.ts';

const ix = indexFacility(tinyFacility(true));
const REORDER_MS = 200;

/** A store whose appends take `delayMs` longer (a node whose commits are slow). */
function slowed(store: Store, delayMs: number): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append') return async (...args: Parameters<Store['append']>) => { await new Promise((r) => setTimeout(r, delayMs)); return target.append(...args); };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('cluster fold (leader tails the store, follower mirrors)', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => { for (const x of open.splice(0).reverse()) await x.close(); });

  const setup = (followerDelayMs = 0) => {
    const path = join(mkdtempSync(join(tmpdir(), 'twinspace-cluster-fold-')), 'twin.db');
    const leaderStore = new SqliteStore(path), followerStore = new SqliteStore(path);
    // What the clients get: the changes of whichever leads, applied to the other's mirror (a no-op unless it follows).
    const changes: StateChange[] = [];
    /** Refolds that changed a pipeline's state (the app then broadcasts a snapshot), by pipeline. */
    const refolds = [0, 0];
    const pipes: Pipeline[] = [];
    const broadcast = (from: number) => (c: readonly StateChange[]) => {
      changes.push(...c);
      if (pipes[1 - from]!.applyChanges(c) === 'gap') throw new Error('gap');
    };
    const opts = { index: ix, reorderMs: REORDER_MS, foldTickMs: 10, batchMs: 5, snapshotEveryMs: 0, clustered: true };
    pipes.push(new Pipeline({ ...opts, store: leaderStore, onChanges: broadcast(0), onRefold: () => { refolds[0]!++; } }));
    pipes.push(new Pipeline({ ...opts, store: followerDelayMs > 0 ? slowed(followerStore, followerDelayMs) : followerStore, onChanges: broadcast(1), onRefold: () => { refolds[1]!++; } }));
    const [leader, follower] = pipes as [Pipeline, Pipeline];
    open.push(leaderStore, followerStore, leader, follower);
    return { leader, follower, changes, refolds };
  };

  it('folds what the follower stored, once, in time order; the follower mirrors the changes', async () => {
    const { leader, follower, changes } = setup();
    await leader.lead(null, () => true);
    follower.follow(JSON.parse(JSON.stringify(leader.state)));
    const ts = Date.now();
    // Out of order across the nodes: the badge, stored at the leader after the door at the follower, is earlier.
    // Folded in arrival order the door would be forced; in time order it is not.
    await follower.submit([{ ts: ts + 10, type: 'door.opened', door: 'D-1' }, { ts: ts + 20, type: 'door.closed', door: 'D-1' }]);
    await leader.submit([{ ts, type: 'access.granted', door: 'D-1', badge: 'B-1' }]);
    await expect.poll(() => changes.length, { timeout: 3000 }).toBe(2);
    expect(changes.map((c) => c.kind)).toEqual(['door', 'door']);
    await new Promise((r) => setTimeout(r, 2 * REORDER_MS));
    expect(changes).toHaveLength(2);
    expect(leader.stats().late + leader.stats().foldRefused).toBe(0);
    expect(follower.state.seq).toBe(leader.state.seq);
    expect(follower.state.doors['D-1']).toEqual(leader.state.doors['D-1']);
  });

  it('waits for a record the follower holds (slow commit) instead of finding it late', async () => {
    const { leader, follower, changes } = setup(3 * REORDER_MS);
    await leader.lead(null, () => true, () => [follower.pendingTimes()]);
    follower.follow(JSON.parse(JSON.stringify(leader.state)));
    const ts = Date.now();
    const out = await follower.submit([{ ts, type: 'door.opened', door: 'D-1' }]);
    expect(out).toEqual([{ ok: true, isNew: true, late: false }]);
    await expect.poll(() => changes.filter((c) => c.kind === 'alarm.raised').map((c) => ('alarm' in c ? c.alarm.id : '')), { timeout: 3000 }).toEqual([`door-forced:D-1:${ts}`]);
    expect(leader.stats().late).toBe(0);
  });

  it('without the hold the same record is late: not in the fold\'s changes, taken in by the leader\'s refold (the control)', async () => {
    const { leader, follower, changes, refolds } = setup(3 * REORDER_MS);
    await leader.lead(null, () => true);
    follower.follow(JSON.parse(JSON.stringify(leader.state)));
    const seq0 = leader.state.seq;
    const ts = Date.now();
    await follower.submit([{ ts, type: 'door.opened', door: 'D-1' }]);
    await expect.poll(() => leader.stats().late, { timeout: 3000 }).toBe(1);
    // The leader folds its state again from the store: the door and its forced alarm are there, numbered above the old;
    // the app would broadcast it whole (the follower re-syncs from it), not as changes.
    await expect.poll(() => refolds[0], { timeout: 3000 }).toBe(1);
    expect(leader.state.alarms[`door-forced:D-1:${ts}`]).toMatchObject({ kind: 'door-forced', door: 'D-1', onset: ts });
    expect(leader.state.doors['D-1']).toEqual({ open: true, since: ts });
    expect(leader.state.seq).toBe(seq0 + 1);
    expect(refolds[1]).toBe(0); // a follower never refolds
    expect(changes).toEqual([]);
  });

  it('a new leader from the last mark continues the numbering and does not send again what was sent', async () => {
    const { leader, follower, changes } = setup();
    await leader.lead(null, () => true);
    follower.follow(JSON.parse(JSON.stringify(leader.state)));
    const ts = Date.now();
    await leader.submit([{ ts, type: 'camera.offline', camera: 'CAM-1' }, { ts: ts + 1, type: 'door.opened', door: 'D-1' }]);
    await expect.poll(() => changes.length, { timeout: 3000 }).toBe(3); // camera, door, door-forced
    const mark: FoldMark = { seq: leader.state.seq, sealed: leader.state.sealed, at: leader.state.at };
    expect(follower.applyMark(mark)).toBe('ok');
    // More after the mark, then the leader stops (it died).
    await leader.submit([{ ts: Date.now(), type: 'door.closed', door: 'D-1' }]);
    await expect.poll(() => changes.length, { timeout: 3000 }).toBe(4);
    leader.demote();
    const sent = changes.length;
    const { continuous } = await follower.lead(follower.lastMark, () => true);
    expect(continuous).toBe(true);
    await new Promise((r) => setTimeout(r, 3 * REORDER_MS));
    expect(changes.length).toBe(sent); // the door.closed after the mark was folded again, not sent again
    expect(follower.state.seq).toBe(changes.at(-1)!.seq);
    const seqBefore = follower.state.seq;
    await leader.submit([{ ts: Date.now(), type: 'camera.online', camera: 'CAM-1' }]); // stored at the old leader, now a follower
    await expect.poll(() => changes.slice(sent).map((c) => [c.kind, c.seq]), { timeout: 3000 }).toEqual([['camera', seqBefore + 1]]);
  });
});
