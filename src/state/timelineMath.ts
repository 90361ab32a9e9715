// Pure timeline maths (issue 6): the linear scale between a time range and
// pixels, event density per pixel bucket, and stepping to the previous or
// next event. No React, no DOM: unit-tested in test/unit/timeline.test.ts.

/** A time range, epoch ms, `from < to`. */
export interface TimeRange { from: number; to: number }

/** Range spans the picker offers, ms (1 h, 24 h, 7 d). */
export const RANGE_SPANS_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type RangeKey = keyof typeof RANGE_SPANS_MS;

/** Quiet time after the last scrub move before the state at the cursor is asked for, ms. */
export const STATE_DEBOUNCE_MS = 80;

/** Playback speeds (× real time). */
export const PLAY_SPEEDS = [0.5, 1, 10, 60, 600, 3600] as const;

/** The pixel x (0…width) of time `t` on a bar `width` px wide showing `r`; not clamped. */
export function timeToX(r: TimeRange, width: number, t: number): number {
  const span = r.to - r.from;
  return span > 0 ? ((t - r.from) / span) * width : 0;
}

/** The time at pixel `x` of a bar `width` px wide showing `r`, clamped to the range. */
export function xToTime(r: TimeRange, width: number, x: number): number {
  if (!(width > 0)) return r.from;
  const f = Math.min(1, Math.max(0, x / width));
  return r.from + f * (r.to - r.from);
}

/** `t` clamped to the range. */
export function clampTime(r: TimeRange, t: number): number {
  return Math.min(r.to, Math.max(r.from, t));
}

/**
 * Counts of `times` (epoch ms, any order) in `n` equal buckets over `r`;
 * times outside `[from, to]` are left out, `to` itself goes to the last bucket.
 */
export function bucketCounts(r: TimeRange, n: number, times: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(Math.max(0, Math.floor(n)));
  const span = r.to - r.from;
  if (out.length === 0 || !(span > 0)) return out;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!(t >= r.from && t <= r.to)) continue;
    const b = Math.min(out.length - 1, Math.floor(((t - r.from) / span) * out.length));
    out[b]!++;
  }
  return out;
}

/** Index of the first element of ascending `sorted` that is > t (upper bound). */
function upperBound(sorted: ArrayLike<number>, t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid]! <= t) lo = mid + 1; else hi = mid; }
  return lo;
}

/** Index of the first element of ascending `sorted` that is >= t (lower bound). */
function lowerBound(sorted: ArrayLike<number>, t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid]! < t) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The first time in ascending `sorted` strictly after `t`, or null. */
export function nextEventTime(sorted: ArrayLike<number>, t: number): number | null {
  const i = upperBound(sorted, t);
  return i < sorted.length ? sorted[i]! : null;
}

/** The last time in ascending `sorted` strictly before `t`, or null. */
export function prevEventTime(sorted: ArrayLike<number>, t: number): number | null {
  const i = lowerBound(sorted, t) - 1;
  return i >= 0 ? sorted[i]! : null;
}

/** Index of the last event at or before `t` in ascending `sorted` (the "current" one), or -1. */
export function currentEventIndex(sorted: ArrayLike<number>, t: number): number {
  return upperBound(sorted, t) - 1;
}

/** Where the cursor is after `dtMs` of wall time at `speed` ×, clamped to `end`. */
export function advanceCursor(cursor: number, dtMs: number, speed: number, end: number): number {
  return Math.min(end, cursor + dtMs * speed);
}

/** The range of span `spanMs` that ends at `end`, or that keeps `t` inside (centred) when `t` is before it. */
export function rangeAround(spanMs: number, end: number, t: number | null): TimeRange {
  if (t === null || t >= end - spanMs) return { from: end - spanMs, to: end };
  return { from: t - spanMs / 2, to: t + spanMs / 2 };
}
