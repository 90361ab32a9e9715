// Critical-zone temperature stability, exactly as ../shared/spec/metrics.md §1.
// One sweep per zone over the change points of its sensors' held readings:
// O(n·k) for n readings and k temperature sensors in a zone (plus a sort
// only when a sensor's readings are out of order).
import type { FacilityIndex } from '../facility/model.ts';
import type { TwinRecord } from '../records.ts';
import { MINUTE_MS, toIsoOrNull } from './period.ts';

/** Default hold of a reading, in minutes (metrics.md §1). */
export const DEFAULT_STALE_MINUTES = 15;
/** ΔH/R of mean kinetic temperature, in kelvin. */
export const MKT_DH_OVER_R_K = 10_000;
const KELVIN_OFFSET = 273.15;

/** Options of the stability report: period ends in epoch ms (default earliest / latest reading), hold in minutes (default 15). */
export interface StabilityOptions { from?: number | undefined; to?: number | undefined; staleMinutes?: number | undefined }

/** One zone's figures; minutes, °C, fractions in [0, 1]; null where there is no data. */
export interface ZoneStability {
  dataMinutes: number;
  inSpecFraction: number | null;
  excursionCount: number;
  excursionMinutes: number;
  longestExcursionMinutes: number;
  meanC: number | null;
  stdDevC: number | null;
  maxDeviationC: number | null;
  mktC: number | null;
}

/** The `stability --json` document (interfaces.md): period as ISO UTC strings, zones with a temperature spec in model order. */
export interface StabilityReport {
  from: string | null;
  to: string | null;
  staleMinutes: number;
  zones: Record<string, ZoneStability>;
  criticalInSpecFraction: number | null;
}

/** The report plus the exact sums behind it (ms), for callers that combine zones. */
export interface StabilityResult {
  report: StabilityReport;
  /** Period used, epoch ms; null ends when there was no reading to default from. */
  fromMs: number | null;
  toMs: number | null;
  /** Per zone: time with data, time in spec, counted excursion time (ms). */
  sums: Record<string, { dataMs: number; inSpecMs: number; excursionMs: number }>;
}

interface Series { ts: number[]; v: number[] }

/** Readings of one sensor sorted by ts, of equal ts only the last in input order kept. */
function normalise(s: Series): Series {
  let sorted = true, unique = true;
  for (let i = 1; i < s.ts.length; i++) {
    if (s.ts[i]! < s.ts[i - 1]!) { sorted = false; break; }
    if (s.ts[i] === s.ts[i - 1]) unique = false;
  }
  if (sorted && unique) return s;
  let ts = s.ts, v = s.v;
  if (!sorted) {
    const order = ts.map((_, i) => i).sort((a, b) => s.ts[a]! - s.ts[b]!); // stable: ties keep input order
    ts = order.map((i) => s.ts[i]!);
    v = order.map((i) => s.v[i]!);
  }
  const outT: number[] = [], outV: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (i + 1 < ts.length && ts[i + 1] === ts[i]) continue; // the later of one instant holds
    outT.push(ts[i]!); outV.push(v[i]!);
  }
  return { ts: outT, v: outV };
}

