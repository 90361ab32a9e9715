// The "Figures" tab of the left sidebar: the facility figures over the
// chosen period, each with its trend, the period it covers and a "data" link
// to the drill-down it came from; then the coverage engine's own state and
// the ROI in short. Every number comes from the API or the engine.
import { useEffect, useMemo, type ReactNode } from 'react';
import { useRenderCount } from '../../app/debug.ts';
import { useTwin } from '../../state/store.ts';
import { ROLLING_REFRESH_MS, type Drill } from '../../state/metrics.ts';
import type { TrendPoint } from '../../core/metrics/trend.ts';
import { CoverageSection } from './CoverageSection.tsx';
import { fmtDateTime, fmtDuration, fmtMillis, fmtMoney, fmtMonths, fmtNumber, fmtPercent } from './format.ts';
import { kpiFigures, kpiTiles, type KpiTileSpec } from './kpis.ts';
import { PeriodPicker } from './PeriodPicker.tsx';
import { SidebarTabs } from './SidebarTabs.tsx';
import { Sparkline } from './Sparkline.tsx';

/** The drill-down behind each tile. */
const DRILL: Record<KpiTileSpec['id'], Drill> = {
  'in-spec': { kind: 'stability' },
  excursions: { kind: 'stability' },
  coverage: { kind: 'coverage' },
  tta: { kind: 'alarms', sort: 'tta', filter: 'all' },
  ttr: { kind: 'alarms', sort: 'ttr', filter: 'all' },
  unacknowledged: { kind: 'alarms', sort: 'tta', filter: 'unacknowledged' },
  'false-alarms': { kind: 'alarms', sort: 'ttr', filter: 'false-alarm' },
};

function Tile({ id, label, value, text, parts, sub, period, onData, children }: {
  id: string; label: string; value: number | null; text: string; parts?: KpiTileSpec['parts']; sub: ReactNode; period: string; onData: () => void; children: ReactNode;
}) {
  return (
    <section className="kpi" data-kpi={id} data-value={value ?? ''}>
      <header>
        <h3>{label}</h3>
        <button type="button" className="data-link" onClick={onData} title="Open the data behind this figure">data</button>
      </header>
      {parts ? (
        <div className="kpi-value kpi-parts" data-text={text}>{parts.map((p) => <span key={p.label} data-part={p.label}><small>{p.label}</small>{p.text}</span>)}</div>
      ) : <div className="kpi-value" data-text={text}>{text}</div>}
      <div className="kpi-sub">{sub}</div>
      {children}
      <footer className="kpi-period">{period}</footer>
    </section>
  );
}

/** The period a tile covers, short: "24 h to 2026-11-24 06:59". */
function periodShort(from: number, to: number): string {
  return `${fmtDuration(to - from)} to ${fmtDateTime(to)}`;
}

function Trend({ spec, points }: { spec: KpiTileSpec; points: readonly TrendPoint[] | null }) {
  if (!spec.spark) return <div className="spark spark-none">no trend: not a figure of time</div>;
  if (!points) return <div className="spark spark-wait" />;
  return <Sparkline points={points} field={spec.spark.key} scale={spec.spark.scale} label={spec.spark.label} />;
}

export function FiguresPanel() {
  useRenderCount('FiguresPanel');
  const ix = useTwin((s) => s.index);
  const metrics = useTwin((s) => s.metrics);
  const trend = useTwin((s) => s.trend);
  const period = useTwin((s) => s.figuresPeriod);
  const stats = useTwin((s) => s.incidentStats);
  const loadFigures = useTwin((s) => s.loadFigures);
  const openDrill = useTwin((s) => s.openDrill);
  const setRoiOpen = useTwin((s) => s.setRoiOpen);
  const whatIfReport = useTwin((s) => (Object.keys(s.whatIfCameras).length > 0 ? s.coverage?.report ?? null : null));

  useEffect(() => {
    loadFigures();
    const t = window.setInterval(() => { if (useTwin.getState().figuresPeriod.preset !== 'custom') loadFigures(); }, ROLLING_REFRESH_MS);
    return () => window.clearInterval(t);
  }, [loadFigures]);

  const data = metrics.data;
  const tiles = useMemo(() => (ix && data ? kpiTiles(kpiFigures(ix, data)) : null), [ix, data]);
  const dataPeriod = data ? periodShort(Date.parse(data.from), Date.parse(data.to)) : periodShort(period.from, period.to);
  const points = trend.data?.points ?? null;
  const roi = data?.roi ?? null;

  return (
    <aside className="sidebar figures" aria-label="Figures" data-state={metrics.status}>
      <SidebarTabs />
      <PeriodPicker />
      {metrics.status === 'error' && <p className="fig-error" role="alert">Figures unavailable: {metrics.error}</p>}
      {metrics.status === 'loading' && <p className="fig-loading" role="status"><span className="spinner" /> Computing the figures for this period…</p>}
      {tiles && (
        <div className="kpis">
          {tiles.map((t) => (
            <Tile key={t.id} id={t.id} label={t.label} value={t.value} text={t.text} {...(t.parts ? { parts: t.parts } : {})} period={dataPeriod} onData={() => openDrill(DRILL[t.id])}
              sub={t.id === 'coverage' && whatIfReport ? <>{t.sub} · <span className="what-if-value" data-what-if={whatIfReport.criticalRequiredFraction ?? ''}>what-if {fmtPercent(whatIfReport.criticalRequiredFraction)}</span></> : t.sub}>
              <Trend spec={t} points={points} />
            </Tile>
          ))}
          {stats && (
            <Tile id="reconstruction" label="Incident reconstruction" value={stats.p95Ms} text={stats.count ? `${fmtMillis(stats.p50Ms)} / ${fmtMillis(stats.p95Ms)}` : 'none yet'}
              sub={`p50 / p95 over the last ${fmtNumber(stats.window)} of ${fmtNumber(stats.count)} reconstructions`} period="since the server started" onData={() => openDrill({ kind: 'incidents' })}>
              <div className="spark spark-none">no trend: kept by the server</div>
            </Tile>
          )}
        </div>
      )}
      <CoverageSection />
      <section className="fig-section roi-summary" data-roi={roi ? 'yes' : 'no'}>
        <h3>Resilience ROI</h3>
        {roi ? (
          <dl className="facts">
            <div><dt>Annual benefit</dt><dd data-roi-figure="annualBenefit">{fmtMoney(roi.annualBenefit, roi.currency)}</dd></div>
            <div><dt>ROI</dt><dd data-roi-figure="roi">{fmtPercent(roi.roi)}</dd></div>
            <div><dt>Payback</dt><dd data-roi-figure="paybackMonths">{fmtMonths(roi.paybackMonths)}</dd></div>
            <div><dt>NPV</dt><dd data-roi-figure="npv">{fmtMoney(roi.npv, roi.currency)}</dd></div>
          </dl>
        ) : <p className="muted">{data ? 'No ROI inputs stored yet.' : '—'}</p>}
        <button type="button" className="open-roi" onClick={() => setRoiOpen(true)}>Open the ROI model</button>
      </section>
    </aside>
  );
}
