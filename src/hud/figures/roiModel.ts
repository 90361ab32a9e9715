// The ROI panel's model, pure: the editable fields of `twinspace.roi/1`
// (metrics.md §4, with the optional 90-day targets), the draft a form edits,
// per-field problems (from the shared schema or the server's 422), the
// measured figures behind the ROI, progress toward the targets, and the CSV
// export.
import type { FacilityIndex } from '../../core/facility/model.ts';
import { reliabilityWeightedCoverage } from '../../core/metrics/all.ts';
import type { CoverageReport } from '../../core/metrics/coverage.ts';
import { YEAR_MS } from '../../core/metrics/period.ts';
import type { AlarmsReport } from '../../core/metrics/response.ts';
import { ROI_FORMAT, loadRoiInputs, type RoiInputs, type RoiMeasured, type RoiReport } from '../../core/metrics/roi.ts';
import { criticalExcursionMinutes, type StabilityReport } from '../../core/metrics/stability.ts';
import { bulletBar, type Better, type Bullet } from './bullet.ts';

/** One input of the form: its JSON path, label and unit (`money` is the inputs' currency). */
export interface RoiField {
  path: string;
  label: string;
  unit: 'money' | 'money/min' | 'min/year' | 's' | 'fraction' | 'years' | 'ratio' | 'per year' | 'text';
  group: 'General' | 'Investment' | 'Baseline (before the twin)' | 'Costs' | 'Targets within 90 days';
  optional?: boolean;
}

/** The form's fields in display order. */
export const ROI_FIELDS: readonly RoiField[] = [
  { path: 'currency', label: 'Currency', unit: 'text', group: 'General' },
  { path: 'horizonYears', label: 'Horizon', unit: 'years', group: 'General' },
  { path: 'discountRate', label: 'Discount rate', unit: 'ratio', group: 'General' },
  { path: 'incidentsPerYear', label: 'Incidents per year', unit: 'per year', group: 'General' },
  { path: 'investment.upfront', label: 'Upfront', unit: 'money', group: 'Investment' },
  { path: 'investment.annual', label: 'Annual', unit: 'money', group: 'Investment' },
  { path: 'baseline.excursionMinutesPerYear', label: 'Excursion minutes', unit: 'min/year', group: 'Baseline (before the twin)' },
  { path: 'baseline.ttaMeanS', label: 'Mean time to acknowledge', unit: 's', group: 'Baseline (before the twin)' },
  { path: 'baseline.coverageFraction', label: 'Critical coverage', unit: 'fraction', group: 'Baseline (before the twin)' },
  { path: 'costs.perExcursionMinute', label: 'Per excursion minute', unit: 'money/min', group: 'Costs' },
  { path: 'costs.perResponseMinute', label: 'Per response minute', unit: 'money/min', group: 'Costs' },
  { path: 'costs.perUnrecordedIncident', label: 'Per unrecorded incident', unit: 'money', group: 'Costs' },
  { path: 'targets90d.excursionMinutesPerYear', label: 'Excursion minutes', unit: 'min/year', group: 'Targets within 90 days', optional: true },
  { path: 'targets90d.ttaMeanS', label: 'Mean time to acknowledge', unit: 's', group: 'Targets within 90 days', optional: true },
  { path: 'targets90d.coverageFraction', label: 'Critical coverage', unit: 'fraction', group: 'Targets within 90 days', optional: true },
];

/** The form's text per field path. */
export type RoiDraft = Record<string, string>;

function getPath(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The draft of stored inputs (empty fields when there are none). */
export function draftOf(inputs: RoiInputs | null): RoiDraft {
  const d: RoiDraft = {};
  for (const f of ROI_FIELDS) {
    const v = inputs ? getPath(inputs, f.path) : undefined;
    d[f.path] = v === undefined || v === null ? '' : String(v);
  }
  return d;
}

/**
 * The `twinspace.roi/1` document of a draft: numbers where the text reads as
 * one, the text itself otherwise (so the schema names the field), optional
 * fields left out when empty, required ones when empty too (the schema says
 * `required`).
 */
export function documentOf(d: RoiDraft): Record<string, unknown> {
  const doc: Record<string, unknown> = { format: ROI_FORMAT };
  for (const f of ROI_FIELDS) {
    const raw = (d[f.path] ?? '').trim();
    if (raw === '') continue;
    let v: unknown = raw;
    if (f.unit !== 'text') { const n = Number(raw); v = Number.isFinite(n) ? n : raw; }
    const keys = f.path.split('.');
    let o = doc;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[keys[keys.length - 1]!] = v;
  }
  return doc;
}

/** `path: reason` lines (the 422 body, formatProblems) as a reason per path; several for one path are joined. */
export function problemsByPath(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(': ');
    if (i <= 0) continue;
    const path = line.slice(0, i), reason = line.slice(i + 2);
    out[path] = out[path] ? `${out[path]}; ${reason}` : reason;
  }
  return out;
}

/** Checks a draft with the shared schema: the inputs, or a reason per path. */
export function checkDraft(d: RoiDraft): { ok: true; inputs: RoiInputs } | { ok: false; problems: Record<string, string> } {
  const r = loadRoiInputs(documentOf(d));
  if (r.ok) return r;
  const problems: Record<string, string> = {};
  for (const p of r.problems) problems[p.path] = problems[p.path] ? `${problems[p.path]}; ${p.reason}` : p.reason;
  return { ok: false, problems };
}

/** The reports of GET /api/metrics that the ROI needs. */
export interface MetricsForRoi {
  from: string | null;
  to: string | null;
  stability: StabilityReport;
  coverage: CoverageReport;
  alarms: AlarmsReport;
}

