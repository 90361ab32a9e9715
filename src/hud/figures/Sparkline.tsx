// A KPI's trend: one uPlot line over the period's buckets (each bucket its
// own period by the same definitions, GET /api/metrics/trend), no axes; the
// gaps are buckets without the figure.
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { TrendPoint } from '../../core/metrics/trend.ts';
import { trendColumns, type TrendKey } from './chartData.ts';
import { UPlotChart, type ChartOptions } from './UPlotChart.tsx';

/** Sparkline height, CSS px. */
export const SPARK_HEIGHT_PX = 34;
/** Most points a sparkline draws (two per pixel of the widest sidebar). */
const SPARK_MAX_POINTS = 800;

const STROKE = '#56b4e9';
const FILL = 'rgba(86, 180, 233, 0.16)';

/** The y range: the data with a tenth of margin, a flat line in the middle, no data as 0–1. */
function sparkRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min - 1, max + 1];
  const pad = (max - min) * 0.1;
  return [min - pad, max + pad];
}

export function Sparkline({ points, field, scale, label }: { points: readonly TrendPoint[]; field: TrendKey; scale: number; label: string }) {
  const data = useMemo(() => trendColumns(points, field, scale, SPARK_MAX_POINTS) as uPlot.AlignedData, [points, field, scale]);
  const options = useMemo<ChartOptions>(() => ({
    pxAlign: 0,
    legend: { show: false },
    cursor: { show: true, x: true, y: false, points: { size: 5 } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    axes: [{ show: false }, { show: false }],
    scales: { x: { time: true }, y: { range: sparkRange } },
    // Points too: a bucket between two gaps (a lone alarm) has no line to show it.
    series: [{}, { stroke: STROKE, fill: FILL, width: 1.5, spanGaps: false, points: { show: true, size: 3.5, fill: STROKE, stroke: STROKE } }],
  }), []);
  return <UPlotChart className="spark" options={options} data={data} height={SPARK_HEIGHT_PX} label={`${label} over the period`} />;
}
