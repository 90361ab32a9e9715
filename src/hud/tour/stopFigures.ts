// The tiles each tour stop shows, pure: built from one GET /api/metrics
// answer (and its trend, and a zone's temperature buckets) by the
// definitions of metrics.md — the facility figures come from the KPI
// panel's own model (hud/figures/kpis.ts); a floor's or a zone's are the
// same sums over its critical zones and its doors. Nothing here draws.
import type { FacilityIndex } from '../../core/facility/model.ts';
import type { Floor } from '../../core/facility/schema.ts';
import type { AlarmJson } from '../../core/metrics/response.ts';
import { durationStats } from '../../core/metrics/response.ts';
import type { TrendPoint } from '../../core/metrics/trend.ts';
import type { RoiReport } from '../../core/metrics/roi.ts';
import { kpiFigures, kpiTiles, type KpiTileSpec } from '../figures/kpis.ts';
import { trendColumns } from '../figures/chartData.ts';
import { DASH, fmtMinutes, fmtMoney, fmtMonths, fmtNumber, fmtPercent } from '../figures/format.ts';
import type { MetricsForRoi } from '../figures/roiModel.ts';

/** How a figure reads at a glance. */
export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** A trend line under a figure: values in time order (null = gap), optionally a band (in spec) to draw behind it. */
export interface Spark {
  values: (number | null)[];
  /** What the line shows and over which buckets: "in spec per 30 min". */
  label: string;
  band?: [number, number] | undefined;
}

/** Bars under a figure, one per part (zones of a floor, benefit lines). */
export interface Bar { label: string; value: number | null; text: string; tone: Tone }

/** A small table under a figure: one row per part (a floor's critical zones). */
export interface TileTable { columns: string[]; rows: { label: string; cells: { text: string; tone: Tone }[] }[] }

/** A tile: its label, the figure, a second line, and a trend, bars or a table. */
export interface TourTile {
  id: string;
  label: string;
  value: string;
  sub: string;
  tone: Tone;
  spark: Spark | null;
  bars: Bar[] | null;
  table?: TileTable | undefined;
  /** Spans the panel's width. */
  wide?: boolean | undefined;
  /** Written every second from the live buffer instead of `value`: a zone's temperature now, or its other sensors' readings. */
  live?: { kind: 'zone-temperature' | 'zone-readings'; zoneId: string } | undefined;
}

/** GET /api/metrics as the tour reads it. */
export interface TourMetrics extends MetricsForRoi { roi: RoiReport | null }

/** A zone's temperature in buckets (mean over its sensors of each bucket's mean), epoch ms. */
export interface ZoneSeries { zoneId: string; from: number; to: number; stepMs: number; means: (number | null)[] }

/** Everything a stop's tiles may be built from. */
export interface StopData {
  ix: FacilityIndex;
  metrics: TourMetrics | null;
  trend: TrendPoint[] | null;
  zoneSeries: ZoneSeries | null;
  /** Live camera states: online per camera id (absent: unknown). */
  cameraOnline: (id: string) => boolean | null;
}

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A fraction's tone against a target: met → good, within 5 points → warn, else bad. */
export function fractionTone(v: number | null, target = 0.99): Tone {
  if (!isNum(v)) return 'neutral';
  if (v >= target) return 'good';
  return v >= target - 0.05 ? 'warn' : 'bad';
}

/** A bucket's length: "30 min", "hour", "2 h". */
function fmtBucket(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min === 60) return 'hour';
  return min >= 120 && min % 60 === 0 ? `${min / 60} h` : `${min} min`;
}

/** Buckets of a trend for its label: "per 30 min". */
function bucketWords(points: readonly TrendPoint[]): string {
  const p = points[0];
  return p ? `per ${fmtBucket(Date.parse(p.to) - Date.parse(p.from))}` : '';
}

/** Alarm onsets counted per bucket of `[from, to)`. */
export function onsetHistogram(alarms: readonly AlarmJson[], from: number, to: number, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  const w = (to - from) / buckets;
  if (!(w > 0)) return out;
  for (const a of alarms) {
    const t = Date.parse(a.onset);
    const k = Math.floor((t - from) / w);
    if (k >= 0 && k < buckets) out[k]!++;
  }
  return out;
}

const HIST_BUCKETS = 24;

