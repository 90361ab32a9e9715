// Where a zone's temperature excursions were, for shading its chart: the
// zone signal and the excursion rule of metrics.md §1 (a reading holds until
// the next one of its sensor or `staleMinutes`; the zone value is the mean of
// the held values; a no-data gap ends an excursion; it counts from
// `alarmDelayMinutes`). NOTE: core/metrics/stability.ts computes the figures
// but does not list the intervals; this sweep is the same and its totals are
// tested against it (test/unit/figures-excursions.test.ts).

/** Readings of one sensor in (ts, input) order: epoch ms and values. */
export interface SensorSeries { ts: readonly number[]; v: readonly number[] }

/** A zone's temperature spec (facility-format.md). */
export interface TemperatureSpec { setpoint: number; tolerance: number; alarmDelayMinutes?: number | undefined }

/** Counted excursions of one zone over `[from, to)`: intervals in epoch ms. */
export interface ZoneExcursions { intervals: [number, number][]; count: number; minutes: number }

const MINUTE_MS = 60_000;

/** Sorted by ts (stable), of equal ts only the later in input order kept. */
function normalise(s: SensorSeries): { ts: number[]; v: number[] } {
  const order = s.ts.map((_, i) => i).sort((a, b) => s.ts[a]! - s.ts[b]! || a - b);
  const ts: number[] = [], v: number[] = [];
  for (let q = 0; q < order.length; q++) {
    const i = order[q]!, next = order[q + 1];
    if (next !== undefined && s.ts[next] === s.ts[i]) continue;
    ts.push(s.ts[i]!); v.push(s.v[i]!);
  }
  return { ts, v };
}

function lowerBound(ts: readonly number[], x: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (ts[mid]! < x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The counted excursions of a zone from its sensors' readings (metrics.md §1; staleMinutes default 15). */
export function zoneExcursions(sensors: readonly SensorSeries[], spec: TemperatureSpec, fromMs: number, toMs: number, staleMinutes = 15): ZoneExcursions {
  const series = sensors.map(normalise);
  const k = series.length, staleMs = staleMinutes * MINUTE_MS, delayMs = (spec.alarmDelayMinutes ?? 0) * MINUTE_MS;
  const ptr = new Array<number>(k), held = new Float64Array(k), holdEnd = new Float64Array(k), holding = new Uint8Array(k);
  let t = Infinity;
  for (let j = 0; j < k; j++) {
    ptr[j] = lowerBound(series[j]!.ts, fromMs - staleMs);
    const first = series[j]!.ts[ptr[j]!];
    if (first !== undefined && first < t) t = first;
  }
  const intervals: [number, number][] = [];
  let excStart = NaN, excEnd = NaN, minutesMs = 0;
  const close = () => {
    if (excEnd > excStart && excEnd - excStart >= delayMs) { intervals.push([excStart, excEnd]); minutesMs += excEnd - excStart; }
    excStart = NaN; excEnd = NaN;
  };
  while (t < toMs) {
    let next = Infinity, count = 0, sum = 0;
    for (let j = 0; j < k; j++) {
      const s = series[j]!;
      let p = ptr[j]!;
      if (holding[j] === 1 && holdEnd[j]! <= t) holding[j] = 0;
      if (p < s.ts.length && s.ts[p] === t) { held[j] = s.v[p]!; holdEnd[j] = t + staleMs; holding[j] = 1; ptr[j] = ++p; }
      if (holding[j] === 1) { if (holdEnd[j]! < next) next = holdEnd[j]!; count++; sum += held[j]!; }
      if (p < s.ts.length && s.ts[p]! < next) next = s.ts[p]!;
    }
    const a = t > fromMs ? t : fromMs, b = next < toMs ? next : toMs;
    if (count > 0 && b > a) {
      if (Math.abs(sum / count - spec.setpoint) <= spec.tolerance) close();
      else if (excEnd === a) excEnd = b;
      else { close(); excStart = a; excEnd = b; }
    } else if (count === 0) {
      close();
    }
    t = next;
  }
  close();
  return { intervals, count: intervals.length, minutes: minutesMs / MINUTE_MS };
}
