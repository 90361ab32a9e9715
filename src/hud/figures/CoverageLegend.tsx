// The coverage layer's legend (in the Layers list): the worker's progress,
// DORI or redundancy colouring, the colours, and the blind-spot outline.
import { COVERAGE_LEVELS } from '../../core/facility/schema.ts';
import { useTwin } from '../../state/store.ts';
import { BLIND_SPOT, COVERAGE_NONE, COVERAGE_NONE_ALT, DORI_COLORS, DORI_LABELS, REDUNDANCY_COLORS } from '../../scene/coveragePalette.ts';

/** The unseen checkerboard, as a swatch. */
const NONE_SWATCH = `repeating-conic-gradient(${COVERAGE_NONE} 0 25%, ${COVERAGE_NONE_ALT} 0 50%) 0 0 / 50% 50%`;
import './figures.css';

function Swatch({ color, label, outline = false }: { color: string; label: string; outline?: boolean }) {
  const style = outline ? { borderColor: color, background: `repeating-linear-gradient(135deg, ${color} 0 1px, transparent 1px 4px)` } : { background: color };
  return <li title={label} data-swatch={label}><span className={outline ? 'swatch outline' : 'swatch'} style={style} />{label}</li>;
}

/** The worker's progress while it computes (the page stays usable), or why it failed. */
export function CoverageProgress() {
  const status = useTwin((s) => s.coverageStatus);
  const progress = useTwin((s) => s.coverageProgress);
  const error = useTwin((s) => s.coverageError);
  const ms = useTwin((s) => s.coverage?.computeMs ?? null);
  if (status === 'error') return <p className="fig-error" role="alert" data-coverage-status="error">Coverage failed: {error}</p>;
  if (status === 'events' || status === 'running') {
    const pct = Math.round(progress * 100);
    return (
      <div className="coverage-progress" data-coverage-status={status}>
        <span>{status === 'events' ? 'Reading camera events…' : `Computing coverage… ${pct} %`}</span>
        <progress max={100} value={status === 'events' ? 0 : pct} aria-label="Coverage computed" />
      </div>
    );
  }
  if (status === 'ready') return <p className="muted small" data-coverage-status="ready">Exact coverage (metrics §2){ms !== null ? `, computed in ${Math.round(ms)} ms` : ''}.</p>;
  return null;
}

/** DORI level or redundancy colouring. */
export function CoverageViewToggle() {
  const view = useTwin((s) => s.coverageView);
  const setView = useTwin((s) => s.setCoverageView);
  return (
    <div className="segmented small" role="group" aria-label="Coverage colouring">
      <button type="button" data-coverage-view="dori" aria-pressed={view === 'dori'} onClick={() => setView('dori')}>DORI level</button>
      <button type="button" data-coverage-view="redundancy" aria-pressed={view === 'redundancy'} onClick={() => setView('redundancy')}>Redundancy</button>
    </div>
  );
}

export function CoverageLegend() {
  const view = useTwin((s) => s.coverageView);
  return (
    <div className="coverage-legend">
      <CoverageProgress />
      <CoverageViewToggle />
      <ul className="legend">
        {view === 'dori' ? (
          <>
            <Swatch color={NONE_SWATCH} label="None" />
            {COVERAGE_LEVELS.map((l) => <Swatch key={l} color={DORI_COLORS[l]} label={DORI_LABELS[l].replace(/ \(.*\)$/, '')} />)}
          </>
        ) : (
          <>
            <Swatch color={NONE_SWATCH} label="Below required" />
            <Swatch color={REDUNDANCY_COLORS.single} label="1 camera" />
            <Swatch color={REDUNDANCY_COLORS.redundant} label="2 or more" />
          </>
        )}
        <Swatch color={BLIND_SPOT} label="Blind spot (critical)" outline />
      </ul>
    </div>
  );
}