/** The wall's shorter labels of the KPI panel's tiles. */
const OVERVIEW_LABELS: Partial<Record<KpiTileSpec['id'], string>> = {
  'in-spec': 'Critical in spec', excursions: 'Excursion minutes', coverage: 'Critical coverage', tta: 'Time to acknowledge', unacknowledged: 'Unacknowledged', 'false-alarms': 'False-alarm rate',
};

/** Two durations in one unit, chosen by the larger: "12 / 45 s", "1.5 / 4.2 min", "1.2 / 3.0 h". */
export function fmtPair(a: number | null, b: number | null): string {
  if (!isNum(a) && !isNum(b)) return DASH;
  const top = Math.max(isNum(a) ? a : 0, isNum(b) ? b : 0);
  const [div, unit, digits] = top < 100 ? [1, 's', 0] : top < 120 * 60 ? [60, 'min', 1] : [3600, 'h', 1];
  const f = (v: number | null) => (isNum(v) ? (v / div).toFixed(digits) : DASH);
  return `${f(a)} / ${f(b)} ${unit}`;
}

/** The tiles of the facility overview: the KPI panel's figures, with their trends. */
export function overviewTiles(d: StopData): TourTile[] {
  if (!d.metrics) return [];
  const f = kpiFigures(d.ix, d.metrics);
  const want: KpiTileSpec['id'][] = ['in-spec', 'excursions', 'coverage', 'tta', 'unacknowledged', 'false-alarms'];
  const specs = kpiTiles(f).filter((t) => want.includes(t.id));
  const words = d.trend ? bucketWords(d.trend) : '';
  return specs.map((t): TourTile => {
    const label = OVERVIEW_LABELS[t.id] ?? t.label;
    const value = t.id === 'tta' ? fmtPair(f.ttaP50, f.ttaP90) : t.text;
    const sub = t.id === 'tta' ? 'p50 / p90 of acknowledged alarms' : t.sub;
    const spark: Spark | null = t.spark && d.trend && d.trend.length > 1
      ? { values: trendColumns(d.trend, t.spark.key, t.spark.scale)[1], label: `${t.spark.label} · ${words}` }
      : null;
    let tone: Tone = 'neutral';
    if (t.id === 'in-spec') tone = fractionTone(f.inSpec);
    else if (t.id === 'coverage') tone = fractionTone(f.coverage, 0.95);
    else if (t.id === 'excursions') tone = f.excursionMinutes > 0 ? 'warn' : 'good';
    else if (t.id === 'unacknowledged') tone = f.unacknowledged > 0 ? 'warn' : 'good';
    return { id: t.id, label, value, sub, tone, spark, bars: null };
  });
}

/** Alarms of the period at the doors touching any of `zoneIds` (or on `floor`). */
function alarmsAt(d: StopData, doors: ReadonlySet<string>): AlarmJson[] {
  return d.metrics ? d.metrics.alarms.alarms.filter((a) => doors.has(a.door)) : [];
}

/** The alarms tile of a part of the plant: raised, TTA p50/p90, with onsets per hour as the trend. */
function alarmsTile(d: StopData, alarms: AlarmJson[], where: string): TourTile {
  const tta = durationStats(alarms.filter((a) => a.acknowledgedAt !== null).map((a) => (Date.parse(a.acknowledgedAt!) - Date.parse(a.onset)) / 1000));
  const unacked = alarms.filter((a) => a.acknowledgedAt === null).length;
  const from = d.metrics?.from ? Date.parse(d.metrics.from) : NaN, to = d.metrics?.to ? Date.parse(d.metrics.to) : NaN;
  const hist = Number.isFinite(from) && Number.isFinite(to) ? onsetHistogram(alarms, from, to, HIST_BUCKETS) : null;
  return {
    id: 'alarms', label: `Alarms ${where}`, value: d.metrics ? fmtNumber(alarms.length) : DASH,
    sub: `TTA ${fmtPair(tta.p50S, tta.p90S)} · ${fmtNumber(unacked)} unacknowledged`,
    tone: unacked > 0 ? 'warn' : 'neutral',
    spark: hist ? { values: hist, label: `alarms raised per ${fmtBucket((to - from) / HIST_BUCKETS)}` } : null,
    bars: null,
  };
}

