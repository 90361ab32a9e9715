// A zone's temperature over the period: for each of its temperature sensors
// the per-minute mean with its min–max band (GET /api/telemetry?step=1m, cut
// to the chart's pixel width), the setpoint ± tolerance band, and the
// counted excursions shaded (from the raw readings, by the §1 rule).
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import type { Sensor, Zone } from '../../core/facility/schema.ts';
import { apiJson } from '../../net/api.ts';
import { bandColumns, telemetryStepMs, type TelemetryBucket } from './chartData.ts';
import { zoneExcursions, type ZoneExcursions } from './excursions.ts';
import { fmtCelsius, fmtMinutes, fmtTime } from './format.ts';
import { UPlotChart, type ChartOptions } from './UPlotChart.tsx';

/** Sensor line colours (Okabe–Ito). */
const SENSOR_COLORS = ['#56b4e9', '#e69f00', '#cc79a7', '#009e73', '#f0e442', '#0072b2'];
const SPEC = 'rgba(0, 158, 115, 0.9)';
const SPEC_FILL = 'rgba(0, 158, 115, 0.10)';
const EXCURSION_FILL = 'rgba(213, 94, 0, 0.22)';
/** Chart height, CSS px. */
const CHART_HEIGHT_PX = 240;
/** §1 default: a reading holds for 15 min at most. */
const STALE_MINUTES = 15;

interface BucketsAnswer { stepMs: number; buckets: { ts: string; min: number; max: number; mean: number; count: number }[] }
interface ReadingsAnswer { readings: { ts: string; value: number }[] }

/** The queries of the chart (also its "data" links). */
export function temperatureQueries(sensors: readonly Sensor[], fromMs: number, toMs: number): { buckets: string[]; raw: string[]; stepMs: number } {
  const stepMs = telemetryStepMs(fromMs, toMs);
  const iso = (ms: number) => new Date(ms).toISOString();
  const step = `${stepMs / 60_000}m`;
  return {
    stepMs,
    buckets: sensors.map((s) => `/api/telemetry?sensor=${encodeURIComponent(s.id)}&from=${iso(fromMs)}&to=${iso(toMs)}&step=${step}`),
    raw: sensors.map((s) => `/api/telemetry?sensor=${encodeURIComponent(s.id)}&from=${iso(fromMs - STALE_MINUTES * 60_000)}&to=${iso(toMs)}`),
  };
}

type Loaded = { key: string; buckets: TelemetryBucket[][]; excursions: ZoneExcursions | null; excursionNote: string | null };

