import { describe, it, expect } from 'vitest';
import type { EventRecord, TwinRecord } from '../../src/core/records.ts';
import {
  advance, cloneState, initialState, isBusinessHours, localWeekdayMinute, reduce, replay, stateToJson,
  type StateChange, type TwinState,
} from '../../src/core/reducer.ts';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { doorPlant as facility } from '../fixtures/door-plant.ts';

const T0 = Date.UTC(2026, 10, 2, 10); // Monday 2026-11-02 10:00Z
const s = (sec: number) => T0 + sec * 1000;
const ev = (sec: number, type: EventRecord['type'], ref: string, extra: Record<string, string> = {}): EventRecord => {
  const key = type.startsWith('camera') ? 'camera' : type.startsWith('alarm') ? 'alarm' : 'door';
  const rec = { ts: s(sec), type, [key]: ref, ...extra };
  if ((type === 'access.granted' || type === 'access.denied') && !('badge' in rec)) Object.assign(rec, { badge: 'b1' });
  return rec as EventRecord;
};

/** Folds records, failing on any refusal; returns state and every change. */
function fold(ix: FacilityIndex, recs: TwinRecord[], st: TwinState = initialState(ix)): { st: TwinState; changes: StateChange[] } {
  const changes: StateChange[] = [];
  for (const r of recs) {
    const out = reduce(st, r, ix);
    if (!out.ok) throw new Error(out.reason);
    changes.push(...out.changes);
  }
  return { st, changes };
}
const raisedIds = (changes: StateChange[]) => changes.flatMap((c) => (c.kind === 'alarm.raised' ? [c.alarm.id] : []));

describe('door and camera states', () => {
  const ix = facility();
  it('starts closed and online with since null, and numbers each change', () => {
    const st = initialState(ix);
    expect(st.doors).toEqual({ D1: { open: false, since: null }, D2: { open: false, since: null }, D3: { open: false, since: null } });
    expect(st.cameras).toEqual({ CAM1: { online: true, since: null } });
    const { changes } = fold(ix, [
      ev(0, 'door.opened', 'D2'), ev(1, 'door.opened', 'D2'), ev(2, 'door.closed', 'D2'), ev(3, 'door.closed', 'D2'),
      ev(4, 'camera.online', 'CAM1'), ev(5, 'camera.offline', 'CAM1'), ev(6, 'camera.offline', 'CAM1'), ev(7, 'camera.online', 'CAM1'),
    ], st);
    expect(changes).toEqual([
      { seq: 1, kind: 'door', door: 'D2', open: true, since: s(0) },
      { seq: 2, kind: 'door', door: 'D2', open: false, since: s(2) },
      { seq: 3, kind: 'camera', camera: 'CAM1', online: false, since: s(5) },
      { seq: 4, kind: 'camera', camera: 'CAM1', online: true, since: s(7) },
    ]);
    expect(st.seq).toBe(4);
    expect(st.doors['D2']).toEqual({ open: false, since: s(2) });
  });

  it('keeps the latest reading per sensor; an older one is accepted and changes nothing', () => {
    const st = initialState(ix);
    expect(reduce(st, { ts: s(10), sensor: 'T1', value: 20 }, ix)).toEqual({ ok: true, changes: [], reading: { ts: s(10), sensor: 'T1', value: 20 } });
    expect(reduce(st, { ts: s(5), sensor: 'T1', value: 99 }, ix)).toEqual({ ok: true, changes: [], reading: null });
    expect(reduce(st, { ts: s(10), sensor: 'T1', value: 21 }, ix)).toMatchObject({ ok: true });
    expect(st.sensors).toEqual({ T1: { value: 21, ts: s(10) } });
    expect(reduce(st, { ts: s(11), sensor: 'T9', value: 1 }, ix)).toEqual({ ok: false, reason: 'unknown sensor "T9"' });
  });

  it('refuses an event earlier than the state, and one at or before a sealed time, leaving the state unchanged', () => {
    const st = initialState(ix);
    fold(ix, [ev(10, 'door.opened', 'D2')], st);
    const before = cloneState(st);
    const r = reduce(st, ev(9, 'door.closed', 'D2'), ix);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^out of order: event at 2026-11-02T10:00:09Z is before the state's time 2026-11-02T10:00:10Z/);
    advance(st, s(20));
    const sealed = cloneState(st);
    expect(reduce(st, ev(20, 'door.closed', 'D2'), ix).ok).toBe(false);
    expect(st).toEqual(sealed);
    expect(reduce(st, ev(21, 'door.closed', 'D2'), ix).ok).toBe(true);
    expect(before.doors['D2']).toEqual({ open: true, since: s(10) });
  });
});

