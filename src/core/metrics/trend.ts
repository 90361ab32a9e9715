// Trends for the KPI sparklines: the period cut into equal buckets, each
// bucket's figures computed by the same definitions as the whole period
// (metrics.md), so a sparkline point is a real figure of its own sub-period.
import type { FacilityIndex } from '../facility/model.ts';
import type { TwinRecord } from '../records.ts';
import { responseDetail, durationStats } from './response.ts';
import { DEFAULT_STALE_MINUTES, criticalExcursionMinutes, stabilityDetail } from './stability.ts';
import { MINUTE_MS, toIso } from './period.ts';

/** One bucket `[from, to)` of a trend (ISO UTC ends). */
export interface TrendPoint {
  from: string;
  to: string;
  /** §1 over the bucket: in-spec time ÷ data time over critical zones; null without data. */
  criticalInSpecFraction: number | null;
  /** §1 over the bucket: counted excursion minutes summed over critical zones. */
  excursionMinutes: number;
  /** §3: alarms with onset in the bucket. */
  raised: number;
  /** §3 over those alarms, seconds; null when none was acknowledged / resolved. */
  ttaMeanS: number | null;
  ttaP90S: number | null;
  ttrP90S: number | null;
  unacknowledged: number;
  /** §3 over those alarms: `false-alarm` outcomes ÷ resolved; null when none was resolved. */
  falseAlarmRate: number | null;
}

/** Largest number of buckets a trend may ask for. */
export const MAX_TREND_BUCKETS = 500;

/** First index with `records[i].ts >= ts` in records sorted by ts. */
function lowerBound(records: readonly TwinRecord[], ts: number): number {
  let lo = 0, hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.ts < ts) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * The period `[fromMs, toMs)` in `buckets` equal parts. `records` must be
 * sorted by ts and should start at least `staleMinutes` before `fromMs`, so
 * readings held across a bucket's start count, as the definition says.
 */
export function metricsTrend(ix: FacilityIndex, records: readonly TwinRecord[], fromMs: number, toMs: number, buckets: number, staleMinutes = DEFAULT_STALE_MINUTES): TrendPoint[] {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_TREND_BUCKETS) throw new RangeError(`Twinspace: trend: buckets must be an integer 1–${MAX_TREND_BUCKETS}, got ${buckets}`);
  if (!(toMs > fromMs)) throw new RangeError('Twinspace: trend: the period must end after it starts');
  // Alarms need every event before them (door states, bursts): one fold, then bucket by onset.
  const { alarms } = responseDetail(ix, records, { from: fromMs, to: toMs });
  const points: TrendPoint[] = [];
  const step = (toMs - fromMs) / buckets;
  let a = 0;
  for (let b = 0; b < buckets; b++) {
    const lo = Math.round(fromMs + b * step), hi = b === buckets - 1 ? toMs : Math.round(fromMs + (b + 1) * step);
    const slice = records.slice(lowerBound(records, lo - staleMinutes * MINUTE_MS), lowerBound(records, hi));
    const st = stabilityDetail(ix, slice, { from: lo, to: hi, staleMinutes });
    const tta: number[] = [], ttr: number[] = [];
    let raised = 0, unacknowledged = 0, resolved = 0, falseAlarms = 0;
    while (a < alarms.length && alarms[a]!.onset < hi) {
      const al = alarms[a++]!;
      raised++;
      if (al.acknowledgedAt === null) unacknowledged++; else tta.push((al.acknowledgedAt - al.onset) / 1000);
      if (al.resolvedAt !== null) {
        ttr.push((al.resolvedAt - al.onset) / 1000);
        resolved++;
        if (al.outcome === 'false-alarm') falseAlarms++;
      }
    }
    const t = durationStats(tta), r = durationStats(ttr);
    points.push({
      from: toIso(lo), to: toIso(hi),
      criticalInSpecFraction: st.report.criticalInSpecFraction,
      excursionMinutes: criticalExcursionMinutes(ix, st.report),
      raised, ttaMeanS: t.meanS, ttaP90S: t.p90S, ttrP90S: r.p90S, unacknowledged,
      falseAlarmRate: resolved > 0 ? falseAlarms / resolved : null,
    });
  }
  return points;
}
