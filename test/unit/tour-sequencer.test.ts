// The tour's sequencer (src/app/tour/sequencer.ts): dwell, loops, alarm
// preemption and resumption, the queue, and a long seeded run that stays bounded.
import { describe, expect, it } from 'vitest';
import {
  MAX_ALARM_QUEUE, MIN_ALARM_MS, MIN_RESUME_MS, nextDeadline, reduceTour, shownAlarm, startTour, type SequencerConfig, type TourEvent, type TourState,
} from '../../src/app/tour/sequencer.ts';

const T0 = 1_800_000_000_000;
/** Three stops of 20, 10 and 30 s; alarms time out after 120 s. */
const cfg: SequencerConfig = { count: 3, dwellMs: (_loop, pos) => [20_000, 10_000, 30_000][pos]!, alarmTimeoutMs: 120_000 };

const tick = (now: number): TourEvent => ({ type: 'tick', now });
const run = (s: TourState, ...events: TourEvent[]) => events.reduce((acc, e) => reduceTour(cfg, acc, e), s);
const where = (s: TourState) => (s.phase.kind === 'stop' ? `stop ${s.phase.loop}.${s.phase.pos}` : `alarm ${s.phase.alarmId}`);

describe('tour sequencer: stops', () => {
  it('starts at the first stop for its dwell', () => {
    const s = startTour(cfg, T0);
    expect(where(s)).toBe('stop 0.0');
    expect(nextDeadline(s)).toBe(T0 + 20_000);
  });

  it('dwells at each stop for its own time, then loops', () => {
    let s = startTour(cfg, T0);
    const seen: string[] = [];
    let now = T0;
    for (let k = 0; k < 7; k++) {
      seen.push(`${where(s)}@${now - T0}`);
      now = nextDeadline(s);
      s = reduceTour(cfg, s, tick(now));
    }
    expect(seen).toEqual(['stop 0.0@0', 'stop 0.1@20000', 'stop 0.2@30000', 'stop 1.0@60000', 'stop 1.1@80000', 'stop 1.2@90000', 'stop 2.0@120000']);
  });

  it('ignores early ticks (same object) and starts a late phase when the tick comes', () => {
    const s = startTour(cfg, T0);
    expect(reduceTour(cfg, s, tick(T0 + 19_999))).toBe(s);
    const late = reduceTour(cfg, s, tick(T0 + 95_000)); // a throttled timer: one step, full dwell from now
    expect(where(late)).toBe('stop 0.1');
    expect(late.phase.since).toBe(T0 + 95_000);
    expect(nextDeadline(late)).toBe(T0 + 105_000);
  });

  it('counts every phase in `step`', () => {
    let s = startTour(cfg, T0);
    expect(s.step).toBe(1);
    s = run(s, tick(T0 + 20_000), { type: 'raised', id: 'a', now: T0 + 21_000 });
    expect(s.step).toBe(3);
  });
});