describe('door-forced', () => {
  const ix = facility();
  it.each([
    ['no access at all', [ev(100, 'door.opened', 'D1')], ['door-forced:D1:' + s(100)]],
    ['granted exactly 10 s before (window inclusive)', [ev(90, 'access.granted', 'D1'), ev(100, 'door.opened', 'D1')], []],
    ['granted 10.001 s before', [{ ...ev(0, 'access.granted', 'D1'), ts: s(100) - 10_001 }, ev(100, 'door.opened', 'D1')], ['door-forced:D1:' + s(100)]],
    ['request-to-exit 3 s before', [ev(97, 'access.rex', 'D1'), ev(100, 'door.opened', 'D1')], []],
    ['granted at the same instant, after the opening in file order', [ev(100, 'door.opened', 'D1'), ev(100, 'access.granted', 'D1')], []],
    ['granted at the other door', [ev(99, 'access.granted', 'D3'), ev(100, 'door.opened', 'D1')], ['door-forced:D1:' + s(100)]],
    ['denied is not access', [ev(99, 'access.denied', 'D1'), ev(100, 'door.opened', 'D1')], ['door-forced:D1:' + s(100)]],
    ['a door without reader never alarms', [ev(100, 'door.opened', 'D2')], []],
    ['opening an open door is no opening', [ev(99, 'access.granted', 'D1'), ev(100, 'door.opened', 'D1'), ev(103, 'door.opened', 'D1')], []],
  ] as const)('%s', (_name, recs, ids) => {
    const { st, changes } = fold(ix, [...recs, ev(105, 'door.closed', 'D1'), ev(105, 'door.closed', 'D2')].sort((a, b) => a.ts - b.ts));
    changes.push(...advance(st, s(1000)));
    expect(raisedIds(changes).filter((id) => id.startsWith('door-forced'))).toEqual(ids);
  });

  it('is raised, with its onset, by the first record after the opening instant', () => {
    const st = initialState(ix);
    const open = reduce(st, ev(100, 'door.opened', 'D1'), ix);
    expect(open.ok && open.changes.map((c) => c.kind)).toEqual(['door']);
    const next = reduce(st, { ts: s(100) + 1, sensor: 'T1', value: 20 }, ix);
    expect(next).toMatchObject({ ok: true, changes: [{ seq: 2, kind: 'alarm.raised', alarm: { id: `door-forced:D1:${s(100)}`, kind: 'door-forced', door: 'D1', onset: s(100), acknowledgedAt: null } }] });
  });
});

