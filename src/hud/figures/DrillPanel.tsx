// The drill-downs behind the KPIs, in a panel over the stage: the zones'
// stability (→ a zone's temperature chart), the slowest alarms (→ select the
// door and fly), the zones that miss their coverage target (→ select and
// fly), the NDAA compliance report and the reconstruction times. Each names
// the queries it came from.
import { useEffect, type ReactNode } from 'react';
import { selectEntity } from '../../app/commands.ts';
import type { FacilityIndex } from '../../core/facility/model.ts';
import type { AlarmJson } from '../../core/metrics/response.ts';
import { useTwin } from '../../state/store.ts';
import { openIncident } from '../../state/timeline.ts';
import { metricsQuery, type Drill, type MetricsResponse } from '../../state/metrics.ts';
import { entityName } from '../../app/searchIndex.ts';
import { DataSources } from './DataLink.tsx';
import { fmtArea, fmtCelsius, fmtMillis, fmtMinutes, fmtNumber, fmtPercent, fmtPeriod, fmtSeconds, fmtTime } from './format.ts';
import { TemperatureChart, temperatureQueries } from './TemperatureChart.tsx';
import { WhatIfBanner } from './CoverageSection.tsx';

/** Rows a table shows at most. */
const MAX_ROWS = 50;

function EntityLink({ ix, id }: { ix: FacilityIndex; id: string }) {
  if (!ix.byId.has(id)) return <span className="muted">{id}</span>;
  return <button type="button" className="link inline" data-rel={id} onClick={() => selectEntity(id)} title={`Select ${id} and fly there`}>{id}<span className="muted"> · {entityName(ix, id)}</span></button>;
}

