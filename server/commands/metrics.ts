// The figures on the command line: `stability`, `alarms`, `coverage`, `roi`
// (interfaces.md), each with `--json` in the contract's shape and a plain
// table otherwise. Rejected lines go to stderr as `file:line: reason`; any
// makes the exit code 1 unless `--lenient`.
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import { detectFormat, parseRecordsText, parseTimestamp, CSV_HEADER } from '../../src/core/parse.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { computeMetrics, metricsPeriod, reliabilityWeightedCoverage } from '../../src/core/metrics/all.ts';
import { cameraAvailability, computeCoverageDetail } from '../../src/core/metrics/coverage.ts';
import { responseDetail } from '../../src/core/metrics/response.ts';
import { loadRoiInputsText } from '../../src/core/metrics/roi.ts';
import { stabilityDetail } from '../../src/core/metrics/stability.ts';
import { formatProblems } from '../../src/core/facility/validate.ts';
import { InputError, UsageError, readFacilityFile, readTextFile, type Io } from '../shared.ts';
import type { Command } from '../cli.ts';

type Values = Record<string, string | boolean | undefined>;

/** Records of a file with the line each came from, and how many lines were refused. */
interface FileRecords { path: string; records: TwinRecord[]; lines: number[]; refused: number }

/** Reads a telemetry/event file (CSV by its header or `.csv`, else JSON Lines), printing refused lines. */
export function readRecordsFile(path: string, ix: FacilityIndex, io: Io): FileRecords {
  const text = readTextFile(path);
  const format = detectFormat(path) ?? (text.replace(/^\uFEFF/, '').startsWith(CSV_HEADER) ? 'csv' : 'jsonl');
  const parsed = parseRecordsText(text, format, ix);
  for (const r of parsed.rejected) io.err(`${path}:${r.line}: ${r.reason}`);
  return { path, records: parsed.records, lines: parsed.lines, refused: parsed.rejected.length };
}

/** Prints events the alarm engine refused, by their file line; returns how many. */
function reportFoldRejections(file: FileRecords, rejected: { index: number; reason: string }[], io: Io): number {
  for (const r of rejected) io.err(`${file.path}:${file.lines[r.index] ?? '?'}: ${r.reason}`);
  return rejected.length;
}

function timeOption(values: Values, name: string): number | undefined {
  const v = values[name];
  if (typeof v !== 'string') return undefined;
  const t = parseTimestamp(v);
  if (!t.ok) throw new UsageError(`--${name}: ${t.reason}`);
  return t.ms;
}

