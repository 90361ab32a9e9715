// The stop's KPI tiles, large: label, figure, second line, and its trend
// (an SVG line, with the in-spec band where there is one), bars or a small
// table; a header names the window the figures cover. DOM and SVG only: no
// GPU resource is made here. A zone's temperature now is written through a
// ref once a second, not by renders.
import { memo, useEffect, useMemo, useRef } from 'react';
import { useTwin } from '../../state/store.ts';
import { live, serverNow, zoneTemperature } from '../../state/live.ts';
import { useTour } from '../../app/tour/tourStore.ts';
import { useRenderCount } from '../../app/debug.ts';
import { fmtDuration } from '../figures/format.ts';
import { subscribeSecond } from '../ticker.ts';
import { liveText, zoneTemperatureSlots } from '../LiveValue.tsx';
import type { SensorKind } from '../../core/facility/schema.ts';
import { CoverageLegend } from './CoverageLegend.tsx';
import { sparkPath, stopTiles, type Spark, type TourTile } from './stopFigures.ts';

/** Sparkline box in SVG user units (scaled to the tile's width by CSS). */
const SPARK_W = 300, SPARK_H = 60;

function Sparkline({ spark }: { spark: Spark }) {
  const p = sparkPath(spark.values, SPARK_W, SPARK_H, spark.band);
  if (!p.d) return null;
  return (
    <figure className="tt-spark">
      <svg viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} preserveAspectRatio="none" aria-hidden="true">
        {p.band && <rect className="tt-band" x={0} y={p.band.y} width={SPARK_W} height={Math.max(0, p.band.h)} />}
        <path d={p.d} vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption>{spark.label}</figcaption>
    </figure>
  );
}

/** A zone's temperature now, from the live buffer, once a second. */
function LiveZoneTemperature({ zoneId }: { zoneId: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const ix = useTwin((s) => s.index);
  const slots = useMemo(() => zoneTemperatureSlots(ix, zoneId), [ix, zoneId]);
  useEffect(() => subscribeSecond(() => {
    const el = ref.current, buf = live.buffer;
    if (!el) return;
    let text = '—';
    if (buf && slots.length) {
      // NOTE: under an accelerated simulator the reading times run ahead of the clock estimated at hello.
      const now = Math.max(serverNow(), Number.isFinite(buf.newestReadingAt) ? buf.newestReadingAt : 0);
      const t = zoneTemperature(buf, slots, now);
      text = Number.isFinite(t) ? `${t.toFixed(1)} °C` : 'no reading';
    } else if (!slots.length) text = 'no sensor';
    if (el.textContent !== text) el.textContent = text;
  }), [slots]);
  return <span ref={ref} data-live-zone={zoneId} />;
}

/** Keeps a number and its unit on one line ("85 %" never breaks before "%"). */
function keepUnits(text: string): string {
  return text.replace(/(\d) (%|°C|min|s|h|months)(?=$|[\s·,)])/g, '$1\u00a0$2');
}

/** Human names of the sensor kinds the readings tile lists. */
const SENSOR_WORDS: Record<SensorKind, string> = {
  temperature: 'Temperature', humidity: 'Humidity', 'differential-pressure': 'Differential pressure', co2: 'CO₂', occupancy: 'Occupancy',
  power: 'Power', airflow: 'Airflow', 'fan-status': 'Fan', other: 'Other',
};

/** Rows shown in the readings tile, at most. */
const MAX_READINGS = 4;

/** A zone's other sensors (humidity, pressure, …) and their readings now, written once a second. */
function ZoneReadings({ zoneId }: { zoneId: string }) {
  const ix = useTwin((s) => s.index);
  const sensors = useMemo(() => (ix?.sensorsByZone.get(zoneId) ?? []).filter((x) => x.kind !== 'temperature').slice(0, MAX_READINGS), [ix, zoneId]);
  const root = useRef<HTMLUListElement>(null);
  useEffect(() => subscribeSecond(() => {
    const buf = live.buffer;
    const now = Math.max(serverNow(), buf && Number.isFinite(buf.newestReadingAt) ? buf.newestReadingAt : 0);
    root.current?.querySelectorAll<HTMLElement>('[data-sensor]').forEach((el) => {
      const id = el.dataset['sensor']!, unit = el.dataset['unit'] ?? '';
      // People are counted whole.
      const t = liveText(buf, 'sensor', id, unit, [], now).text.replace(/\.0 persons$/, ' persons');
      if (el.textContent !== t) el.textContent = t;
    });
  }), [sensors]);
  return (
    <ul className="tt-readings" ref={root}>
      {sensors.map((x) => (
        <li key={x.id}><span>{SENSOR_WORDS[x.kind]} <span className="tt-reading-id">{x.id}</span></span><span data-sensor={x.id} data-unit={x.kind === 'fan-status' ? '' : x.unit} /></li>
      ))}
    </ul>
  );
}