describe('door-held', () => {
  const ix = facility();
  const opened = () => fold(ix, [ev(0, 'access.granted', 'D1'), ev(1, 'door.opened', 'D1')]).st;
  const held = `door-held:D1:${s(31)}`;

  it('is raised by advance at exactly opening + heldOpenSeconds, not a millisecond before', () => {
    const st = opened();
    expect(advance(st, s(31) - 1)).toEqual([]);
    const ch = advance(st, s(31));
    expect(ch).toEqual([{ seq: 2, kind: 'alarm.raised', alarm: expect.objectContaining({ id: held, onset: s(31) }) }]);
    expect(advance(st, s(100))).toEqual([]);
  });

  it('is raised by a later record first, with its exact onset, before the record takes effect', () => {
    const st = opened();
    const r = reduce(st, ev(40, 'door.closed', 'D1'), ix);
    expect(r.ok && r.changes).toEqual([
      { seq: 2, kind: 'alarm.raised', alarm: expect.objectContaining({ id: held, kind: 'door-held', onset: s(31) }) },
      { seq: 3, kind: 'door', door: 'D1', open: false, since: s(40) },
    ]);
  });

  it('is not raised when the door closes at the limit (interval closed on the right) or before', () => {
    for (const closeAt of [31, 30, 2]) {
      const st = opened();
      const { changes } = fold(ix, [ev(closeAt, 'door.closed', 'D1'), ev(500, 'access.granted', 'D1')], st);
      changes.push(...advance(st, s(1000)));
      expect(raisedIds(changes)).toEqual([]);
    }
  });

  it('a record at the due instant does not raise it yet (a close may follow at that instant)', () => {
    const st = opened();
    expect(fold(ix, [{ ts: s(31), sensor: 'T1', value: 1 }], st).changes).toEqual([]);
    expect(fold(ix, [ev(31, 'door.closed', 'D1')], st).changes.map((c) => c.kind)).toEqual(['door']);
  });

  it('uses each door\'s own limit, and restarts on each opening', () => {
    const { st, changes } = fold(ix, [
      ev(0, 'access.granted', 'D3'), ev(0, 'door.opened', 'D3'), ev(59, 'door.closed', 'D3'),
      ev(61, 'access.rex', 'D3'), ev(61, 'door.opened', 'D3'),
    ]);
    changes.push(...advance(st, s(500)));
    expect(raisedIds(changes)).toEqual([`door-held:D3:${s(121)}`]);
  });
});

describe('denied-burst', () => {
  const ix = facility();
  it('needs 3 denials in [t − 60 s, t] and is suppressed by a burst with onset in [t − 60 s, t)', () => {
    const st = initialState(ix);
    const at = (sec: number) => {
      const r = reduce(st, ev(sec, 'access.denied', 'D1'), ix);
      if (!r.ok) throw new Error(r.reason);
      return raisedIds(r.changes);
    };
    expect(at(0)).toEqual([]);
    expect(at(30)).toEqual([]);
    expect(at(61)).toEqual([]); // window [1, 61] holds 30 and 61
    expect(at(90)).toEqual([`denied-burst:D1:${s(90)}`]); // 30, 61, 90 (30 is exactly t − 60 s)
    expect(at(100)).toEqual([]); // burst at 90 within [40, 100)
    expect(at(150)).toEqual([]); // window [90, 150]: burst onset 90 is t − 60 s: still suppressed
    expect(at(151)).toEqual([`denied-burst:D1:${s(151)}`]); // 100, 150, 151; burst 90 < 91
    expect(st.memory['D1']!.denials).toEqual([s(100), s(150), s(151)]);
  });

  it('three denials at one instant make one burst', () => {
    const { changes } = fold(ix, [ev(5, 'access.denied', 'D1'), ev(5, 'access.denied', 'D1'), ev(5, 'access.denied', 'D1'), ev(5, 'access.denied', 'D1')]);
    expect(raisedIds(changes)).toEqual([`denied-burst:D1:${s(5)}`]);
  });

  it('is per door, and a door without reader never raises it', () => {
    const { changes } = fold(ix, [ev(1, 'access.denied', 'D1'), ev(2, 'access.denied', 'D3'), ev(3, 'access.denied', 'D1'), ev(4, 'access.denied', 'D3'),
      ev(5, 'access.denied', 'D2'), ev(6, 'access.denied', 'D2'), ev(7, 'access.denied', 'D2'), ev(8, 'access.denied', 'D3')]);
    expect(raisedIds(changes)).toEqual([`denied-burst:D3:${s(8)}`]);
  });

  it('keeps bounded memory: only the last 60 s of denials', () => {
    const st = initialState(ix);
    for (let i = 0; i < 10_000; i++) reduce(st, ev(i, 'access.denied', 'D1'), ix);
    expect(st.memory['D1']!.denials).toHaveLength(61);
    expect(Object.keys(st.alarms)).toHaveLength(Math.ceil((10_000 - 2) / 61)); // bursts at 2, 63, 124, …
  });
});