/** The figures §4 measures over the report's period (same as the server's). */
export function measuredOf(ix: FacilityIndex, m: MetricsForRoi): RoiMeasured {
  const from = m.from === null ? NaN : Date.parse(m.from), to = m.to === null ? NaN : Date.parse(m.to);
  return {
    periodMs: Number.isFinite(from) && Number.isFinite(to) ? to - from : 0,
    excursionMinutes: criticalExcursionMinutes(ix, m.stability),
    ttaMeanS: m.alarms.tta.meanS,
    alarmsRaised: m.alarms.raised,
    reliabilityCoverage: reliabilityWeightedCoverage(ix, m.coverage),
  };
}

/** A promised metric: its key in `baseline` / `targets90d`, how it reads and which way is better. */
export interface TargetMetric { key: 'excursionMinutesPerYear' | 'ttaMeanS' | 'coverageFraction'; label: string; better: Better; unit: 'min/year' | 's' | 'fraction' }

/** The three metrics with a baseline and an optional 90-day target. */
export const TARGET_METRICS: readonly TargetMetric[] = [
  { key: 'excursionMinutesPerYear', label: 'Excursion minutes per year', better: 'lower', unit: 'min/year' },
  { key: 'ttaMeanS', label: 'Mean time to acknowledge', better: 'lower', unit: 's' },
  { key: 'coverageFraction', label: 'Reliability-weighted critical coverage', better: 'higher', unit: 'fraction' },
];

/** The measured value of a target metric, in the baseline's terms (excursions annualised by 365 d ÷ period). */
export function measuredTargetValue(key: TargetMetric['key'], m: RoiMeasured): number | null {
  switch (key) {
    case 'excursionMinutesPerYear': return m.excursionMinutes === null || !(m.periodMs > 0) ? null : m.excursionMinutes * (YEAR_MS / m.periodMs);
    case 'ttaMeanS': return m.ttaMeanS;
    case 'coverageFraction': return m.reliabilityCoverage;
  }
}

/** One row of the progress table. */
export interface TargetProgress { metric: TargetMetric; baseline: number | null; target: number | null; measured: number | null; bullet: Bullet }

/** Baseline, promise and measurement of each target metric, with its bullet bar. */
export function targetProgress(inputs: RoiInputs | null, m: RoiMeasured | null): TargetProgress[] {
  return TARGET_METRICS.map((metric) => {
    const baseline = inputs ? inputs.baseline[metric.key] : null;
    const target = inputs?.targets90d?.[metric.key] ?? null;
    const measured = m ? measuredTargetValue(metric.key, m) : null;
    const bullet = bulletBar({ baseline, target, measured, better: metric.better, domain: metric.unit === 'fraction' ? [0, 1] : undefined });
    return { metric, baseline, target, measured, bullet };
  });
}

/** What the CSV export holds. */
export interface RoiExport {
  facility: string;
  /** Period of the measured figures, epoch ms. */
  fromMs: number;
  toMs: number;
  generatedMs: number;
  inputs: RoiInputs;
  measured: RoiMeasured;
  report: RoiReport;
  progress: readonly TargetProgress[];
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The ROI as CSV (`section,item,value,unit`, CRLF line ends): full-precision numbers, ISO UTC times. */
export function roiCsv(e: RoiExport): string {
  const cur = e.inputs.currency;
  const rows: (string | number | null)[][] = [['section', 'item', 'value', 'unit']];
  const iso = (ms: number) => new Date(ms).toISOString();
  rows.push(['report', 'facility', e.facility, ''], ['report', 'from', iso(e.fromMs), 'UTC'], ['report', 'to', iso(e.toMs), 'UTC'], ['report', 'generated', iso(e.generatedMs), 'UTC']);
  for (const f of ROI_FIELDS) {
    const v = getPath(e.inputs, f.path);
    if (v === undefined) continue;
    const unit = f.unit === 'money' ? cur : f.unit === 'money/min' ? `${cur}/min` : f.unit === 'text' ? '' : f.unit;
    rows.push(['input', f.path, typeof v === 'number' ? v : String(v), unit]);
  }
  const m = e.measured;
  rows.push(
    ['measured', 'periodMs', m.periodMs, 'ms'],
    ['measured', 'excursionMinutes', m.excursionMinutes, 'min'],
    ['measured', 'excursionMinutesPerYear', measuredTargetValue('excursionMinutesPerYear', m), 'min/year'],
    ['measured', 'ttaMeanS', m.ttaMeanS, 's'],
    ['measured', 'alarmsRaised', m.alarmsRaised, 'alarms'],
    ['measured', 'reliabilityCoverage', m.reliabilityCoverage, 'fraction'],
  );
  const r = e.report;
  rows.push(
    ['result', 'lines.temperature', r.lines.temperature, `${cur}/year`],
    ['result', 'lines.response', r.lines.response, `${cur}/year`],
    ['result', 'lines.coverage', r.lines.coverage, `${cur}/year`],
    ['result', 'annualBenefit', r.annualBenefit, `${cur}/year`],
    ['result', 'roi', r.roi, 'ratio'],
    ['result', 'paybackMonths', r.paybackMonths, 'months'],
    ['result', 'npv', r.npv, cur],
  );
  for (const p of e.progress) {
    const k = p.metric.key;
    rows.push(
      ['target90d', `${k}.baseline`, p.baseline, p.metric.unit],
      ['target90d', `${k}.target`, p.target, p.metric.unit],
      ['target90d', `${k}.measured`, p.measured, p.metric.unit],
      ['target90d', `${k}.progress`, p.bullet.progress, 'fraction of the promised improvement'],
      ['target90d', `${k}.status`, p.bullet.status, ''],
    );
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