function StabilityView({ ix, m }: { ix: FacilityIndex; m: MetricsResponse }) {
  const openDrill = useTwin((s) => s.openDrill);
  const rows = Object.entries(m.stability.zones)
    .map(([id, z]) => ({ id, z, critical: ix.zones.get(id)?.zone.critical === true }))
    .sort((a, b) => Number(b.critical) - Number(a.critical) || b.z.excursionMinutes - a.z.excursionMinutes || (a.z.inSpecFraction ?? 2) - (b.z.inSpecFraction ?? 2));
  return (
    <table className="drill-table">
      <thead><tr><th>Zone</th><th>Critical</th><th>In spec</th><th>Excursions</th><th>Minutes</th><th>Longest</th><th>Mean</th><th>Max dev.</th><th /></tr></thead>
      <tbody>
        {rows.map(({ id, z, critical }) => (
          <tr key={id} data-zone={id}>
            <td><EntityLink ix={ix} id={id} /></td>
            <td>{critical ? 'yes' : ''}</td>
            <td>{fmtPercent(z.inSpecFraction, 2)}</td>
            <td>{fmtNumber(z.excursionCount)}</td>
            <td>{fmtMinutes(z.excursionMinutes)}</td>
            <td>{fmtMinutes(z.longestExcursionMinutes)}</td>
            <td>{fmtCelsius(z.meanC)}</td>
            <td>{fmtCelsius(z.maxDeviationC)}</td>
            <td><button type="button" className="data-link" data-chart={id} onClick={() => openDrill({ kind: 'zone-temp', zoneId: id })}>chart</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ZoneTempView({ ix, zoneId, m }: { ix: FacilityIndex; zoneId: string; m: MetricsResponse | null }) {
  const period = useTwin((s) => s.figuresPeriod);
  const z = ix.zones.get(zoneId);
  if (!z) return <p className="muted">Unknown zone {zoneId}.</p>;
  if (!z.zone.temperature) return <p className="muted">{zoneId} has no temperature spec.</p>;
  const sensors = (ix.sensorsByZone.get(zoneId) ?? []).filter((s) => s.kind === 'temperature');
  if (sensors.length === 0) return <p className="muted">{zoneId} has no temperature sensor.</p>;
  const from = m ? Date.parse(m.from) : period.from, to = m ? Date.parse(m.to) : period.to;
  const st = m?.stability.zones[zoneId];
  const q = temperatureQueries(sensors, from, to);
  return (
    <>
      <p className="drill-facts">
        <EntityLink ix={ix} id={zoneId} />
        {st && <> · in spec <strong data-zone-figure="inSpecFraction">{fmtPercent(st.inSpecFraction, 2)}</strong> · {fmtNumber(st.excursionCount)} excursions, <strong data-zone-figure="excursionMinutes">{fmtMinutes(st.excursionMinutes)}</strong> · mean {fmtCelsius(st.meanC)} · MKT {fmtCelsius(st.mktC)}</>}
      </p>
      <TemperatureChart zone={z.zone} sensors={sensors} fromMs={from} toMs={to} />
      <DataSources queries={[...q.buckets, ...q.raw, metricsQuery(from, to)]} note="Mean and band: per-minute buckets; excursions: the raw readings by the §1 rule; figures: /api/metrics." />
    </>
  );
}

/** TTA or TTR of an alarm, seconds (null when it has none). */
function secondsTo(a: AlarmJson, what: 'tta' | 'ttr'): number | null {
  const end = what === 'tta' ? a.acknowledgedAt ?? a.resolvedAt : a.resolvedAt;
  return end === null ? null : (Date.parse(end) - Date.parse(a.onset)) / 1000;
}

function AlarmsView({ ix, m, sort, filter }: { ix: FacilityIndex; m: MetricsResponse; sort: 'tta' | 'ttr'; filter: 'all' | 'unacknowledged' | 'false-alarm' }) {
  const openDrill = useTwin((s) => s.openDrill);
  const rows = m.alarms.alarms
    .filter((a) => filter === 'all' || (filter === 'unacknowledged' ? a.acknowledgedAt === null && a.resolvedAt === null : a.outcome === 'false-alarm'))
    .map((a) => ({ a, tta: secondsTo(a, 'tta'), ttr: secondsTo(a, 'ttr') }))
    .sort((x, y) => (y[sort] ?? Infinity) - (x[sort] ?? Infinity) || Date.parse(x.a.onset) - Date.parse(y.a.onset));
  const set = (patch: Partial<{ sort: 'tta' | 'ttr'; filter: 'all' | 'unacknowledged' | 'false-alarm' }>) => openDrill({ kind: 'alarms', sort, filter, ...patch });
  return (
    <>
      <div className="drill-controls">
        <div className="segmented small" role="group" aria-label="Order">
          <button type="button" aria-pressed={sort === 'tta'} onClick={() => set({ sort: 'tta' })}>Slowest to acknowledge</button>
          <button type="button" aria-pressed={sort === 'ttr'} onClick={() => set({ sort: 'ttr' })}>Slowest to resolve</button>
        </div>
        <div className="segmented small" role="group" aria-label="Filter">
          <button type="button" aria-pressed={filter === 'all'} onClick={() => set({ filter: 'all' })}>All</button>
          <button type="button" aria-pressed={filter === 'unacknowledged'} onClick={() => set({ filter: 'unacknowledged' })}>Unacknowledged</button>
          <button type="button" aria-pressed={filter === 'false-alarm'} onClick={() => set({ filter: 'false-alarm' })}>False alarms</button>
        </div>
        <span className="muted small">{rows.length} of {m.alarms.raised} alarms{rows.length > MAX_ROWS ? `, the first ${MAX_ROWS} shown` : ''}</span>
      </div>
      {rows.length === 0 ? <p className="muted">No alarm in this period{filter !== 'all' ? ' matches' : ''}.</p> : (
        <table className="drill-table">
          <thead><tr><th>Onset</th><th>Kind</th><th>Door</th><th>TTA</th><th>TTR</th><th>Outcome</th><th><span className="sr-only">Replay</span></th></tr></thead>
          <tbody>
            {rows.slice(0, MAX_ROWS).map(({ a, tta, ttr }) => (
              <tr key={a.id} data-alarm={a.id} className="clickable" onClick={() => selectEntity(a.door)} title={`Select door ${a.door} and fly there`}>
                <td>{fmtTime(Date.parse(a.onset), true)}</td>
                <td>{a.kind}</td>
                <td><EntityLink ix={ix} id={a.door} /></td>
                <td data-tta={tta ?? ''}>{fmtSeconds(tta)}</td>
                <td>{fmtSeconds(ttr)}</td>
                <td>{a.outcome ?? (a.acknowledgedAt ? 'acknowledged' : 'open')}</td>
                <td>
                  <button type="button" className="data-link reconstruct" title="Replay the incident: timeline, events, cameras, export" onClick={(e) => { e.stopPropagation(); void openIncident(a.id); }}>replay</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CoverageView({ ix, m }: { ix: FacilityIndex; m: MetricsResponse | null }) {
  const engine = useTwin((s) => s.coverage?.report ?? null);
  const report = engine ?? m?.coverage ?? null;
  if (!report) return <p className="muted">Coverage not computed yet.</p>;
  const rows = Object.entries(report.zones)
    .filter(([, z]) => !z.meetsTarget)
    .map(([id, z]) => ({ id, z, critical: ix.zones.get(id)?.zone.critical === true }))
    .sort((a, b) => Number(b.critical) - Number(a.critical) || (a.z.requiredFraction ?? -1) - (b.z.requiredFraction ?? -1));
  return (
    <>
      <WhatIfBanner compact />
      <p className="muted small">{rows.length} of {Object.keys(report.zones).length} zones miss their target · source: {engine ? 'the coverage engine in this browser' : 'GET /api/metrics'}</p>
      <table className="drill-table">
        <thead><tr><th>Zone</th><th>Critical</th><th>Required</th><th>Target</th><th>Seen at it</th><th>Redundant</th><th>Area</th></tr></thead>
        <tbody>
          {rows.map(({ id, z, critical }) => (
            <tr key={id} data-zone={id} className="clickable" onClick={() => selectEntity(id)} title={`Select ${id} and fly there`}>
              <td><EntityLink ix={ix} id={id} /></td>
              <td>{critical ? 'yes' : ''}</td>
              <td>{z.requiredLevel}</td>
              <td>{fmtPercent(z.target, 0)}</td>
              <td data-required-fraction={z.requiredFraction ?? ''}>{fmtPercent(z.requiredFraction)}</td>
              <td>{fmtPercent(z.redundantFraction)}</td>
              <td>{fmtArea(z.areaM2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ComplianceView({ ix }: { ix: FacilityIndex }) {
  const result = useTwin((s) => s.coverage);
  if (!result) return <p className="muted">Coverage not computed yet.</p>;
  const flagged = new Set(result.nonCompliant.map((c) => c.id));
  const rows = [...result.cameras].sort((a, b) => Number(flagged.has(b.id)) - Number(flagged.has(a.id)) || b.exclusiveAreaM2 - a.exclusiveAreaM2);
  return (
    <>
      <p className="muted small">{flagged.size} camera{flagged.size === 1 ? '' : 's'} flagged <code>ndaaCompliant: false</code>; exclusive area is what no other camera sees at detection level (lost if it is replaced without a substitute).</p>
      <table className="drill-table">
        <thead><tr><th>Camera</th><th>NDAA §889</th><th>Sees (detection)</th><th>Only it sees</th></tr></thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-camera={c.id} className={flagged.has(c.id) ? 'clickable flagged' : 'clickable'} onClick={() => selectEntity(c.id)}>
              <td><EntityLink ix={ix} id={c.id} /></td>
              <td>{flagged.has(c.id) ? 'not compliant' : ix.cameras.get(c.id)?.camera.ndaaCompliant ? 'compliant' : 'not stated'}</td>
              <td>{fmtArea(c.areaM2)}</td>
              <td>{fmtArea(c.exclusiveAreaM2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function IncidentsView() {
  const stats = useTwin((s) => s.incidentStats);
  if (!stats) return <p className="muted">The server does not report reconstruction times.</p>;
  return (
    <dl className="facts">
      <div><dt>Reconstructions</dt><dd>{fmtNumber(stats.count)} since the server started ({fmtNumber(stats.window)} kept)</dd></div>
      <div><dt>p50 / p95</dt><dd>{fmtMillis(stats.p50Ms)} / {fmtMillis(stats.p95Ms)}</dd></div>
      <div><dt>Slowest</dt><dd>{fmtMillis(stats.maxMs)}</dd></div>
    </dl>
  );
}

const TITLES: Record<Drill['kind'], string> = {
  'zone-temp': 'Temperature', stability: 'Temperature stability by zone', alarms: 'Alarms and response times',
  coverage: 'Zones missing their coverage target', compliance: 'NDAA §889 compliance', incidents: 'Incident reconstruction times',
};

export function DrillPanel() {
  const drill = useTwin((s) => s.drill);
  const ix = useTwin((s) => s.index);
  const metrics = useTwin((s) => s.metrics);
  const openDrill = useTwin((s) => s.openDrill);
  const loadFigures = useTwin((s) => s.loadFigures);
  // A drill-down opened from the inspector, before the Figures tab fetched anything.
  useEffect(() => { if (drill && metrics.status === 'idle') loadFigures(); }, [drill, metrics.status, loadFigures]);
  if (!drill || !ix) return null;
  const m = metrics.data;
  const period = m ? fmtPeriod(Date.parse(m.from), Date.parse(m.to)) : '';
  const needsMetrics = drill.kind === 'stability' || drill.kind === 'alarms';
  let body: ReactNode;
  let sources: string[] = m ? [metricsQuery(Date.parse(m.from), Date.parse(m.to))] : [];
  let note: string | undefined;
  if (needsMetrics && !m) body = <p className="fig-loading" role="status"><span className="spinner" /> {metrics.status === 'error' ? metrics.error : 'Waiting for the figures…'}</p>;
  else switch (drill.kind) {
    case 'stability': body = <StabilityView ix={ix} m={m!} />; note = 'stability: metrics.md §1, zones with a temperature spec.'; break;
    case 'zone-temp': body = <ZoneTempView ix={ix} zoneId={drill.zoneId} m={m} />; sources = []; break;
    case 'alarms': body = <AlarmsView ix={ix} m={m!} sort={drill.sort} filter={drill.filter} />; note = 'alarms: metrics.md §3.'; break;
    case 'coverage': body = <CoverageView ix={ix} m={m} />; note = 'coverage: metrics.md §2; the engine runs in this browser on GET /api/facility with camera availability from GET /api/events?types=camera.offline,camera.online.'; break;
    case 'compliance': body = <ComplianceView ix={ix} />; sources = ['/api/facility']; note = 'computed by the coverage engine in this browser.'; break;
    case 'incidents': body = <IncidentsView />; sources = ['/api/incidents/stats']; break;
  }
  const title = drill.kind === 'zone-temp' ? `${TITLES[drill.kind]} of ${entityName(ix, drill.zoneId)}` : TITLES[drill.kind];
  return (
    <section className="drill" data-drill={drill.kind} aria-label={title}>
      <header className="drill-head">
        <h2>{title}</h2>
        {period && <span className="muted small">{period}</span>}
        <button type="button" className="close" onClick={() => openDrill(null)} aria-label="Close the drill-down" title="Close">×</button>
      </header>
      <div className="drill-body">
        {body}
        {sources.length > 0 && <DataSources queries={sources} {...(note ? { note } : {})} />}
      </div>
    </section>
  );
}