describe('after-hours and business hours across time zones and DST', () => {
  const weekdays = { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };

  it.each([
    // Europe/Dublin: GMT (UTC+0) until 2026-03-29 01:00Z, then IST (UTC+1).
    ['Europe/Dublin', '2026-03-27T07:59:59Z', false], // Fri 07:59 GMT
    ['Europe/Dublin', '2026-03-27T08:00:00Z', true], // Fri 08:00 GMT: start inclusive
    ['Europe/Dublin', '2026-03-27T17:59:59Z', true],
    ['Europe/Dublin', '2026-03-27T18:00:00Z', false], // end exclusive
    ['Europe/Dublin', '2026-03-29T12:00:00Z', false], // Sunday
    ['Europe/Dublin', '2026-03-30T06:59:59Z', false], // Mon 07:59 IST
    ['Europe/Dublin', '2026-03-30T07:00:00Z', true], // Mon 08:00 IST
    ['Europe/Dublin', '2026-03-30T16:59:59Z', true], // Mon 17:59 IST
    ['Europe/Dublin', '2026-03-30T17:00:00Z', false], // Mon 18:00 IST
    ['Europe/Dublin', '2026-10-26T07:30:00Z', false], // Mon 07:30 GMT, after the change back on 25 Oct
    ['Europe/Dublin', '2026-10-26T08:00:00Z', true],
    // America/New_York: EST (UTC−5) until 2026-03-08 07:00Z, EDT (UTC−4) until 2026-11-01 06:00Z.
    ['America/New_York', '2026-03-06T12:59:00Z', false], // Fri 07:59 EST
    ['America/New_York', '2026-03-06T13:00:00Z', true], // Fri 08:00 EST
    ['America/New_York', '2026-03-09T12:00:00Z', true], // Mon 08:00 EDT
    ['America/New_York', '2026-03-09T11:59:59Z', false], // Mon 07:59 EDT
    ['America/New_York', '2026-03-09T22:00:00Z', false], // Mon 18:00 EDT
    ['America/New_York', '2026-03-07T01:00:00Z', false], // Fri 20:00 EST
    ['America/New_York', '2026-11-02T12:59:00Z', false], // Mon 07:59 EST
    ['America/New_York', '2026-11-02T13:00:00Z', true], // Mon 08:00 EST
    ['America/New_York', '2026-11-03T03:00:00Z', false], // Mon 22:00 EST
    ['UTC', '2026-11-02T08:00:00Z', true],
    ['UTC', '2026-11-02T07:59:00Z', false],
  ] as const)('%s %s in business hours: %s', (timezone, iso, expected) => {
    const ix = facility({ timezone, businessHours: weekdays });
    const ms = Date.parse(iso);
    expect(isBusinessHours(ix.facility, ms)).toBe(expected);
    const { st, changes } = fold(ix, [{ ts: ms, type: 'access.granted', door: 'D1', badge: 'b1' }, { ts: ms, type: 'access.granted', door: 'D3', badge: 'b1' }]);
    changes.push(...advance(st, ms));
    expect(raisedIds(changes)).toEqual(expected ? [] : [`after-hours:D1:${ms}`]); // D3 touches no critical zone
  });

  it('local weekday and minute come from the zone', () => {
    expect(localWeekdayMinute('Europe/Dublin', Date.parse('2026-03-29T00:59:00Z'))).toEqual({ weekday: 7, minute: 59 });
    expect(localWeekdayMinute('Europe/Dublin', Date.parse('2026-03-29T01:00:00Z'))).toEqual({ weekday: 7, minute: 120 });
    expect(localWeekdayMinute('America/New_York', Date.parse('2026-11-01T05:59:00Z'))).toEqual({ weekday: 7, minute: 60 + 59 });
    expect(localWeekdayMinute('America/New_York', Date.parse('2026-11-01T06:00:00Z'))).toEqual({ weekday: 7, minute: 60 });
    expect(localWeekdayMinute('Asia/Kolkata', Date.parse('2026-11-02T18:30:00Z'))).toEqual({ weekday: 2, minute: 0 });
  });

  it('without businessHours every hour is business hours', () => {
    const ix = facility();
    expect(isBusinessHours(ix.facility, Date.parse('2026-11-01T03:00:00Z'))).toBe(true);
    expect(raisedIds(fold(ix, [ev(0, 'access.granted', 'D1')]).changes)).toEqual([]);
  });

  it('a window past midnight belongs to the day it starts', () => {
    const ix = facility({ businessHours: { days: [1], start: '22:00', end: '06:00' } });
    const inside = (iso: string) => isBusinessHours(ix.facility, Date.parse(iso));
    expect(inside('2026-11-02T22:00:00Z')).toBe(true); // Mon 22:00
    expect(inside('2026-11-03T05:59:00Z')).toBe(true); // Tue 05:59, Monday's night
    expect(inside('2026-11-03T06:00:00Z')).toBe(false);
    expect(inside('2026-11-03T22:00:00Z')).toBe(false); // Tue is not a business day
    expect(inside('2026-11-02T05:00:00Z')).toBe(false); // Mon 05:00 belongs to Sunday
  });
});

