// The store contract (server/store/types.ts) as one suite every
// implementation runs: SQLite in store.test.ts, PostgreSQL when it comes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord, TwinRecord } from '../../src/core/records.ts';
import { initialState } from '../../src/core/reducer.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { iterateRecords, type Store } from '../../server/store/types.ts';
import { mulberry32 } from '../../src/core/random.ts';

const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const s = (n: number) => T0 + n * 1000;

/** Runs the contract against stores made by `makeStore` (a fresh, empty store each test) and closed after. */
export function storeContract(name: string, makeStore: () => Promise<Store>, facility: Facility): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await makeStore(); });
    afterEach(async () => { await store.close(); });

    it('appends a mixed batch and reads it back in (ts, seq) order', async () => {
      const batch: TwinRecord[] = [
        { ts: s(2), sensor: 'T-CR1-1', value: 20.5 },
        { ts: s(1), type: 'door.opened', door: 'D-1' },
        { ts: s(1), sensor: 'T-CR1-2', value: 19.75 },
        { ts: s(3), type: 'alarm.resolved', alarm: 'door-forced:D-1:1000', by: 'op', outcome: 'genuine', note: 'ok' },
      ];
      const r = await store.append(batch);
      expect(r).toEqual({ inserted: 4, isNew: [true, true, true, true] });
      const all = await store.records({});
      expect(all.map((x) => x.record)).toEqual([batch[1], batch[2], batch[0], batch[3]]);
      const seqs = all.map((x) => x.seq);
      expect(new Set(seqs).size).toBe(4);
      expect(await store.timeRange()).toEqual({ from: s(1), to: s(3) });
    });

    it('is idempotent: an identical record is skipped, a same-ts different value is kept in input order', async () => {
      const a: TwinRecord = { ts: s(1), sensor: 'T-CR1-1', value: 20 };
      const b: TwinRecord = { ts: s(1), sensor: 'T-CR1-1', value: 21 };
      const e: EventRecord = { ts: s(1), type: 'access.denied', door: 'D-1', badge: 'B-1' };
      expect(await store.append([a, e])).toEqual({ inserted: 2, isNew: [true, true] });
      expect(await store.append([a, b, e, { ...e }])).toEqual({ inserted: 1, isNew: [false, true, false, false] });
      const rows = await store.telemetry({ sensor: 'T-CR1-1' });
      expect(rows.map((x) => x.record.value)).toEqual([20, 21]);
      expect(rows[0]!.seq).toBeLessThan(rows[1]!.seq);
      expect(await store.events({})).toHaveLength(1);
      // Field order does not make an event different.
      expect((await store.append([{ badge: 'B-1', door: 'D-1', type: 'access.denied', ts: s(1) } as EventRecord])).inserted).toBe(0);
    });

    it('numbers records in first-stored order across batches', async () => {
      await store.append([{ ts: s(5), sensor: 'T-CR1-1', value: 1 }]);
      await store.append([{ ts: s(5), type: 'door.opened', door: 'D-1' }]);
      const [first, second] = await store.records({});
      expect(first!.record).toMatchObject({ sensor: 'T-CR1-1' });
      expect(second!.record).toMatchObject({ type: 'door.opened' });
      expect(first!.seq).toBeLessThan(second!.seq);
    });

    it('tails records after a seq in seq order, whatever their ts, without a hole', async () => {
      await store.append([{ ts: s(9), sensor: 'T-CR1-1', value: 1 }, { ts: s(2), type: 'door.opened', door: 'D-1' }]);
      const base = await store.lastSeq();
      await store.append([{ ts: s(1), sensor: 'T-CR1-2', value: 2 }, { ts: s(1), type: 'door.closed', door: 'D-1' }, { ts: s(8), sensor: 'T-CR1-1', value: 3 }]);
      const all = await store.tail(0);
      expect(all.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5].map((k) => all[0]!.seq + k - 1));
      const after = await store.tail(base);
      expect(after.map((x) => x.record)).toEqual([
        { ts: s(1), sensor: 'T-CR1-2', value: 2 }, { ts: s(1), type: 'door.closed', door: 'D-1' }, { ts: s(8), sensor: 'T-CR1-1', value: 3 },
      ]);
      expect(after[0]!.seq).toBe(base + 1);
      expect((await store.tail(base, 2)).map((x) => x.seq)).toEqual([base + 1, base + 2]);
      expect(await store.tail(await store.lastSeq())).toEqual([]);
      expect(await store.tail(base, 0)).toEqual([]);
    });

    it('queries events by time, type and subject (door, camera, alarm at a door)', async () => {
      const ev: EventRecord[] = [
        { ts: s(1), type: 'access.granted', door: 'D-1', badge: 'B-7' },
        { ts: s(2), type: 'door.opened', door: 'D-1' },
        { ts: s(3), type: 'door.opened', door: 'D-2' },
        { ts: s(4), type: 'camera.offline', camera: 'CAM-1' },
        { ts: s(5), type: 'alarm.acknowledged', alarm: `door-held:D-1:${s(2)}`, by: 'op' },
      ];
      await store.append(ev);
      const types = (xs: { record: EventRecord }[]) => xs.map((x) => x.record.type);
      expect(types(await store.events({ from: s(2), to: s(4) }))).toEqual(['door.opened', 'door.opened', 'camera.offline']);
      expect(types(await store.events({ types: ['door.opened'] }))).toEqual(['door.opened', 'door.opened']);
      expect(types(await store.events({ about: ['D-1'] }))).toEqual(['access.granted', 'door.opened', 'alarm.acknowledged']);
      expect(types(await store.events({ about: ['CAM-1', 'D-2'] }))).toEqual(['door.opened', 'camera.offline']);
      expect(types(await store.events({ about: [`door-held:D-1:${s(2)}`] }))).toEqual(['alarm.acknowledged']);
      expect(types(await store.events({ types: [] }))).toEqual([]);
      expect(await store.events({ limit: 2 })).toHaveLength(2);
      expect((await store.events({ from: s(5) }))[0]!.record).toEqual(ev[4]);
    });

    it('reads one sensor in a range and down-samples it to min/max/mean buckets', async () => {
      const batch: TwinRecord[] = [];
      for (let i = 0; i < 10; i++) batch.push({ ts: s(i), sensor: 'T-CR1-1', value: i }, { ts: s(i), sensor: 'T-CR1-2', value: 100 + i });
      await store.append(batch);
      expect((await store.telemetry({ sensor: 'T-CR1-1', from: s(3), to: s(5) })).map((x) => x.record.value)).toEqual([3, 4, 5]);
      expect(await store.telemetry({ sensor: 'T-NONE' })).toEqual([]);
      expect(await store.telemetryBuckets({ sensor: 'T-CR1-1', from: s(0), to: s(9), stepMs: 4000 })).toEqual([
        { ts: s(0), min: 0, max: 3, mean: 1.5, count: 4 },
        { ts: s(4), min: 4, max: 7, mean: 5.5, count: 4 },
        { ts: s(8), min: 8, max: 9, mean: 8.5, count: 2 },
      ]);
      // Empty buckets are left out.
      await store.append([{ ts: s(100), sensor: 'T-CR1-1', value: 50 }]);
      expect((await store.telemetryBuckets({ sensor: 'T-CR1-1', from: s(0), to: s(200), stepMs: 60_000 })).map((b) => b.count)).toEqual([10, 1]);
    });

    it('pages through records in (ts, seq) order without skipping ties', async () => {
      const batch: TwinRecord[] = [];
      for (let i = 0; i < 25; i++) {
        const ts = s(Math.floor(i / 5));
        batch.push(i % 3 === 0 ? { ts, type: 'access.rex', door: i % 2 ? 'D-1' : 'D-2' } : { ts, sensor: 'T-CR1-1', value: i });
      }
      expect((await store.append(batch)).inserted).toBe(25);
      const seen: number[] = [];
      for await (const page of iterateRecords(store, { from: s(1), to: s(3) }, 4)) {
        expect(page.length).toBeLessThanOrEqual(4);
        seen.push(...page.map((p) => p.seq));
      }
      const direct = (await store.records({ from: s(1), to: s(3), limit: 1000 })).map((p) => p.seq);
      const upTo = direct[4]!;
      expect((await store.records({ from: s(1), to: s(3), maxSeq: upTo })).every((p) => p.seq <= upTo)).toBe(true);
      expect(seen).toEqual(direct);
      expect(direct.length).toBe(15);
    });

    it('pages through telemetry and events interleaved at equal times exactly as one (ts, seq) sort, at any page size', async () => {
      // Stored out of time order, in three batches, dense and sparse stretches, many ties between the two kinds.
      const rnd = mulberry32(7);
      const batches: TwinRecord[][] = [[], [], []];
      for (let i = 0; i < 240; i++) {
        const ts = s(Math.floor(rnd() * (i < 120 ? 12 : 60)));
        const r: TwinRecord = rnd() < 0.3 ? { ts, type: 'access.granted', door: rnd() < 0.5 ? 'D-1' : 'D-2', badge: `B-${i}` } : { ts, sensor: 'T-CR1-1', value: i };
        batches[i % 3]!.push(r);
      }
      for (const b of batches) await store.append(b);
      const all = await store.records({ limit: 10_000 });
      expect(all).toHaveLength(240);
      const sorted = [...all].sort((a, b) => a.record.ts - b.record.ts || a.seq - b.seq);
      expect(all.map((r) => r.seq)).toEqual(sorted.map((r) => r.seq));
      const from = s(3), to = s(40);
      const want = sorted.filter((r) => r.record.ts >= from && r.record.ts <= to).map((r) => r.seq);
      for (const size of [1, 2, 3, 7, 50]) {
        const seen: number[] = [];
        for await (const page of iterateRecords(store, { from, to }, size)) seen.push(...page.map((p) => p.seq));
        expect(seen, `page size ${size}`).toEqual(want);
      }
    });

    it('saves snapshots and finds the latest at or before a time; a late record drops those it invalidates', async () => {
      const ix = indexFacility(facility);
      const st = initialState(ix);
      st.seq = 7;
      expect(await store.saveSnapshot({ ts: s(10), seq: 0, state: st })).toBe(true);
      expect(await store.saveSnapshot({ ts: s(20), seq: 0, state: { ...st, seq: 9 } })).toBe(true);
      expect(await store.snapshotAtOrBefore(s(5))).toBeNull();
      expect((await store.snapshotAtOrBefore(s(15)))?.state.seq).toBe(7);
      expect(await store.snapshotAtOrBefore(s(25))).toMatchObject({ ts: s(20), seq: 0, state: { seq: 9, doors: st.doors } });
      await store.append([{ ts: s(21), sensor: 'T-CR1-1', value: 1 }]);
      expect((await store.snapshotAtOrBefore(s(25)))?.ts).toBe(s(20));
      await store.append([{ ts: s(15), sensor: 'T-CR1-1', value: 1 }]);
      expect((await store.snapshotAtOrBefore(s(25)))?.ts).toBe(s(10));
      // A snapshot that would miss a record stored after its seq is not saved.
      expect(await store.saveSnapshot({ ts: s(20), seq: 0, state: st })).toBe(false);
      const last = await store.lastSeq();
      expect(last).toBeGreaterThan(0);
      expect(await store.saveSnapshot({ ts: s(20), seq: last, state: st })).toBe(true);
      // A duplicate does not invalidate anything.
      await store.append([{ ts: s(15), sensor: 'T-CR1-1', value: 1 }]);
      expect((await store.snapshotAtOrBefore(s(25)))?.ts).toBe(s(20));
    });

    it('keeps tokens by hash, an audit log and settings', async () => {
      await store.addToken({ hash: 'a'.repeat(64), role: 'operator', created: s(1), label: 'ops desk' });
      await store.addToken({ hash: 'b'.repeat(64), role: 'viewer', created: s(2), label: 'wall' });
      expect(await store.findToken('a'.repeat(64))).toEqual({ hash: 'a'.repeat(64), role: 'operator', created: s(1), label: 'ops desk' });
      expect(await store.findToken('c'.repeat(64))).toBeNull();
      expect((await store.listTokens()).map((t) => t.label)).toEqual(['ops desk', 'wall']);
      expect(await store.removeToken('b'.repeat(64))).toBe(true);
      expect(await store.removeToken('b'.repeat(64))).toBe(false);
      expect(await store.findToken('b'.repeat(64))).toBeNull();
      await store.appendAudit([{ ts: s(3), actor: 'ops desk', action: 'alarm.acknowledge', detail: { alarm: 'x' } }]);
      await store.append([{ ts: s(4), type: 'alarm.acknowledged', alarm: 'y', by: 'ops desk' }], [{ ts: s(4), actor: 'ops desk', action: 'alarm.acknowledge', detail: { alarm: 'y' } }]);
      expect(await store.auditLog({})).toEqual([
        { ts: s(3), actor: 'ops desk', action: 'alarm.acknowledge', detail: { alarm: 'x' } },
        { ts: s(4), actor: 'ops desk', action: 'alarm.acknowledge', detail: { alarm: 'y' } },
      ]);
      expect(await store.auditLog({ from: s(4) })).toHaveLength(1);
      expect(await store.getSetting('roi')).toBeUndefined();
      await store.setSetting('roi', { currency: 'EUR', horizonYears: 5 });
      expect(await store.getSetting('roi')).toEqual({ currency: 'EUR', horizonYears: 5 });
    });

    it('reports counts', async () => {
      await store.append([{ ts: s(1), sensor: 'T-CR1-1', value: 1 }, { ts: s(1), type: 'door.opened', door: 'D-1' }]);
      expect(await store.stats()).toMatchObject({ kind: store.kind, telemetry: 1, events: 1, snapshots: 0 });
    });

    // Added with the PostgreSQL store (issue 8): behaviour both must share.
    it('skips a repeat inside one batch and numbers the batch without gaps', async () => {
      const r: TwinRecord = { ts: s(1), sensor: 'T-CR1-1', value: 20 };
      const e: EventRecord = { ts: s(1), type: 'door.opened', door: 'D-1' };
      expect(await store.append([r, e, { ...r }, { ...e }, { ...r, value: 21 }])).toEqual({ inserted: 3, isNew: [true, true, false, false, true] });
      expect(await store.lastSeq()).toBe(3);
      expect((await store.records({})).map((x) => x.seq)).toEqual([1, 2, 3]);
    });

    it('takes fractional and far-out bounds as numbers', async () => {
      const batch: TwinRecord[] = [];
      for (let i = 0; i < 6; i++) batch.push({ ts: s(i), sensor: 'T-CR1-1', value: i }, { ts: s(i), type: 'access.rex', door: 'D-1' });
      await store.append(batch);
      expect((await store.telemetry({ sensor: 'T-CR1-1', from: s(3) - 0.5, to: s(5) - 0.5 })).map((x) => x.record.value)).toEqual([3, 4]);
      expect(await store.events({ from: s(2) + 0.5, to: s(3) + 0.5 })).toHaveLength(1);
      expect(await store.records({ from: -Number.MAX_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER })).toHaveLength(12);
      expect(await store.records({ from: s(1) + 0.25, to: s(2) })).toHaveLength(2);
    });
  });
}