/** First index with ts[i] ≥ x. */
function lowerBound(ts: readonly number[], x: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

interface ZoneSpec { setpoint: number; tolerance: number; alarmDelayMinutes: number }

function zoneFigures(series: Series[], spec: ZoneSpec, from: number, to: number, staleMs: number): { z: ZoneStability; dataMs: number; inSpecMs: number; excursionMs: number } {
  const k = series.length;
  const ptr = new Array<number>(k), held = new Float64Array(k), holdEnd = new Float64Array(k), holding = new Uint8Array(k);
  let t = Infinity;
  for (let j = 0; j < k; j++) {
    // A reading at or before from − stale has expired by `from`.
    ptr[j] = lowerBound(series[j]!.ts, from - staleMs);
    const first = series[j]!.ts[ptr[j]!];
    if (first !== undefined && first < t) t = first;
  }
  const delayMs = spec.alarmDelayMinutes * MINUTE_MS;
  const segT: number[] = [], segD: number[] = [];
  let dataMs = 0, inSpecMs = 0, sumDT = 0, sumExp = 0, maxDev = -Infinity;
  let excStart = NaN, excEnd = NaN, excCount = 0, excMs = 0, longestMs = 0;
  const closeExcursion = () => {
    if (excEnd > excStart) {
      const len = excEnd - excStart;
      if (len >= delayMs) { excCount++; excMs += len; if (len > longestMs) longestMs = len; }
    }
    excStart = NaN; excEnd = NaN;
  };
  while (t < to) {
    let next = Infinity, count = 0, sum = 0;
    for (let j = 0; j < k; j++) {
      const s = series[j]!;
      let p = ptr[j]!;
      if (holding[j] === 1 && holdEnd[j]! <= t) holding[j] = 0;
      if (p < s.ts.length && s.ts[p] === t) {
        held[j] = s.v[p]!; holdEnd[j] = t + staleMs; holding[j] = 1;
        ptr[j] = ++p;
      }
      if (holding[j] === 1) {
        if (holdEnd[j]! < next) next = holdEnd[j]!;
        count++;
        sum += held[j]!; // model order: the same sum every time
      }
      if (p < s.ts.length && s.ts[p]! < next) next = s.ts[p]!;
    }
    const a = t > from ? t : from, b = next < to ? next : to;
    if (count > 0 && b > a) {
      const T = sum / count, d = b - a, dev = Math.abs(T - spec.setpoint);
      dataMs += d;
      sumDT += d * T;
      sumExp += d * Math.exp(-MKT_DH_OVER_R_K / (T + KELVIN_OFFSET));
      if (dev > maxDev) maxDev = dev;
      segT.push(T); segD.push(d);
      if (dev <= spec.tolerance) {
        inSpecMs += d;
        closeExcursion();
      } else if (excEnd === a) {
        excEnd = b;
      } else {
        closeExcursion();
        excStart = a; excEnd = b;
      }
    } else if (count === 0) {
      closeExcursion(); // a no-data gap ends an excursion
    }
    t = next;
  }
  closeExcursion();
  let meanC: number | null = null, stdDevC: number | null = null, mktC: number | null = null;
  if (dataMs > 0) {
    meanC = sumDT / dataMs;
    let sq = 0;
    for (let i = 0; i < segT.length; i++) { const e = segT[i]! - meanC; sq += segD[i]! * e * e; }
    stdDevC = Math.sqrt(sq / dataMs);
    mktC = MKT_DH_OVER_R_K / -Math.log(sumExp / dataMs) - KELVIN_OFFSET;
  }
  return {
    z: {
      dataMinutes: dataMs / MINUTE_MS,
      inSpecFraction: dataMs > 0 ? inSpecMs / dataMs : null,
      excursionCount: excCount,
      excursionMinutes: excMs / MINUTE_MS,
      longestExcursionMinutes: longestMs / MINUTE_MS,
      meanC, stdDevC,
      maxDeviationC: dataMs > 0 ? maxDev : null,
      mktC,
    },
    dataMs, inSpecMs, excursionMs: excMs,
  };
}

/**
 * Temperature stability of every zone with a `temperature` spec (metrics.md
 * §1) from telemetry records (events in the input are ignored); the period
 * `[from, to)` defaults to the earliest and latest reading of the input.
 */
export function stabilityDetail(ix: FacilityIndex, records: readonly TwinRecord[], opts: StabilityOptions = {}): StabilityResult {
  const staleMinutes = opts.staleMinutes ?? DEFAULT_STALE_MINUTES;
  if (!Number.isFinite(staleMinutes) || staleMinutes < 0) throw new RangeError(`Twinspace: stability: staleMinutes must be a finite number ≥ 0, got ${staleMinutes}`);
  const staleMs = staleMinutes * MINUTE_MS;
  const zones: { id: string; spec: ZoneSpec; critical: boolean; series: Series[] }[] = [];
  const bySensor = new Map<string, Series>();
  for (const { zone } of ix.zones.values()) {
    if (zone.temperature === undefined) continue;
    const series: Series[] = [];
    for (const s of ix.sensorsByZone.get(zone.id) ?? []) {
      if (s.kind !== 'temperature') continue;
      const sr: Series = { ts: [], v: [] };
      bySensor.set(s.id, sr);
      series.push(sr);
    }
    zones.push({ id: zone.id, spec: zone.temperature, critical: zone.critical, series });
  }
  let lo = Infinity, hi = -Infinity;
  for (const r of records) {
    if (!('sensor' in r)) continue;
    if (r.ts < lo) lo = r.ts;
    if (r.ts > hi) hi = r.ts;
    const s = bySensor.get(r.sensor);
    if (s) { s.ts.push(r.ts); s.v.push(r.value); }
  }
  const from = opts.from ?? (lo === Infinity ? null : lo);
  const to = opts.to ?? (hi === -Infinity ? null : hi);
  const out: Record<string, ZoneStability> = {};
  const sums: StabilityResult['sums'] = {};
  let critData = 0, critIn = 0;
  for (const z of zones) {
    const f = zoneFigures(z.series.map(normalise), z.spec, from ?? 0, from === null || to === null ? -Infinity : to, staleMs);
    // Own data properties: "__proto__" is a valid zone id.
    Object.defineProperty(out, z.id, { value: f.z, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(sums, z.id, { value: { dataMs: f.dataMs, inSpecMs: f.inSpecMs, excursionMs: f.excursionMs }, writable: true, enumerable: true, configurable: true });
    if (z.critical) { critData += f.dataMs; critIn += f.inSpecMs; }
  }
  return {
    report: { from: toIsoOrNull(from), to: toIsoOrNull(to), staleMinutes, zones: out, criticalInSpecFraction: critData > 0 ? critIn / critData : null },
    fromMs: from, toMs: to, sums,
  };
}

/** The `stability --json` report (metrics.md §1, interfaces.md); times in the input are epoch ms. */
export function computeStability(ix: FacilityIndex, records: readonly TwinRecord[], opts: StabilityOptions = {}): StabilityReport {
  return stabilityDetail(ix, records, opts).report;
}

/** Counted excursion minutes summed over critical zones with a temperature spec (the ROI's measured figure, metrics.md §4). */
export function criticalExcursionMinutes(ix: FacilityIndex, report: StabilityReport): number {
  let sum = 0;
  for (const [id, z] of Object.entries(report.zones)) if (ix.zones.get(id)?.zone.critical === true) sum += z.excursionMinutes;
  return sum;
}