describe('acknowledging and resolving', () => {
  const ix = facility();
  const forced = `door-forced:D1:${s(100)}`;
  const base = () => fold(ix, [ev(100, 'door.opened', 'D1'), ev(101, 'door.closed', 'D1')]).st;

  it('refuses an acknowledgement naming no raised alarm, or earlier than the onset, and changes nothing', () => {
    const st = base();
    const before = cloneState(st);
    expect(reduce(st, ev(200, 'alarm.acknowledged', 'door-forced:D1:123', { by: 'op' }), ix)).toEqual({ ok: false, reason: 'alarm: names no raised alarm "door-forced:D1:123"' });
    expect(reduce(st, ev(200, 'alarm.resolved', 'nonsense', { by: 'op', outcome: 'genuine' }), ix)).toEqual({ ok: false, reason: 'alarm: names no raised alarm "nonsense"' });
    expect(st).toEqual(before);
    // In ts order an acknowledgement before the onset comes before the alarm exists.
    const st2 = initialState(ix);
    const r = reduce(st2, ev(50, 'alarm.acknowledged', forced, { by: 'op' }), ix);
    expect(r).toEqual({ ok: false, reason: `alarm: acknowledgement at 2026-11-02T10:00:50Z is earlier than the onset of "${forced}" (2026-11-02T10:01:40Z); no such alarm has been raised` });
    expect(st2).toEqual(initialState(ix));
  });

  it('records the first acknowledgement; a resolution keeps it; later ones change nothing', () => {
    const st = base();
    const a = reduce(st, ev(130, 'alarm.acknowledged', forced, { by: 'op1' }), ix);
    expect(a).toMatchObject({ ok: true, changes: [{ kind: 'alarm.acknowledged', alarm: { id: forced, acknowledgedAt: s(130), acknowledgedBy: 'op1' } }] });
    expect(reduce(st, ev(140, 'alarm.acknowledged', forced, { by: 'op2' }), ix)).toEqual({ ok: true, changes: [], reading: null });
    const r = reduce(st, ev(200, 'alarm.resolved', forced, { by: 'op2', outcome: 'genuine', note: 'tailgate' }), ix);
    expect(r).toMatchObject({ ok: true, changes: [{ kind: 'alarm.resolved', alarm: { acknowledgedAt: s(130), acknowledgedBy: 'op1', resolvedAt: s(200), resolvedBy: 'op2', outcome: 'genuine', note: 'tailgate' } }] });
    expect(reduce(st, ev(300, 'alarm.resolved', forced, { by: 'op3', outcome: 'false-alarm' }), ix)).toEqual({ ok: true, changes: [], reading: null });
    expect(st.alarms[forced]).toMatchObject({ resolvedAt: s(200), outcome: 'genuine' });
  });

  it('a resolution with no acknowledgement acknowledges at the same instant', () => {
    const st = base();
    reduce(st, ev(160, 'alarm.resolved', forced, { by: 'op', outcome: 'false-alarm' }), ix);
    expect(st.alarms[forced]).toMatchObject({ acknowledgedAt: s(160), acknowledgedBy: 'op', resolvedAt: s(160), outcome: 'false-alarm', note: null });
  });

  it('acknowledging at the onset is allowed, also for a held alarm still pending at that instant', () => {
    const st = fold(ix, [ev(0, 'access.granted', 'D1'), ev(0, 'door.opened', 'D1')]).st;
    const id = `door-held:D1:${s(30)}`;
    const r = reduce(st, ev(30, 'alarm.acknowledged', id, { by: 'op' }), ix);
    expect(r.ok && r.changes.map((c) => c.kind)).toEqual(['alarm.raised', 'alarm.acknowledged']);
    expect(st.alarms[id]).toMatchObject({ onset: s(30), acknowledgedAt: s(30) });
  });
});