/** Σ in-spec time ÷ Σ data time, Σ excursion minutes and their count over some zones (metrics.md §1 sums). */
function stabilityOver(d: StopData, zoneIds: readonly string[]): { inSpec: number | null; excursionMinutes: number; excursions: number; longest: number } {
  let data = 0, inSpec = 0, exc = 0, count = 0, longest = 0;
  for (const id of zoneIds) {
    const z = d.metrics?.stability.zones[id];
    if (!z) continue;
    if (z.inSpecFraction !== null) { data += z.dataMinutes; inSpec += z.inSpecFraction * z.dataMinutes; }
    exc += z.excursionMinutes; count += z.excursionCount; longest = Math.max(longest, z.longestExcursionMinutes);
  }
  return { inSpec: data > 0 ? inSpec / data : null, excursionMinutes: exc, excursions: count, longest };
}

/** Area-weighted required-level coverage, reliability and redundancy over some zones (metrics.md §2 sums). */
function coverageOver(d: StopData, zoneIds: readonly string[]): { required: number | null; reliability: number | null; redundant: number | null; meeting: number; judged: number } {
  let area = 0, req = 0, relArea = 0, rel = 0, redArea = 0, red = 0, meeting = 0, judged = 0;
  for (const id of zoneIds) {
    const z = d.metrics?.coverage.zones[id];
    if (!z || z.requiredFraction === null) continue;
    judged++;
    if (z.meetsTarget) meeting++;
    area += z.areaM2; req += z.requiredFraction * z.areaM2;
    if (z.reliability !== null) { relArea += z.areaM2; rel += z.reliability * z.areaM2; }
    if (z.redundantFraction !== null) { redArea += z.areaM2; red += z.redundantFraction * z.areaM2; }
  }
  return { required: area > 0 ? req / area : null, reliability: relArea > 0 ? rel / relArea : null, redundant: redArea > 0 ? red / redArea : null, meeting, judged };
}

const criticalZones = (f: Floor) => f.zones.filter((z) => z.critical);
const shortName = (name: string) => name.replace(/\s*\(.*\)\s*$/, '');

/** The tiles of a floor: its critical zones' stability and coverage, the alarms at its doors, and a row per critical zone. */
export function floorTiles(d: StopData, floorId: string): TourTile[] {
  const floor = d.ix.facility.floors.find((f) => f.id === floorId);
  if (!floor || !d.metrics) return [];
  const m = d.metrics;
  const crit = criticalZones(floor), ids = crit.map((z) => z.id);
  const st = stabilityOver(d, ids), cov = coverageOver(d, ids);
  return [
    { id: 'in-spec', label: 'Critical in spec', value: fmtPercent(st.inSpec, 2), sub: `${crit.length} critical zones on this floor`, tone: fractionTone(st.inSpec), spark: null, bars: null },
    {
      id: 'excursions', label: 'Excursion minutes', value: fmtMinutes(st.excursionMinutes),
      sub: `${fmtNumber(st.excursions)} counted · longest ${fmtMinutes(st.longest)}`, tone: st.excursionMinutes > 0 ? 'warn' : 'good', spark: null, bars: null,
    },
    { id: 'coverage', label: 'Critical coverage', value: fmtPercent(cov.required), sub: `at the required level · reliability ${fmtPercent(cov.reliability)}`, tone: fractionTone(cov.required, 0.95), spark: null, bars: null },
    alarmsTile(d, alarmsAt(d, new Set(floor.doors.map((x) => x.id))), 'on this floor'),
    {
      id: 'zones', label: 'Critical zones', value: '', sub: '', tone: 'neutral', spark: null, bars: null, wide: true,
      table: {
        columns: ['in spec', 'excursion', 'coverage'],
        rows: crit.map((z) => {
          const zs = m.stability.zones[z.id], zc = m.coverage.zones[z.id];
          return {
            label: shortName(z.name),
            cells: [
              { text: zs ? fmtPercent(zs.inSpecFraction, 1) : DASH, tone: fractionTone(zs?.inSpecFraction ?? null) },
              { text: zs ? fmtMinutes(zs.excursionMinutes) : DASH, tone: zs ? (zs.excursionMinutes > 0 ? 'warn' : 'good') : 'neutral' },
              { text: zc ? fmtPercent(zc.requiredFraction) : DASH, tone: zc ? (zc.meetsTarget ? 'good' : fractionTone(zc.requiredFraction, zc.target)) : 'neutral' },
            ],
          };
        }),
      },
    },
  ];
}

