// The cameras that see a clicked point of the coverage layer, best pixel
// density first, with their DORI level (camerasSeeingPoint, what-if edits
// included); each selects its camera and flies there.
import { selectEntity } from '../../app/commands.ts';
import { useTwin } from '../../state/store.ts';
import { DORI_COLORS, DORI_LABELS, COVERAGE_NONE } from '../../scene/coveragePalette.ts';
import { fmtNumber } from './format.ts';

export function CoveragePopover() {
  const p = useTwin((s) => s.coveragePopover);
  const close = useTwin((s) => s.setCoveragePopover);
  const edits = useTwin((s) => s.whatIfCameras);
  if (!p) return null;
  const stage = document.querySelector('.stage')?.getBoundingClientRect();
  const left = p.clientX - (stage?.left ?? 0) + 12, top = p.clientY - (stage?.top ?? 0) + 12;
  return (
    <div className="coverage-popover" style={{ left, top }} role="dialog" aria-label="Cameras that see this point" data-point={`${p.floorId}:${p.x.toFixed(2)},${p.y.toFixed(2)}`}>
      <header>
        <strong>{p.sights.length === 0 ? 'No camera sees this point' : `${p.sights.length} camera${p.sights.length === 1 ? '' : 's'} see this point`}</strong>
        <button type="button" className="close" onClick={() => close(null)} aria-label="Close">×</button>
      </header>
      <p className="muted small">{p.floorId} · x {p.x.toFixed(2)} m, y {p.y.toFixed(2)} m · at target height</p>
      {p.sights.length > 0 && (
        <ol className="sights">
          {p.sights.map((s) => (
            <li key={s.cameraId} data-camera={s.cameraId} data-level={s.level ?? 'none'}>
              <button type="button" className="link" onClick={() => selectEntity(s.cameraId)}>
                <span className="swatch" style={{ background: s.level ? DORI_COLORS[s.level] : COVERAGE_NONE }} />
                <span className="rel-id">{s.cameraId}{edits[s.cameraId] ? ' (what-if)' : ''}</span>
                <span className="rel-name">{fmtNumber(s.pixelDensity, 0)} px/m · {s.level ? DORI_LABELS[s.level].replace(/ \(.*\)$/, '') : 'below detection'}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
