import { describe, it, expect } from 'vitest';
import type { EventRecord, TwinRecord } from '../../src/core/records.ts';
import { computeResponse, durationStats, responseDetail } from '../../src/core/metrics/response.ts';
import { doorPlant } from '../fixtures/door-plant.ts';

// Business hours Mon–Fri 08–18 UTC.
const ix = doorPlant({ timezone: 'UTC', businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' } });
const T0 = Date.UTC(2026, 10, 2, 10); // Monday 10:00Z, business hours
const s = (sec: number) => T0 + sec * 1000;
const iso = (sec: number) => new Date(s(sec)).toISOString().replace('.000Z', 'Z');
const door = (sec: number, type: 'door.opened' | 'door.closed' | 'access.rex', d: string): EventRecord => ({ ts: s(sec), type, door: d });
const badge = (sec: number, type: 'access.granted' | 'access.denied', d: string): EventRecord => ({ ts: s(sec), type, door: d, badge: 'b-1' });
const ack = (sec: number, alarm: string): EventRecord => ({ ts: s(sec), type: 'alarm.acknowledged', alarm, by: 'op' });
const resolve = (sec: number, alarm: string, outcome: 'genuine' | 'false-alarm'): EventRecord => ({ ts: s(sec), type: 'alarm.resolved', alarm, by: 'op', outcome });

const A1 = `door-forced:D1:${s(0)}`;
const A2 = `denied-burst:D3:${s(220)}`;
const A3 = `door-held:D3:${s(360)}`;
const A4 = `after-hours:D1:${s(36_000)}`; // 20:00Z
const A5 = `door-forced:D1:${s(40_000)}`;

const events: TwinRecord[] = [
  door(0, 'door.opened', 'D1'), door(5, 'door.closed', 'D1'), ack(30, A1), resolve(100, A1, 'genuine'),
  badge(200, 'access.denied', 'D3'), badge(210, 'access.denied', 'D3'), badge(220, 'access.denied', 'D3'), resolve(280, A2, 'false-alarm'),
  badge(300, 'access.granted', 'D3'), door(300, 'door.opened', 'D3'), ack(370, A3), door(400, 'door.closed', 'D3'),
  badge(36_000, 'access.granted', 'D1'), door(36_001, 'door.opened', 'D1'), door(36_006, 'door.closed', 'D1'),
  door(40_000, 'door.opened', 'D1'), door(40_005, 'door.closed', 'D1'),
];

describe('durationStats: nearest rank', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  it.each([
    [[], { count: 0, meanS: null, p50S: null, p90S: null, maxS: null }],
    [[5], { count: 1, meanS: 5, p50S: 5, p90S: 5, maxS: 5 }],
    [[9, 1], { count: 2, meanS: 5, p50S: 1, p90S: 9, maxS: 9 }], // ⌈1⌉ = 1, ⌈1.8⌉ = 2
    [[7, 3, 5, 1, 6, 2, 4], { count: 7, meanS: 4, p50S: 4, p90S: 7, maxS: 7 }], // ⌈3.5⌉ = 4, ⌈6.3⌉ = 7
    [range(10), { count: 10, meanS: 5.5, p50S: 5, p90S: 9, maxS: 10 }], // ⌈5⌉, ⌈9⌉
    [range(11), { count: 11, meanS: 6, p50S: 6, p90S: 10, maxS: 11 }], // ⌈5.5⌉ = 6, ⌈9.9⌉ = 10
    [range(20), { count: 20, meanS: 10.5, p50S: 10, p90S: 18, maxS: 20 }],
    [range(70), { count: 70, meanS: 35.5, p50S: 35, p90S: 63, maxS: 70 }], // exactly 63, never 64
  ])('%j', (input, want) => {
    expect(durationStats(input)).toEqual(want);
  });
});

describe('alarms report', () => {
  it('gives the interfaces.md shape with hand-computed figures', () => {
    const rep = computeResponse(ix, events);
    expect(rep).toEqual({
      from: iso(0),
      to: iso(40_005),
      alarms: [
        { id: A1, kind: 'door-forced', door: 'D1', onset: iso(0), acknowledgedAt: iso(30), resolvedAt: iso(100), outcome: 'genuine' },
        { id: A2, kind: 'denied-burst', door: 'D3', onset: iso(220), acknowledgedAt: iso(280), resolvedAt: iso(280), outcome: 'false-alarm' },
        { id: A3, kind: 'door-held', door: 'D3', onset: iso(360), acknowledgedAt: iso(370), resolvedAt: null, outcome: null },
        { id: A4, kind: 'after-hours', door: 'D1', onset: iso(36_000), acknowledgedAt: null, resolvedAt: null, outcome: null },
        { id: A5, kind: 'door-forced', door: 'D1', onset: iso(40_000), acknowledgedAt: null, resolvedAt: null, outcome: null },
      ],
      raised: 5,
      byKind: { 'door-forced': 2, 'door-held': 1, 'denied-burst': 1, 'after-hours': 1 },
      tta: { count: 3, meanS: 100 / 3, p50S: 30, p90S: 60, maxS: 60 }, // [10, 30, 60]
      ttr: { count: 2, meanS: 80, p50S: 60, p90S: 100, maxS: 100 }, // [60, 100]
      unacknowledged: 2,
      falseAlarmRate: 0.5,
    });
    expect(rep.from).toBe('2026-11-02T10:00:00Z');
    expect(JSON.parse(JSON.stringify(rep))).toEqual(rep);
  });

  it('selects alarms by onset in [from, to); handling after `to` still counts', () => {
    const late = computeResponse(ix, events, { from: s(250) });
    expect(late.alarms.map((a) => a.id)).toEqual([A3, A4, A5]);
    expect(late.from).toBe(iso(250));
    const early = computeResponse(ix, events, { to: s(360) });
    expect(early.alarms.map((a) => a.id)).toEqual([A1, A2]); // A3's onset is `to`: outside
    const mid = computeResponse(ix, events, { to: s(365) });
    expect(mid.alarms.map((a) => a.id)).toEqual([A1, A2, A3]);
    expect(mid.tta).toEqual({ count: 3, meanS: 100 / 3, p50S: 30, p90S: 60, maxS: 60 }); // A3 acknowledged at 370 > to
    expect(mid.unacknowledged).toBe(0);
  });

  it('raises a held alarm after the last event only when the period reaches its onset', () => {
    const open: TwinRecord[] = [badge(0, 'access.granted', 'D3'), door(0, 'door.opened', 'D3'), badge(10, 'access.granted', 'D1')];
    expect(computeResponse(ix, open).raised).toBe(0);
    expect(computeResponse(ix, open, { to: s(60) }).raised).toBe(0); // onset = to
    expect(computeResponse(ix, open, { to: s(61) }).alarms.map((a) => a.id)).toEqual([`door-held:D3:${s(60)}`]);
  });

  it('sorts events stably, ignores telemetry, and reports bad handling records by input index', () => {
    const shuffled: TwinRecord[] = [
      resolve(100, A1, 'genuine'), { ts: s(1), sensor: 'T1', value: 20 }, door(5, 'door.closed', 'D1'), door(0, 'door.opened', 'D1'),
      ack(50, 'door-forced:D1:1'), ack(2, `door-forced:D1:${s(3)}`),
    ];
    const res = responseDetail(ix, shuffled);
    expect(res.rejected).toEqual([
      { index: 4, reason: 'alarm: names no raised alarm "door-forced:D1:1"' },
      { index: 5, reason: `alarm: acknowledgement at ${iso(2)} is earlier than the onset of "door-forced:D1:${s(3)}" (${iso(3)}); no such alarm has been raised` },
    ]);
    expect(res.report.alarms).toEqual([{ id: A1, kind: 'door-forced', door: 'D1', onset: iso(0), acknowledgedAt: iso(100), resolvedAt: iso(100), outcome: 'genuine' }]);
    expect([res.report.from, res.report.to]).toEqual([iso(0), iso(100)]);
    expect(res.fromMs).toBe(s(0));
  });

  it('reports nothing for no events', () => {
    expect(computeResponse(ix, [])).toEqual({
      from: null, to: null, alarms: [], raised: 0,
      byKind: { 'door-forced': 0, 'door-held': 0, 'denied-burst': 0, 'after-hours': 0 },
      tta: { count: 0, meanS: null, p50S: null, p90S: null, maxS: null },
      ttr: { count: 0, meanS: null, p50S: null, p90S: null, maxS: null },
      unacknowledged: 0, falseAlarmRate: null,
    });
  });
});
