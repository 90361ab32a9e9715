// The facility figures of the KPI panel, taken from one GET /api/metrics
// answer by the definitions of metrics.md (nothing here is a figure of its
// own: sums and weightings are the core's), with how each prints.
import type { FacilityIndex } from '../../core/facility/model.ts';
import { reliabilityWeightedCoverage } from '../../core/metrics/all.ts';
import { criticalExcursionMinutes } from '../../core/metrics/stability.ts';
import type { MetricsForRoi } from './roiModel.ts';
import type { TrendKey } from './chartData.ts';
import { fmtMinutes, fmtPercent, fmtSeconds, fmtNumber } from './format.ts';

/** The figures, raw (fractions in [0, 1], minutes, seconds); null where the period has none. */
export interface KpiFigures {
  /** §1 facility figure: in-spec time ÷ data time over critical zones. */
  inSpec: number | null;
  /** §1: counted excursion minutes summed over critical zones. */
  excursionMinutes: number;
  /** §2 facility figure: area-weighted share of critical zones seen at their required level. */
  coverage: number | null;
  /** §4's reliability-weighted coverage: area-weighted mean of `reliability` over critical zones. */
  reliability: number | null;
  ttaP50: number | null;
  ttaP90: number | null;
  ttrP50: number | null;
  ttrP90: number | null;
  unacknowledged: number;
  falseAlarmRate: number | null;
  raised: number;
}

/** The KPI figures of a metrics answer. */
export function kpiFigures(ix: FacilityIndex, m: MetricsForRoi): KpiFigures {
  return {
    inSpec: m.stability.criticalInSpecFraction,
    excursionMinutes: criticalExcursionMinutes(ix, m.stability),
    coverage: m.coverage.criticalRequiredFraction,
    reliability: reliabilityWeightedCoverage(ix, m.coverage),
    ttaP50: m.alarms.tta.p50S, ttaP90: m.alarms.tta.p90S,
    ttrP50: m.alarms.ttr.p50S, ttrP90: m.alarms.ttr.p90S,
    unacknowledged: m.alarms.unacknowledged,
    falseAlarmRate: m.alarms.falseAlarmRate,
    raised: m.alarms.raised,
  };
}

/** A tile: its figure as printed, a second line, and the trend it draws. */
export interface KpiTileSpec {
  id: 'in-spec' | 'excursions' | 'coverage' | 'tta' | 'ttr' | 'unacknowledged' | 'false-alarms';
  label: string;
  /** The main figure, raw, for `data-value`. */
  value: number | null;
  text: string;
  /** Several figures in one tile (p50 and p90), each with its label; `text` joins them. */
  parts?: { label: string; text: string }[];
  sub: string;
  /** The trend figure of the sparkline (null: the trend has none), its scale and what it shows. */
  spark: { key: TrendKey; scale: number; label: string } | null;
  /** Lower is better (the sparkline's colour cue). */
  lowerIsBetter: boolean;
}

/** The tiles of the KPI panel, in order. */
export function kpiTiles(f: KpiFigures): KpiTileSpec[] {
  return [
    { id: 'in-spec', label: 'Critical zones in spec', value: f.inSpec, text: fmtPercent(f.inSpec, 2), sub: 'share of time within setpoint ± tolerance', spark: { key: 'criticalInSpecFraction', scale: 100, label: 'in spec, %' }, lowerIsBetter: false },
    { id: 'excursions', label: 'Excursion minutes', value: f.excursionMinutes, text: fmtMinutes(f.excursionMinutes), sub: 'counted excursions, critical zones', spark: { key: 'excursionMinutes', scale: 1, label: 'excursion min' }, lowerIsBetter: true },
    { id: 'coverage', label: 'Critical coverage', value: f.coverage, text: fmtPercent(f.coverage), sub: `at the required level · reliability ${fmtPercent(f.reliability)}`, spark: null, lowerIsBetter: false },
    { id: 'tta', label: 'Time to acknowledge', value: f.ttaP90, text: `${fmtSeconds(f.ttaP50)} / ${fmtSeconds(f.ttaP90)}`, parts: [{ label: 'p50', text: fmtSeconds(f.ttaP50) }, { label: 'p90', text: fmtSeconds(f.ttaP90) }], sub: 'nearest rank, acknowledged alarms', spark: { key: 'ttaP90S', scale: 1, label: 'p90 TTA, s' }, lowerIsBetter: true },
    { id: 'ttr', label: 'Time to resolve', value: f.ttrP90, text: `${fmtSeconds(f.ttrP50)} / ${fmtSeconds(f.ttrP90)}`, parts: [{ label: 'p50', text: fmtSeconds(f.ttrP50) }, { label: 'p90', text: fmtSeconds(f.ttrP90) }], sub: 'nearest rank, resolved alarms', spark: { key: 'ttrP90S', scale: 1, label: 'p90 TTR, s' }, lowerIsBetter: true },
    { id: 'unacknowledged', label: 'Unacknowledged alarms', value: f.unacknowledged, text: fmtNumber(f.unacknowledged), sub: `of ${fmtNumber(f.raised)} raised`, spark: { key: 'unacknowledged', scale: 1, label: 'unacknowledged' }, lowerIsBetter: true },
    { id: 'false-alarms', label: 'False-alarm rate', value: f.falseAlarmRate, text: fmtPercent(f.falseAlarmRate), sub: 'false-alarm outcomes of resolved alarms', spark: { key: 'falseAlarmRate', scale: 100, label: 'false alarms, %' }, lowerIsBetter: true },
  ];
}