describe('ids that name Object.prototype members', () => {
  it('"__proto__" and "constructor" are ordinary ids in the state', () => {
    const r = loadFacility({
      format: 'twinspace.facility/1', id: 'F', name: 'F',
      floors: [{ id: 'L', name: 'L', elevation: 0, height: 3, outline: [[0, 0], [10, 0], [10, 10]],
        zones: [{ id: 'toString', name: 'z', kind: 'office', polygon: [[0, 0], [10, 0], [10, 10]], critical: true }],
        doors: [{ id: 'constructor', name: 'd', position: [5, 0], zones: ['toString', 'outside'], reader: true }],
        sensors: [{ id: '__proto__', kind: 'temperature', zone: 'toString' }] }],
    });
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const ix = indexFacility(r.facility);
    const st = initialState(ix);
    expect(reduce(st, { ts: 1000, sensor: '__proto__', value: 21 }, ix).ok).toBe(true);
    expect(reduce(st, { ts: 2000, type: 'door.opened', door: 'constructor' }, ix).ok).toBe(true);
    advance(st, 3000);
    expect(Object.keys(st.sensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(st.sensors)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['value']).toBeUndefined();
    expect(st.doors['constructor']).toEqual({ open: true, since: 2000 });
    expect(Object.keys(st.alarms)).toEqual(['door-forced:constructor:2000']);
    expect(stateToJson(st).sensors).toEqual(JSON.parse('{"__proto__":{"value":21,"ts":"1970-01-01T00:00:01Z"}}'));
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
  });
});

describe('replay and serialisation', () => {
  const ix = facility({ timezone: 'Europe/Dublin', businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' } });

  /** A seeded random stream of plausible events. */
  function stream(seed: number, n: number): TwinRecord[] {
    const rnd = mulberry32(seed);
    const out: TwinRecord[] = [];
    let t = Date.parse('2026-03-27T05:00:00Z');
    for (let i = 0; i < n; i++) {
      t += Math.floor(rnd() * 20_000);
      const door = ['D1', 'D2', 'D3'][Math.floor(rnd() * 3)]!;
      const k = rnd();
      if (k < 0.15) out.push({ ts: t, type: 'access.granted', door, badge: 'b' });
      else if (k < 0.3) out.push({ ts: t, type: 'access.denied', door, badge: 'b' });
      else if (k < 0.35) out.push({ ts: t, type: 'access.rex', door });
      else if (k < 0.55) out.push({ ts: t, type: 'door.opened', door });
      else if (k < 0.75) out.push({ ts: t, type: 'door.closed', door });
      else if (k < 0.8) out.push({ ts: t, type: rnd() < 0.5 ? 'camera.offline' : 'camera.online', camera: 'CAM1' });
      else if (k < 0.9) out.push({ ts: t, sensor: 'T1', value: 20 + rnd() });
      else {
        // act on an alarm that the records so far have raised
        const raised = Object.keys(replay(ix, out, t).state.alarms);
        const id = raised[Math.floor(rnd() * raised.length)];
        if (id !== undefined) out.push(rnd() < 0.5 ? { ts: t, type: 'alarm.acknowledged', alarm: id, by: 'op' } : { ts: t, type: 'alarm.resolved', alarm: id, by: 'op', outcome: rnd() < 0.5 ? 'genuine' : 'false-alarm' });
      }
    }
    return out;
  }

  it('live folding with clock ticks between records equals replay, and keyframes equal replay at any T', () => {
    for (const seed of [1, 2, 3]) {
      const recs = stream(seed, 400);
      const whole = replay(ix, recs);
      expect(whole.rejected).toEqual([]);
      // Live: the clock ticks to each record's ts minus 1 ms before it arrives.
      const live = initialState(ix);
      for (const r of recs) {
        if (live.at !== null && r.ts - 1 > live.at) advance(live, r.ts - 1);
        const out = reduce(live, r, ix);
        expect(out.ok).toBe(true);
      }
      advance(live, recs[recs.length - 1]!.ts);
      expect(live.alarms).toEqual(whole.state.alarms);
      expect(live.doors).toEqual(whole.state.doors);
      expect(Object.keys(whole.state.alarms).length).toBeGreaterThan(3);
      // Keyframe at the middle, cloned, then continued to T equals a fresh replay to T.
      const mid = recs[200]!.ts;
      const key = cloneState(replay(ix, recs, mid).state);
      const T = recs[300]!.ts + 45_000;
      const cont = cloneState(key);
      for (const r of recs) if (r.ts > mid && r.ts <= T) expect(reduce(cont, r, ix).ok).toBe(true);
      advance(cont, T);
      const fresh = replay(ix, recs, T).state;
      expect({ ...cont, seq: 0, sealed: 0, at: 0 }).toEqual({ ...fresh, seq: 0, sealed: 0, at: 0 });
      expect(Object.values(cont.alarms).every((a) => a.onset <= T)).toBe(true);
    }
  });

  it('the state survives JSON and structuredClone unchanged', () => {
    const st = replay(ix, stream(7, 200)).state;
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
    const c = cloneState(st);
    c.doors['D1']!.open = !c.doors['D1']!.open;
    expect(c.doors['D1']!.open).not.toBe(st.doors['D1']!.open);
  });

  it('stateToJson gives the /api/state shape with open alarms only', () => {
    const ix2 = facility();
    const { st } = fold(ix2, [
      { ts: s(0), sensor: 'T1', value: 20.5 },
      ev(10, 'door.opened', 'D1'), ev(11, 'door.closed', 'D1'),
      ev(20, 'door.opened', 'D3'), ev(21, 'door.closed', 'D3'),
      ev(30, 'alarm.resolved', `door-forced:D3:${s(20)}`, { by: 'op', outcome: 'genuine' }),
      ev(40, 'camera.offline', 'CAM1'),
    ]);
    expect(stateToJson(st)).toEqual({
      at: '2026-11-02T10:00:40Z', seq: 8,
      sensors: { T1: { value: 20.5, ts: '2026-11-02T10:00:00Z' } },
      doors: { D1: { open: false, since: '2026-11-02T10:00:11Z' }, D2: { open: false, since: null }, D3: { open: false, since: '2026-11-02T10:00:21Z' } },
      cameras: { CAM1: { online: false, since: '2026-11-02T10:00:40Z' } },
      alarms: [{ id: `door-forced:D1:${s(10)}`, kind: 'door-forced', door: 'D1', onset: '2026-11-02T10:00:10Z', acknowledgedAt: null, acknowledgedBy: null }],
    });
  });
});
