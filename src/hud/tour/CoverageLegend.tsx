// The coverage stop's legend over the plan: the DORI colours of the
// coverage layer (shared with the scene), unseen floor and blind spots.
import { useTour } from '../../app/tour/tourStore.ts';
import { BLIND_SPOT, COVERAGE_NONE, COVERAGE_NONE_ALT, DORI_COLORS } from '../../scene/coveragePalette.ts';
import type { CoverageLevel } from '../../core/facility/schema.ts';

const LEVELS: readonly CoverageLevel[] = ['identification', 'recognition', 'observation', 'detection'];
const NAMES: Record<CoverageLevel, string> = { identification: 'Identification', recognition: 'Recognition', observation: 'Observation', detection: 'Detection' };

export function CoverageLegend() {
  const show = useTour((s) => s.stop?.kind === 'coverage' && s.seq?.phase.kind === 'stop');
  if (!show) return null;
  return (
    <div className="tour-legend" aria-label="Coverage legend">
      <p className="tl-title">Best camera level</p>
      <ul>
        {LEVELS.map((l) => <li key={l}><span className="tl-sw" style={{ background: DORI_COLORS[l] }} />{NAMES[l]}</li>)}
        <li><span className="tl-sw" style={{ background: `repeating-conic-gradient(${COVERAGE_NONE} 0 25%, ${COVERAGE_NONE_ALT} 0 50%) 0 0 / 0.5em 0.5em` }} />Not seen</li>
        <li><span className="tl-sw tl-outline" style={{ borderColor: BLIND_SPOT }} />Blind spot in a critical zone</li>
      </ul>
    </div>
  );
}
