// The timeline's pure maths: scale, density buckets, stepping between events.
import { describe, expect, it } from 'vitest';
import {
  advanceCursor, bucketCounts, clampTime, currentEventIndex, nextEventTime, prevEventTime, rangeAround, timeToX, xToTime,
} from '../../src/state/timelineMath.ts';

const r = { from: 1_000, to: 11_000 };

describe('scale', () => {
  it.each([
    [1_000, 0], [11_000, 500], [6_000, 250], [0, -50], [12_000, 550],
  ])('timeToX(%d) = %d on 500 px', (t, x) => { expect(timeToX(r, 500, t)).toBe(x); });

  it.each([
    [0, 1_000], [500, 11_000], [250, 6_000], [-20, 1_000], [900, 11_000],
  ])('xToTime(%d) = %d, clamped', (x, t) => { expect(xToTime(r, 500, x)).toBe(t); });

  it('round-trips for seeded random times', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    for (let i = 0; i < 200; i++) {
      const t = r.from + rnd() * (r.to - r.from), w = 10 + rnd() * 2000;
      expect(xToTime(r, w, timeToX(r, w, t))).toBeCloseTo(t, 6);
    }
  });

  it('degenerate ranges and widths do not divide by zero', () => {
    expect(timeToX({ from: 5, to: 5 }, 100, 5)).toBe(0);
    expect(xToTime(r, 0, 10)).toBe(r.from);
    expect(clampTime(r, 0)).toBe(1_000);
    expect(clampTime(r, 99_999)).toBe(11_000);
  });
});

describe('bucketCounts', () => {
  it('counts per equal bucket, the end in the last, outside left out', () => {
    const c = bucketCounts(r, 5, [1_000, 2_999, 3_000, 5_500, 11_000, 999, 11_001, Number.NaN]);
    expect([...c]).toEqual([2, 1, 1, 0, 1]); // buckets of 2 s: [1,3) [3,5) [5,7) [7,9) [9,11]
  });
  it('keeps the total of in-range times', () => {
    const times = Array.from({ length: 1000 }, (_, i) => r.from + i * 10);
    const c = bucketCounts(r, 37, times);
    expect(c.reduce((a, b) => a + b, 0)).toBe(1000);
  });
  it('no buckets or an empty range give an empty or zero histogram', () => {
    expect(bucketCounts(r, 0, [2_000]).length).toBe(0);
    expect([...bucketCounts({ from: 5, to: 5 }, 3, [5])]).toEqual([0, 0, 0]);
  });
});

describe('stepping', () => {
  const ev = [100, 200, 200, 300];
  it.each([
    [50, 100, null], [100, 200, null], [150, 200, 100], [200, 300, 100], [300, null, 200], [400, null, 300],
  ])('at %d: next %s, previous %s', (t, next, prev) => {
    expect(nextEventTime(ev, t)).toBe(next);
    expect(prevEventTime(ev, t)).toBe(prev);
  });
  it('current event is the last at or before the cursor', () => {
    expect(currentEventIndex(ev, 50)).toBe(-1);
    expect(currentEventIndex(ev, 100)).toBe(0);
    expect(currentEventIndex(ev, 250)).toBe(2);
    expect(currentEventIndex(ev, 1e9)).toBe(3);
  });
  it('empty lists have no neighbours', () => {
    expect(nextEventTime([], 0)).toBeNull();
    expect(prevEventTime([], 0)).toBeNull();
  });
});

describe('play and ranges', () => {
  it('advances by wall time × speed, stopping at the end', () => {
    expect(advanceCursor(1_000, 16, 60, 1e9)).toBe(1_960);
    expect(advanceCursor(1_000, 1_000, 3600, 2_000)).toBe(2_000);
    expect(advanceCursor(1_000, 100, 0.5, 1e9)).toBe(1_050);
  });
  it('a range ends now unless the time is before it, then it is centred on the time', () => {
    expect(rangeAround(100, 1_000, null)).toEqual({ from: 900, to: 1_000 });
    expect(rangeAround(100, 1_000, 950)).toEqual({ from: 900, to: 1_000 });
    expect(rangeAround(100, 1_000, 500)).toEqual({ from: 450, to: 550 });
  });
});
