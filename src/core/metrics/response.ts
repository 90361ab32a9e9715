// Access anomalies and response time, exactly as ../shared/spec/metrics.md §3:
// the events are folded through the one reducer (its alarm engine raises the
// alarms), then the alarms with onset in the period are summarised.
import type { FacilityIndex } from '../facility/model.ts';
import { ALARM_KINDS, isEvent, type AlarmKind, type AlarmOutcome, type EventRecord, type TwinRecord } from '../records.ts';
import { advance, initialState, reduce, type Alarm, type FoldRejection } from '../reducer.ts';
import { toIso, toIsoOrNull } from './period.ts';

/** Period of the alarms report, epoch ms `[from, to)`; defaults to the earliest / latest event. */
export interface ResponseOptions { from?: number | undefined; to?: number | undefined }

/** Summary of durations in seconds; percentiles by nearest rank; null when count is 0. */
export interface DurationStats { count: number; meanS: number | null; p50S: number | null; p90S: number | null; maxS: number | null }

/** One alarm as the `alarms --json` report lists it: times as ISO UTC strings, null when missing. */
export interface AlarmJson {
  id: string;
  kind: AlarmKind;
  door: string;
  onset: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  outcome: AlarmOutcome | null;
}

/** The `alarms --json` document (interfaces.md). */
export interface AlarmsReport {
  from: string | null;
  to: string | null;
  alarms: AlarmJson[];
  raised: number;
  byKind: Record<AlarmKind, number>;
  tta: DurationStats;
  ttr: DurationStats;
  unacknowledged: number;
  falseAlarmRate: number | null;
}

/** The report plus what a caller needs around it: refused events (index into the input), the alarms in the period, the period in epoch ms. */
export interface ResponseResult {
  report: AlarmsReport;
  rejected: FoldRejection[];
  alarms: Alarm[];
  fromMs: number | null;
  toMs: number | null;
}

/** The value at 1-based position ⌈(num/den)·n⌉ of an ascending list (nearest rank), in integer arithmetic so 0.9·n never rounds up. */
function nearestRank(sorted: readonly number[], num: number, den: number): number {
  const rank = Math.max(1, Math.ceil((num * sorted.length) / den));
  return sorted[rank - 1]!;
}

/** Count, mean, nearest-rank p50 / p90 and max of durations in seconds. */
export function durationStats(seconds: readonly number[]): DurationStats {
  const n = seconds.length;
  if (n === 0) return { count: 0, meanS: null, p50S: null, p90S: null, maxS: null };
  const sorted = seconds.slice().sort((a, b) => a - b);
  let sum = 0;
  for (const s of sorted) sum += s;
  return { count: n, meanS: sum / n, p50S: nearestRank(sorted, 1, 2), p90S: nearestRank(sorted, 9, 10), maxS: sorted[n - 1]! };
}

/**
 * Folds the events (telemetry in the input is ignored; any order, sorted
 * stably by ts here) through the reducer, lets time run to the later of the
 * last event and `to`, and summarises the alarms with onset in `[from, to)`.
 * Acknowledgements and resolutions after `to` still count for those alarms.
 */
export function responseDetail(ix: FacilityIndex, records: readonly TwinRecord[], opts: ResponseOptions = {}): ResponseResult {
  const events: { e: EventRecord; i: number }[] = [];
  records.forEach((r, i) => { if (isEvent(r)) events.push({ e: r, i }); });
  let sorted = true;
  for (let k = 1; k < events.length; k++) if (events[k]!.e.ts < events[k - 1]!.e.ts) { sorted = false; break; }
  if (!sorted) events.sort((a, b) => a.e.ts - b.e.ts); // stable: ties keep input order

  const state = initialState(ix);
  const rejected: FoldRejection[] = [];
  for (const { e, i } of events) {
    const out = reduce(state, e, ix);
    if (!out.ok) rejected.push({ index: i, reason: out.reason });
  }
  rejected.sort((a, b) => a.index - b.index);
  const first = events[0]?.e.ts, last = events[events.length - 1]?.e.ts;
  const from = opts.from ?? first ?? null;
  const to = opts.to ?? last ?? null;
  const end = Math.max(last ?? -Infinity, to ?? -Infinity);
  if (Number.isFinite(end)) advance(state, end);

  const inPeriod: Alarm[] = [];
  if (from !== null && to !== null) {
    for (const a of Object.values(state.alarms)) if (a.onset >= from && a.onset < to) inPeriod.push(a);
  }
  inPeriod.sort((a, b) => a.onset - b.onset); // stable: raise order within one instant

  const byKind = Object.fromEntries(ALARM_KINDS.map((k) => [k, 0])) as Record<AlarmKind, number>;
  const tta: number[] = [], ttr: number[] = [];
  let unacknowledged = 0, resolved = 0, falseAlarms = 0;
  for (const a of inPeriod) {
    byKind[a.kind]++;
    if (a.acknowledgedAt === null) unacknowledged++;
    else tta.push((a.acknowledgedAt - a.onset) / 1000);
    if (a.resolvedAt !== null) {
      ttr.push((a.resolvedAt - a.onset) / 1000);
      resolved++;
      if (a.outcome === 'false-alarm') falseAlarms++;
    }
  }
  const report: AlarmsReport = {
    from: toIsoOrNull(from),
    to: toIsoOrNull(to),
    alarms: inPeriod.map((a) => ({
      id: a.id, kind: a.kind, door: a.door, onset: toIso(a.onset),
      acknowledgedAt: toIsoOrNull(a.acknowledgedAt), resolvedAt: toIsoOrNull(a.resolvedAt), outcome: a.outcome,
    })),
    raised: inPeriod.length,
    byKind,
    tta: durationStats(tta),
    ttr: durationStats(ttr),
    unacknowledged,
    falseAlarmRate: resolved > 0 ? falseAlarms / resolved : null,
  };
  return { report, rejected, alarms: inPeriod, fromMs: from, toMs: to };
}

/** The `alarms --json` report (metrics.md §3, interfaces.md) of events with epoch-ms times. */
export function computeResponse(ix: FacilityIndex, records: readonly TwinRecord[], opts: ResponseOptions = {}): AlarmsReport {
  return responseDetail(ix, records, opts).report;
}