function numberOption(values: Values, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const v = values[name];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}, got "${v}"`);
  return n;
}

function exitCode(refused: number, values: Values): number {
  return refused > 0 && !values['lenient'] ? 1 : 0;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));

/** Left-aligned first column, right-aligned others. */
function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

const PERIOD_OPTS: Command['options'] = { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, lenient: { type: 'boolean' } };

/** The metric commands, registered in cli.ts. */
export const METRIC_COMMANDS: Record<string, Command> = {
  stability: {
    usage: 'twinspace stability <facility.json> <telemetry.csv|.jsonl> [--from T] [--to T] [--stale-minutes N] [--lenient] [--json]',
    summary: 'critical-zone temperature stability (metrics.md §1)',
    options: { ...PERIOD_OPTS, 'stale-minutes': { type: 'string' } },
    args: ['facility.json', 'telemetry'],
    run(values, [facilityPath, dataPath], io) {
      const ix = indexFacility(readFacilityFile(facilityPath!));
      const staleMinutes = numberOption(values, 'stale-minutes', (n) => n >= 0, 'a number of minutes ≥ 0');
      const file = readRecordsFile(dataPath!, ix, io);
      const { report } = stabilityDetail(ix, file.records, { from: timeOption(values, 'from'), to: timeOption(values, 'to'), staleMinutes });
      if (values['json']) io.out(JSON.stringify(report));
      else {
        io.out(`Stability ${report.from ?? '—'} → ${report.to ?? '—'} (readings held ${report.staleMinutes} min)`);
        io.out(table(['zone', 'data min', 'in spec', 'excursions', 'exc. min', 'longest', 'mean °C', 'σ °C', 'max dev', 'MKT °C'],
          Object.entries(report.zones).map(([id, z]) => [id, num(z.dataMinutes, 1), pct(z.inSpecFraction), String(z.excursionCount), num(z.excursionMinutes, 1), num(z.longestExcursionMinutes, 1), num(z.meanC), num(z.stdDevC, 3), num(z.maxDeviationC), num(z.mktC)])));
        io.out(`Critical zones in spec: ${pct(report.criticalInSpecFraction)}`);
      }
      return exitCode(file.refused, values);
    },
  },
  alarms: {
    usage: 'twinspace alarms <facility.json> <events.jsonl> [--from T] [--to T] [--lenient] [--json]',
    summary: 'access anomalies raised and response times (metrics.md §3)',
    options: PERIOD_OPTS,
    args: ['facility.json', 'events.jsonl'],
    run(values, [facilityPath, dataPath], io) {
      const ix = indexFacility(readFacilityFile(facilityPath!));
      const file = readRecordsFile(dataPath!, ix, io);
      const result = responseDetail(ix, file.records, { from: timeOption(values, 'from'), to: timeOption(values, 'to') });
      const refused = file.refused + reportFoldRejections(file, result.rejected, io);
      const r = result.report;
      if (values['json']) io.out(JSON.stringify(r));
      else {
        io.out(`Alarms ${r.from ?? '—'} → ${r.to ?? '—'}: ${r.raised} raised (${Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
        const s = (d: typeof r.tta) => [String(d.count), num(d.meanS, 1), num(d.p50S, 1), num(d.p90S, 1), num(d.maxS, 1)];
        io.out(table(['', 'count', 'mean s', 'p50 s', 'p90 s', 'max s'], [['acknowledge', ...s(r.tta)], ['resolve', ...s(r.ttr)]]));
        io.out(`Unacknowledged: ${r.unacknowledged}; false-alarm rate: ${pct(r.falseAlarmRate)}`);
      }
      return exitCode(refused, values);
    },
  },
  coverage: {
    usage: 'twinspace coverage <facility.json> [--grid M] [--target-height M] [--events events.jsonl] [--lenient] [--json]',
    summary: 'camera coverage by DORI level, redundancy and reliability (metrics.md §2)',
    options: { grid: { type: 'string' }, 'target-height': { type: 'string' }, events: { type: 'string' }, json: { type: 'boolean' }, lenient: { type: 'boolean' } },
    args: ['facility.json'],
    run(values, [facilityPath], io) {
      const facility = readFacilityFile(facilityPath!);
      const ix = indexFacility(facility);
      const grid = numberOption(values, 'grid', (n) => n > 0, 'a cell side in metres > 0');
      const targetHeight = numberOption(values, 'target-height', (n) => n >= 0, 'a height in metres ≥ 0');
      let availability: Map<string, number> | undefined;
      let refused = 0;
      if (typeof values['events'] === 'string') {
        const file = readRecordsFile(values['events'], ix, io);
        refused = file.refused;
        const { from, to } = metricsPeriod(file.records, {});
        if (from !== null && to !== null) availability = cameraAvailability(file.records, ix.cameras.keys(), from, to);
      }
      let detail;
      try {
        detail = computeCoverageDetail(facility, { grid, targetHeight, availability });
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const r = detail.report;
      if (values['json']) io.out(JSON.stringify(r));
      else {
        io.out(`Coverage on a ${r.grid} m grid at ${r.targetHeight} m above the slab`);
        io.out(table(['zone', 'area m²', 'detect', 'observe', 'recogn.', 'identify', 'required', 'target', 'meets', 'redundant', 'reliability'],
          Object.entries(r.zones).map(([id, z]) => [id, num(z.areaM2, 1), pct(z.fractions.detection), pct(z.fractions.observation), pct(z.fractions.recognition), pct(z.fractions.identification), z.requiredLevel, pct(z.target), z.meetsTarget ? 'yes' : 'NO', pct(z.redundantFraction), pct(z.reliability)])));
        io.out(`Critical zones at their required level: ${pct(r.criticalRequiredFraction)}; reliability-weighted: ${pct(reliabilityWeightedCoverage(ix, r))}`);
        if (detail.nonCompliantCameras.length > 0) {
          io.out('Cameras not NDAA-compliant (area only each covers, at detection):');
          for (const c of detail.nonCompliantCameras) io.out(`  ${c.id}: ${num(c.exclusiveAreaM2, 1)} m² of ${num(c.areaM2, 1)} m²`);
        }
      }
      return exitCode(refused, values);
    },
  },
  roi: {
    usage: 'twinspace roi <facility.json> <roi.json> --telemetry F --events F [--from T] [--to T] [--lenient] [--json]',
    summary: 'resilience ROI from the measured figures (metrics.md §4)',
    options: { ...PERIOD_OPTS, telemetry: { type: 'string' }, events: { type: 'string' } },
    args: ['facility.json', 'roi.json'],
    run(values, [facilityPath, roiPath], io) {
      if (typeof values['telemetry'] !== 'string' || typeof values['events'] !== 'string') throw new UsageError('--telemetry and --events are required');
      const ix = indexFacility(readFacilityFile(facilityPath!));
      const inputs = loadRoiInputsText(readTextFile(roiPath!));
      if (!inputs.ok) throw new InputError(formatProblems(inputs.problems).split('\n').map((l) => `${roiPath}: ${l}`).join('\n'));
      const tel = readRecordsFile(values['telemetry'], ix, io);
      const ev = readRecordsFile(values['events'], ix, io);
      // One list in ts order (stable: file order among equals), each record remembering its file line.
      const tagged = [tel, ev].flatMap((f) => f.records.map((r, i) => ({ r, at: `${f.path}:${f.lines[i] ?? '?'}` }))).sort((a, b) => a.r.ts - b.r.ts);
      const m = computeMetrics(ix, tagged.map((t) => t.r), { from: timeOption(values, 'from'), to: timeOption(values, 'to'), roi: inputs.inputs });
      for (const r of m.rejected) io.err(`${tagged[r.index]?.at ?? '?'}: ${r.reason}`);
      const roi = m.roi!;
      if (values['json']) io.out(JSON.stringify(roi));
      else {
        const money = (v: number) => `${roi.currency} ${Math.round(v).toLocaleString('en-US')}`;
        io.out(`ROI over ${m.from ?? '—'} → ${m.to ?? '—'}, annualised`);
        io.out(table(['benefit line', 'per year'], [['temperature', money(roi.lines.temperature)], ['response', money(roi.lines.response)], ['coverage', money(roi.lines.coverage)], ['total', money(roi.annualBenefit)]]));
        io.out(`ROI ${roi.roi === null ? '—' : `${(roi.roi * 100).toFixed(1)} %`} over ${inputs.inputs.horizonYears} years; payback ${roi.paybackMonths === null ? 'never' : `${roi.paybackMonths.toFixed(1)} months`}; NPV ${money(roi.npv)}`);
      }
      return exitCode(tel.refused + ev.refused + m.rejected.length, values);
    },
  },
};