describe('tour sequencer: alarms', () => {
  it('a raised alarm preempts the stop at once and times out to resume what was left of it', () => {
    let s = startTour(cfg, T0);
    s = reduceTour(cfg, s, { type: 'raised', id: 'door-forced:D-1:1', now: T0 + 5_000 });
    expect(shownAlarm(s)).toBe('door-forced:D-1:1');
    expect(nextDeadline(s)).toBe(T0 + 125_000);
    s = reduceTour(cfg, s, tick(T0 + 125_000));
    expect(where(s)).toBe('stop 0.0');
    expect(nextDeadline(s)).toBe(T0 + 125_000 + 15_000); // 15 s of the 20 s were left
  });

  it('resumes after an acknowledgement, but shows the card at least MIN_ALARM_MS', () => {
    let s = run(startTour(cfg, T0), { type: 'raised', id: 'a', now: T0 + 1_000 });
    s = reduceTour(cfg, s, { type: 'cleared', id: 'a', now: T0 + 2_000 });
    expect(shownAlarm(s)).toBe('a');
    expect(nextDeadline(s)).toBe(T0 + 1_000 + MIN_ALARM_MS);
    s = reduceTour(cfg, s, tick(T0 + 1_000 + MIN_ALARM_MS));
    expect(where(s)).toBe('stop 0.0');
    // Acknowledged after the minimum: the tour resumes on the spot.
    let t = run(startTour(cfg, T0), { type: 'raised', id: 'b', now: T0 + 1_000 });
    t = reduceTour(cfg, t, { type: 'cleared', id: 'b', now: T0 + 30_000 });
    expect(where(t)).toBe('stop 0.0');
    expect(t.phase.since).toBe(T0 + 30_000);
  });

  it('a resumed stop gets at least MIN_RESUME_MS (or its whole dwell when shorter)', () => {
    let s = run(startTour(cfg, T0), { type: 'raised', id: 'a', now: T0 + 19_900 });
    s = run(s, { type: 'cleared', id: 'a', now: T0 + 40_000 });
    expect(where(s)).toBe('stop 0.0');
    expect(nextDeadline(s) - s.phase.since).toBe(MIN_RESUME_MS);
    const short: SequencerConfig = { ...cfg, dwellMs: () => 2_000 };
    let q = reduceTour(short, startTour(short, T0), { type: 'raised', id: 'a', now: T0 + 1_999 });
    q = reduceTour(short, q, { type: 'cleared', id: 'a', now: T0 + 60_000 });
    expect(nextDeadline(q) - q.phase.since).toBe(2_000);
  });

  it('queues alarms raised during a card, drops the ones cleared while waiting, then resumes', () => {
    let s = run(startTour(cfg, T0), { type: 'raised', id: 'a', now: T0 + 1_000 });
    s = run(s, { type: 'raised', id: 'b', now: T0 + 2_000 }, { type: 'raised', id: 'c', now: T0 + 3_000 }, { type: 'raised', id: 'b', now: T0 + 3_500 });
    expect(s.queue).toEqual(['b', 'c']);
    s = reduceTour(cfg, s, { type: 'cleared', id: 'b', now: T0 + 4_000 });
    expect(s.queue).toEqual(['c']);
    s = reduceTour(cfg, s, { type: 'cleared', id: 'a', now: T0 + 10_000 });
    expect(shownAlarm(s)).toBe('c');
    s = reduceTour(cfg, s, tick(nextDeadline(s)));
    expect(where(s)).toBe('stop 0.0');
    expect(s.queue).toEqual([]);
  });

  it('ignores a clear of an alarm it does not show or hold', () => {
    const s = startTour(cfg, T0);
    expect(reduceTour(cfg, s, { type: 'cleared', id: 'x', now: T0 + 1 })).toBe(s);
  });

  it('keeps at most MAX_ALARM_QUEUE alarms waiting (the oldest go)', () => {
    let s = run(startTour(cfg, T0), { type: 'raised', id: 'first', now: T0 });
    for (let k = 0; k < MAX_ALARM_QUEUE + 10; k++) s = reduceTour(cfg, s, { type: 'raised', id: `q${k}`, now: T0 + k });
    expect(s.queue).toHaveLength(MAX_ALARM_QUEUE);
    expect(s.queue[0]).toBe('q10');
  });
});

describe('tour sequencer: a simulated week', () => {
  it('stays bounded and always has a future deadline, whatever the alarms do', () => {
    // Seeded: alarms at random, acknowledged at random or never.
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    let s = startTour(cfg, T0);
    let now = T0;
    const open = new Map<string, number>(); // id → when it will be cleared
    let stops = 0, cards = 0, n = 0;
    const week = T0 + 7 * 86_400_000;
    while (now < week) {
      const next = Math.min(nextDeadline(s), ...open.values(), now + 60_000 * rnd() * 30);
      now = Math.max(now + 1, next);
      const before = s.step;
      if (rnd() < 0.05) {
        const id = `a${n++}`;
        if (rnd() < 0.9) open.set(id, now + rnd() * 300_000);
        s = reduceTour(cfg, s, { type: 'raised', id, now });
      }
      for (const [id, at] of open) if (at <= now) { open.delete(id); s = reduceTour(cfg, s, { type: 'cleared', id, now }); }
      s = reduceTour(cfg, s, tick(now));
      expect(nextDeadline(s)).toBeGreaterThan(now - 1);
      expect(s.queue.length).toBeLessThanOrEqual(MAX_ALARM_QUEUE);
      if (s.step !== before) { if (s.phase.kind === 'stop') stops++; else cards++; }
    }
    expect(stops).toBeGreaterThan(1000);
    expect(cards).toBeGreaterThan(10);
  });
});