/** The tiles of a zone: its temperature now and over the period, stability, coverage, and the alarms at its doors. */
export function zoneTiles(d: StopData, zoneId: string): TourTile[] {
  const z = d.ix.zones.get(zoneId);
  if (!z) return [];
  const spec = z.zone.temperature;
  const st = d.metrics?.stability.zones[zoneId] ?? null;
  const cov = d.metrics?.coverage.zones[zoneId] ?? null;
  const series = d.zoneSeries && d.zoneSeries.zoneId === zoneId ? d.zoneSeries : null;
  const band: [number, number] | undefined = spec ? [spec.setpoint - spec.tolerance, spec.setpoint + spec.tolerance] : undefined;
  const tiles: TourTile[] = [
    {
      id: 'temperature', label: 'Temperature now', value: DASH,
      sub: spec ? `spec ${spec.setpoint.toFixed(1)} ± ${spec.tolerance.toFixed(1)} °C` : 'no temperature spec',
      tone: 'neutral', live: { kind: 'zone-temperature', zoneId },
      spark: series && series.means.some(isNum) ? { values: series.means, label: `mean °C per ${fmtBucket(series.stepMs)}`, band } : null,
      bars: null,
    },
  ];
  if (spec) {
    tiles.push(
      {
        id: 'in-spec', label: 'In spec', value: st ? fmtPercent(st.inSpecFraction, 2) : DASH,
        sub: st ? `of ${fmtMinutes(st.dataMinutes)} with data · MKT ${isNum(st.mktC) ? `${st.mktC.toFixed(1)} °C` : DASH}` : 'no readings in the period',
        tone: fractionTone(st?.inSpecFraction ?? null), spark: null, bars: null,
      },
      {
        id: 'excursions', label: 'Excursion minutes', value: st ? fmtMinutes(st.excursionMinutes) : DASH,
        sub: st ? `${fmtNumber(st.excursionCount)} counted · max deviation ${isNum(st.maxDeviationC) ? `${st.maxDeviationC.toFixed(1)} °C` : DASH}` : '',
        tone: st ? (st.excursionMinutes > 0 ? 'warn' : 'good') : 'neutral', spark: null, bars: null,
      },
    );
  }
  tiles.push(
    {
      id: 'coverage', label: 'Camera coverage', value: cov ? fmtPercent(cov.requiredFraction) : DASH,
      sub: cov ? `at ${cov.requiredLevel} · target ${fmtPercent(cov.target, 0)} · reliability ${fmtPercent(cov.reliability)}` : `at ${z.zone.coverage?.required ?? 'detection'}`,
      tone: cov ? (cov.meetsTarget ? 'good' : fractionTone(cov.requiredFraction, cov.target)) : 'neutral', spark: null, bars: null,
    },
    alarmsTile(d, alarmsAt(d, new Set((d.ix.doorsByZone.get(zoneId) ?? []).map((x) => x.id))), 'at its doors'),
  );
  if ((d.ix.sensorsByZone.get(zoneId) ?? []).some((x) => x.kind !== 'temperature')) {
    tiles.push({ id: 'readings', label: 'Other readings now', value: '', sub: '', tone: 'neutral', spark: null, bars: null, wide: true, live: { kind: 'zone-readings', zoneId } });
  }
  return tiles;
}

/** The tiles of the coverage stop: the plant's and the floor's critical coverage, reliability and redundancy, cameras online now, and a row per critical zone. */
export function coverageTiles(d: StopData, floorId: string): TourTile[] {
  const floor = d.ix.facility.floors.find((f) => f.id === floorId);
  if (!floor || !d.metrics) return [];
  const m = d.metrics;
  const crit = criticalZones(floor), cov = coverageOver(d, crit.map((z) => z.id));
  const plant = kpiFigures(d.ix, m);
  const online = floor.cameras.filter((c) => d.cameraOnline(c.id) !== false).length;
  return [
    { id: 'plant', label: 'Critical coverage, plant', value: fmtPercent(plant.coverage), sub: `at the required level · reliability ${fmtPercent(plant.reliability)}`, tone: fractionTone(plant.coverage, 0.95), spark: null, bars: null },
    { id: 'floor', label: 'Critical coverage, floor', value: fmtPercent(cov.required), sub: `${cov.meeting} of ${cov.judged} zones meet their target`, tone: fractionTone(cov.required, 0.95), spark: null, bars: null },
    { id: 'reliability', label: 'Reliability, floor', value: fmtPercent(cov.reliability), sub: `seen by 2+ cameras ${fmtPercent(cov.redundant, 0)}`, tone: fractionTone(cov.reliability, 0.95), spark: null, bars: null },
    {
      id: 'cameras', label: 'Cameras online now', value: `${online} / ${floor.cameras.length}`,
      sub: online === floor.cameras.length ? 'all streaming' : `${floor.cameras.length - online} offline`, tone: online === floor.cameras.length ? 'good' : 'bad', spark: null, bars: null,
    },
    {
      id: 'zones', label: 'Critical zones', value: '', sub: '', tone: 'neutral', spark: null, bars: null, wide: true,
      table: {
        columns: ['level', 'covered', 'target'],
        rows: crit.map((z) => {
          const zc = m.coverage.zones[z.id];
          return {
            label: shortName(z.name),
            cells: [
              { text: zc?.requiredLevel ?? DASH, tone: 'neutral' },
              { text: zc ? fmtPercent(zc.requiredFraction) : DASH, tone: zc ? (zc.meetsTarget ? 'good' : fractionTone(zc.requiredFraction, zc.target)) : 'neutral' },
              { text: zc ? fmtPercent(zc.target, 0) : DASH, tone: 'neutral' },
            ],
          };
        }),
      },
    },
  ];
}

