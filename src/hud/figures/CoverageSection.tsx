// The coverage engine in the Figures tab: progress, the what-if state (with
// its reset), the engine's critical coverage, the zones that miss their
// target, and the NDAA §889 compliance report (cameras flagged not compliant
// and the area only each of them covers).
import { selectEntity } from '../../app/commands.ts';
import { useTwin } from '../../state/store.ts';
import { CoverageProgress, CoverageViewToggle } from './CoverageLegend.tsx';
import { fmtArea, fmtDuration, fmtPercent } from './format.ts';

/** "what-if: unsaved" with the edited cameras and a reset, whenever there are edits. */
export function WhatIfBanner({ compact = false }: { compact?: boolean }) {
  const edits = useTwin((s) => s.whatIfCameras);
  const reset = useTwin((s) => s.resetWhatIf);
  const ids = Object.keys(edits);
  if (ids.length === 0) return null;
  return (
    <div className="what-if-banner" role="status" data-what-if-cameras={ids.join(',')}>
      <strong>what-if: unsaved</strong>
      {!compact && <span>{ids.length === 1 ? `camera ${ids[0]} moved or re-aimed` : `${ids.length} cameras changed`}; figures show the trial, the model is unchanged.</span>}
      <button type="button" onClick={reset}>Reset</button>
    </div>
  );
}

export function CoverageSection() {
  const result = useTwin((s) => s.coverage);
  const avail = useTwin((s) => s.coverageAvailability);
  const layerOn = useTwin((s) => s.layers.coverage);
  const setLayer = useTwin((s) => s.setLayer);
  const openDrill = useTwin((s) => s.openDrill);
  const report = result?.report ?? null;
  const misses = report ? Object.values(report.zones).filter((z) => !z.meetsTarget).length : null;
  const partial = avail ? Object.keys(avail.partial).length : 0;
  return (
    <section className="fig-section coverage-section">
      <h3>Camera coverage</h3>
      <label className="check"><input type="checkbox" data-layer="coverage" checked={layerOn} onChange={(e) => setLayer('coverage', e.target.checked)} /> Show on the floors</label>
      <CoverageViewToggle />
      <CoverageProgress />
      <WhatIfBanner />
      {report && (
        <dl className="facts">
          <div><dt>Critical coverage</dt><dd data-engine-figure="criticalRequiredFraction">{fmtPercent(report.criticalRequiredFraction)}</dd></div>
          <div>
            <dt>Zones missing target</dt>
            <dd><button type="button" className="link inline" data-drill="coverage" onClick={() => openDrill({ kind: 'coverage' })}>{misses} of {Object.keys(report.zones).length}</button></dd>
          </div>
          {avail && <div><dt>Availability</dt><dd>last {fmtDuration(avail.to - avail.from)}: {partial === 0 ? 'every camera up' : `${partial} camera${partial > 1 ? 's' : ''} below 100 %`}</dd></div>}
        </dl>
      )}
      {avail?.note && <p className="note">{avail.note}</p>}
      {result && (
        <div className="compliance" data-noncompliant={result.nonCompliant.length}>
          <h4>NDAA §889: cameras not compliant <button type="button" className="data-link" onClick={() => openDrill({ kind: 'compliance' })}>data</button></h4>
          {result.nonCompliant.length === 0 ? <p className="muted small">None flagged.</p> : (
            <ul className="rels">
              {result.nonCompliant.map((c) => (
                <li key={c.id} className="rel">
                  <button type="button" className="link" data-rel={c.id} onClick={() => selectEntity(c.id)}>
                    <span className="rel-id">{c.id}</span>
                    <span className="rel-name">only it covers {fmtArea(c.exclusiveAreaM2)} of {fmtArea(c.areaM2)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