export function TemperatureChart({ zone, sensors, fromMs, toMs }: { zone: Zone; sensors: readonly Sensor[]; fromMs: number; toMs: number }) {
  const spec = zone.temperature!;
  const q = useMemo(() => temperatureQueries(sensors, fromMs, toMs), [sensors, fromMs, toMs]);
  const key = q.buckets.join('|');
  const [answer, setAnswer] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<{ key: string; error: string } | null>(null);
  // Answers to an earlier period or zone are not shown.
  const loaded = answer?.key === key ? answer : null;
  const error = failure?.key === key ? failure.error : null;
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const [width, setWidth] = useState(800);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.round(el.clientWidth / 50) * 50)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    let live = true;
    const buckets = Promise.all(q.buckets.map((u) => apiJson<BucketsAnswer>(u)));
    const raw = Promise.all(q.raw.map((u) => apiJson<ReadingsAnswer>(u))).then(
      (answers) => ({
        excursions: zoneExcursions(answers.map((a) => ({ ts: a.readings.map((r) => Date.parse(r.ts)), v: a.readings.map((r) => r.value) })), spec, fromMs, toMs, STALE_MINUTES),
        excursionNote: null,
      }),
      (e: unknown) => ({ excursions: null, excursionNote: `excursions not shaded: ${(e as Error).message}` }),
    );
    Promise.all([buckets, raw]).then(([b, r]) => {
      if (!live) return;
      setAnswer({ key, buckets: b.map((a) => a.buckets.map((x) => ({ ts: Date.parse(x.ts), min: x.min, max: x.max, mean: x.mean, count: x.count }))), ...r });
    }, (e: unknown) => { if (live) setFailure({ key, error: (e as Error).message }); });
    return () => { live = false; };
  }, [q, key, spec, fromMs, toMs]);

  const data = useMemo(() => {
    if (!loaded) return null;
    const { xs, series } = bandColumns(fromMs, toMs, q.stepMs, loaded.buckets, width);
    const hi = xs.map(() => spec.setpoint + spec.tolerance), lo = xs.map(() => spec.setpoint - spec.tolerance);
    const cols: (number | null)[][] = [hi, lo];
    for (const s of series) cols.push(s.max, s.min, s.mean);
    return [xs, ...cols] as uPlot.AlignedData;
  }, [loaded, fromMs, toMs, q.stepMs, width, spec]);

  const options = useMemo<ChartOptions | null>(() => {
    if (!loaded) return null;
    const shade = loaded.excursions?.intervals ?? [];
    const series: uPlot.Series[] = [
      {},
      { label: 'setpoint + tolerance', stroke: SPEC, width: 1, dash: [6, 4], points: { show: false } },
      { label: 'setpoint − tolerance', stroke: SPEC, width: 1, dash: [6, 4], points: { show: false } },
    ];
    const bands: uPlot.Band[] = [{ series: [1, 2], fill: SPEC_FILL }];
    sensors.forEach((s, i) => {
      const c = SENSOR_COLORS[i % SENSOR_COLORS.length]!;
      const base = 3 + 3 * i;
      series.push(
        { label: `${s.id} max`, stroke: 'transparent', width: 0, points: { show: false } },
        { label: `${s.id} min`, stroke: 'transparent', width: 0, points: { show: false } },
        { label: `${s.id} mean`, stroke: c, width: 1.25, points: { show: false } },
      );
      bands.push({ series: [base, base + 1], fill: `${c}33` });
    });
    return {
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8b97a6', grid: { stroke: 'rgba(139,151,166,0.12)' }, ticks: { stroke: 'rgba(139,151,166,0.3)' } },
        { stroke: '#8b97a6', grid: { stroke: 'rgba(139,151,166,0.12)' }, ticks: { stroke: 'rgba(139,151,166,0.3)' }, values: (_u, vals) => vals.map((v) => `${v.toFixed(1)} °C`), size: 64 },
      ],
      series, bands,
      hooks: {
        drawClear: [(u) => {
          const ctx = u.ctx, { top, height } = u.bbox;
          ctx.save();
          ctx.fillStyle = EXCURSION_FILL;
          for (const [a, b] of shade) {
            const x1 = u.valToPos(a / 1000, 'x', true), x2 = u.valToPos(b / 1000, 'x', true);
            ctx.fillRect(x1, top, Math.max(1, x2 - x1), height);
          }
          ctx.restore();
        }],
        setCursor: [(u) => {
          const el = readout.current, i = u.cursor.idx;
          if (!el) return;
          if (i === null || i === undefined) { el.textContent = ''; return; }
          const parts = sensors.map((s, k) => `${s.id} ${fmtCelsius((u.data[5 + 3 * k]?.[i] as number | null | undefined) ?? null)}`);
          el.textContent = `${fmtTime((u.data[0]![i] ?? 0) * 1000, true)} · ${parts.join(' · ')}`;
        }],
      },
    };
  }, [loaded, sensors]);

  const ex = loaded?.excursions ?? null;
  return (
    <div className="temp-chart" data-zone={zone.id} data-state={error ? 'error' : loaded ? 'ready' : 'loading'} data-excursions={ex?.count ?? ''}>
      <ul className="chart-legend">
        {sensors.map((s, i) => <li key={s.id}><span className="swatch" style={{ background: SENSOR_COLORS[i % SENSOR_COLORS.length] }} />{s.id} mean, min–max</li>)}
        <li><span className="swatch" style={{ background: SPEC_FILL, borderColor: SPEC }} />{spec.setpoint} ± {spec.tolerance} °C</li>
        <li><span className="swatch" style={{ background: EXCURSION_FILL }} />counted excursion{ex ? ` (${ex.count}, ${fmtMinutes(ex.minutes)})` : ''}</li>
        <li className="readout"><span ref={readout} /></li>
      </ul>
      <div ref={box} className="chart-box">
        {error && <p className="fig-error" role="alert">{error}</p>}
        {!error && !loaded && <p className="fig-loading" role="status"><span className="spinner" /> Reading {sensors.length} sensor{sensors.length === 1 ? '' : 's'}…</p>}
        {options && data && <UPlotChart options={options} data={data} height={CHART_HEIGHT_PX} label={`Temperature of ${zone.name}`} />}
      </div>
      {loaded?.excursionNote && <p className="note">{loaded.excursionNote}</p>}
    </div>
  );
}