/** Font size of a figure by its length, so the long ones (money, "p50 / p90") still fit the tile. */
function valueSize(text: string, wide: boolean): string {
  const n = text.length;
  if (wide) return n <= 16 ? 'xl' : n <= 20 ? 'l' : 'm';
  return n <= 7 ? 'xl' : n <= 9 ? 'l' : n <= 12 ? 'm' : 's';
}

const Tile = memo(function Tile({ tile }: { tile: TourTile }) {
  const wide = tile.wide === true;
  return (
    <section className={`tt${wide ? ' tt-wide' : ''}`} data-tile={tile.id} data-tone={tile.tone}>
      <h3 className="tt-label">{tile.label}</h3>
      {(tile.value || tile.live?.kind === 'zone-temperature') && (
        <div className="tt-value" data-size={valueSize(tile.value, wide)}>
          {tile.live ? <LiveZoneTemperature zoneId={tile.live.zoneId} /> : tile.value}
        </div>
      )}
      {tile.live?.kind === 'zone-readings' && <ZoneReadings zoneId={tile.live.zoneId} />}
      {tile.sub && <p className="tt-sub">{keepUnits(tile.sub)}</p>}
      {tile.spark && <Sparkline spark={tile.spark} />}
      {tile.bars && (
        <ul className="tt-bars">
          {(() => {
            const max = Math.max(1e-9, ...tile.bars.map((b) => Math.abs(b.value ?? 0)));
            return tile.bars.map((b) => (
              <li key={b.label} data-tone={b.tone}>
                <span className="tt-bar-label">{b.label}</span>
                <span className="tt-bar-track"><span className="tt-bar-fill" style={{ width: `${(Math.abs(b.value ?? 0) / max) * 100}%` }} /></span>
                <span className="tt-bar-text">{b.text}</span>
              </li>
            ));
          })()}
        </ul>
      )}
      {tile.table && (
        <table className="tt-table">
          <thead><tr><th />{tile.table.columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
          <tbody>
            {tile.table.rows.map((r) => (
              <tr key={r.label}><th scope="row"><span className="tt-row-label">{r.label}</span></th>{r.cells.map((c, i) => <td key={i} data-tone={c.tone}>{c.text}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});

/** A time as the wall reads it: "24 Nov 14:05" (local time). */
export function wallTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getDate()} ${d.toLocaleString('en-GB', { month: 'short' })} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "Last 24 h · 23 Nov 14:05 → 24 Nov 14:05", or the short form "last 24 h to 24 Nov 14:05". */
export function windowWords(period: { from: number; to: number } | null, short = false): string {
  if (!period) return 'waiting for the figures…';
  const len = fmtDuration(period.to - period.from);
  return short ? `last ${len} to ${wallTime(period.to)}` : `Last ${len} · ${wallTime(period.from)} → ${wallTime(period.to)}`;
}

/** Makes an odd half-width tile out (before a wide tile, or at the end) span the row, so the grid leaves no hole. */
function spanOddTiles(tiles: TourTile[]): TourTile[] {
  let run = 0;
  return tiles.map((t, i) => {
    if (t.wide) { run = 0; return t; }
    run++;
    const endsRun = i === tiles.length - 1 || tiles[i + 1]!.wide === true;
    return endsRun && run % 2 === 1 ? { ...t, wide: true } : t;
  });
}

/** The tiles of the stop on screen. */
export function TourTiles() {
  useRenderCount('TourTiles');
  const stop = useTour((s) => s.stop);
  const figures = useTour((s) => s.figures);
  const zoneSeries = useTour((s) => s.zoneSeries);
  const ix = useTwin((s) => s.index);
  const tiles = useMemo(() => {
    if (!ix || !stop) return [];
    return stopTiles({
      ix, metrics: figures.metrics, trend: figures.trend, zoneSeries,
      cameraOnline: (id) => {
        const b = live.buffer, slot = b?.cameraSlot.get(id);
        return b && slot !== undefined ? b.cameraOnline[slot] === 1 : null;
      },
    }, stop);
  }, [ix, stop, figures, zoneSeries]);
  if (!stop) return null;
  return (
    <div className="tour-tiles" data-stop={stop.key}>
      <header className="tt-window">
        <span className="tt-window-label">KPI window</span> <span data-window>{windowWords(figures.period)}</span>
      </header>
      {tiles.length === 0 && <p className="tt-empty">{figures.error ? `Figures unavailable: ${figures.error}` : 'Fetching the figures…'}</p>}
      <div className="tt-grid">
        {spanOddTiles(tiles).map((t) => <Tile key={`${stop.key}:${t.id}`} tile={t} />)}
      </div>
      {stop.kind === 'coverage' && <CoverageLegend />}
    </div>
  );
}
