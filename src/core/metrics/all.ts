// All four reports over one period, as `GET /api/metrics` and `twinspace roi`
// need them: §4 takes every measured figure over the same period.
import type { FacilityIndex } from '../facility/model.ts';
import type { TwinRecord } from '../records.ts';
import { cameraAvailability, computeCoverage, type CoverageOptions, type CoverageReport } from './coverage.ts';
import { responseDetail, type AlarmsReport } from './response.ts';
import { computeRoi, type RoiInputs, type RoiReport } from './roi.ts';
import { criticalExcursionMinutes, stabilityDetail, type StabilityReport } from './stability.ts';
import { toIsoOrNull } from './period.ts';

export interface MetricsOptions {
  /** Period `[from, to)` in epoch ms; each end defaults to the earliest / latest `ts` of all records. */
  from?: number | undefined;
  to?: number | undefined;
  staleMinutes?: number | undefined;
  coverage?: Pick<CoverageOptions, 'grid' | 'targetHeight' | 'onProgress'>;
  /** ROI inputs; no ROI report without them. */
  roi?: RoiInputs | undefined;
}

/** The four reports of interfaces.md over one period (ISO UTC ends). */
export interface MetricsReport {
  from: string | null;
  to: string | null;
  stability: StabilityReport;
  coverage: CoverageReport;
  alarms: AlarmsReport;
  roi: RoiReport | null;
  /** Events the alarm engine refused (index into the input) — bad records of §3. */
  rejected: { index: number; reason: string }[];
}

/** Area-weighted mean of `reliability` over critical zones (metrics.md §4); null when none has cells. */
export function reliabilityWeightedCoverage(ix: FacilityIndex, coverage: CoverageReport): number | null {
  let area = 0, sum = 0;
  for (const [id, z] of Object.entries(coverage.zones)) {
    if (!ix.zones.get(id)?.zone.critical || z.reliability === null) continue;
    area += z.areaM2;
    sum += z.reliability * z.areaM2;
  }
  return area > 0 ? sum / area : null;
}

/** The period the four reports share: the options' ends, else the records' earliest and latest `ts`. */
export function metricsPeriod(records: readonly TwinRecord[], opts: Pick<MetricsOptions, 'from' | 'to'>): { from: number | null; to: number | null } {
  let lo = Infinity, hi = -Infinity;
  for (const r of records) {
    if (r.ts < lo) lo = r.ts;
    if (r.ts > hi) hi = r.ts;
  }
  return { from: opts.from ?? (lo === Infinity ? null : lo), to: opts.to ?? (hi === -Infinity ? null : hi) };
}

/** Stability, coverage (camera availability from the events), alarms and ROI over one period. */
export function computeMetrics(ix: FacilityIndex, records: readonly TwinRecord[], opts: MetricsOptions = {}): MetricsReport {
  const { from, to } = metricsPeriod(records, opts);
  const period = { from: from ?? undefined, to: to ?? undefined };
  const stability = stabilityDetail(ix, records, { ...period, staleMinutes: opts.staleMinutes });
  const response = responseDetail(ix, records, period);
  const availability = from !== null && to !== null ? cameraAvailability(records, ix.cameras.keys(), from, to) : undefined;
  const coverage = computeCoverage(ix.facility, { ...opts.coverage, availability });
  let roi: RoiReport | null = null;
  if (opts.roi) {
    roi = computeRoi(opts.roi, {
      periodMs: from !== null && to !== null ? to - from : 0,
      excursionMinutes: criticalExcursionMinutes(ix, stability.report),
      ttaMeanS: response.report.tta.meanS,
      alarmsRaised: response.report.raised,
      reliabilityCoverage: reliabilityWeightedCoverage(ix, coverage),
    });
  }
  return { from: toIsoOrNull(from), to: toIsoOrNull(to), stability: stability.report, coverage, alarms: response.report, roi, rejected: response.rejected };
}