/** The tiles of the ROI stop (metrics.md §4) from the period's measured figures. */
export function roiTiles(d: StopData): TourTile[] {
  const roi = d.metrics?.roi ?? null;
  if (!d.metrics) return [];
  if (!roi) return [{ id: 'roi', label: 'Return on investment', value: DASH, sub: 'no ROI inputs are stored for this plant', tone: 'neutral', spark: null, bars: null }];
  const money = (v: number | null) => fmtMoney(v, roi.currency);
  const lines = ([['Temperature', roi.lines.temperature], ['Response', roi.lines.response], ['Coverage', roi.lines.coverage]] as const)
    .map(([label, v]): Bar => ({ label, value: v, text: money(v), tone: v >= 0 ? 'good' : 'bad' }));
  return [
    { id: 'roi', label: 'ROI', value: isNum(roi.roi) ? fmtPercent(roi.roi, 0) : DASH, sub: 'over the horizon, from the KPI window annualised', tone: isNum(roi.roi) ? (roi.roi > 0 ? 'good' : 'bad') : 'neutral', spark: null, bars: null },
    { id: 'payback', label: 'Payback', value: fmtMonths(roi.paybackMonths), sub: roi.paybackMonths === null ? 'the benefit does not cover the running cost' : 'of the upfront investment', tone: roi.paybackMonths === null ? 'bad' : 'neutral', spark: null, bars: null },
    { id: 'benefit', label: 'Annual benefit', value: money(roi.annualBenefit), sub: 'by line: temperature, response, coverage', tone: roi.annualBenefit > 0 ? 'good' : 'bad', spark: null, bars: lines, wide: true },
    { id: 'npv', label: 'Net present value', value: money(roi.npv), sub: 'over the horizon, discounted', tone: roi.npv > 0 ? 'good' : 'bad', spark: null, bars: null, wide: true },
  ];
}

/** The tiles of a stop. */
export function stopTiles(d: StopData, stop: { kind: string; id: string | null }): TourTile[] {
  switch (stop.kind) {
    case 'overview': return overviewTiles(d);
    case 'floor': return stop.id ? floorTiles(d, stop.id) : [];
    case 'zone': return stop.id ? zoneTiles(d, stop.id) : [];
    case 'coverage': return stop.id ? coverageTiles(d, stop.id) : [];
    case 'roi': return roiTiles(d);
    default: return [];
  }
}

/** An SVG path through `values` in a `w` × `h` box (y up), gaps break the line; `domain` defaults to the values' range (and the band's). */
export function sparkPath(values: readonly (number | null)[], w: number, h: number, band?: readonly [number, number]): { d: string; band: { y: number; h: number } | null; domain: [number, number] | null } {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (isNum(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (band) { lo = Math.min(lo, band[0]); hi = Math.max(hi, band[1]); }
  if (!Number.isFinite(lo)) return { d: '', band: null, domain: null };
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.08;
  lo -= pad; hi += pad;
  const n = values.length;
  const x = (i: number) => (n <= 1 ? w / 2 : (i / (n - 1)) * w);
  const y = (v: number) => h - ((v - lo) / (hi - lo)) * h;
  let d = '', pen = false;
  values.forEach((v, i) => {
    if (!isNum(v)) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
    // A point between gaps draws as a dot (the stroke's round cap).
    if (!pen && !isNum(values[i + 1])) d += 'h0.01';
    pen = true;
  });
  const b = band ? { y: y(band[1]), h: y(band[0]) - y(band[1]) } : null;
  return { d, band: b, domain: [lo, hi] };
}
