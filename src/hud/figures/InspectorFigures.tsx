// The figures in the inspector: which cameras see a zone and how much of it
// (the coverage engine's truth once the worker has answered; the cheap
// estimate only until then), the zone's coverage and stability with a link to
// its temperature chart, the zones a camera covers, and the admin's what-if
// controls for a camera.
import { useEffect, useState, type ReactNode } from 'react';
import { selectEntity } from '../../app/commands.ts';
import { entityName } from '../../app/searchIndex.ts';
import type { FacilityIndex } from '../../core/facility/model.ts';
import type { Camera, Zone } from '../../core/facility/schema.ts';
import { useTwin } from '../../state/store.ts';
import { selectRoiAccess } from '../../state/metrics.ts';
import { WhatIfBanner } from './CoverageSection.tsx';
import { fmtMinutes, fmtPercent } from './format.ts';
import { cameraFieldValue, editCamera, type CameraField } from './whatIf.ts';
import './figures.css';

function Section({ title, count, note, children, attrs }: { title: string; count?: number; note?: string; children: ReactNode; attrs?: Record<string, string> }) {
  return (
    <section className="section" {...attrs}>
      <h3>{title}{count !== undefined && <span className="count">{count}</span>}</h3>
      {note && <p className="note">{note}</p>}
      {children}
    </section>
  );
}

function ShareList({ ix, rows, empty }: { ix: FacilityIndex; rows: readonly { id: string; share: number | null }[]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="rels">
      {rows.map((r) => (
        <li key={r.id} className="rel" data-share={r.share ?? ''}>
          <button type="button" className="link" data-rel={r.id} onClick={() => selectEntity(r.id)} title={`${r.id} · ${entityName(ix, r.id)}`}>
            <span className="rel-id">{r.id}</span>
            <span className="rel-name">{entityName(ix, r.id)}</span>
          </button>
          {r.share !== null && <span className="share"><span className="share-bar" style={{ width: `${Math.round(r.share * 100)}%` }} />{fmtPercent(r.share, 0)}</span>}
        </li>
      ))}
    </ul>
  );
}

/** "Cameras that see it": the engine's cameras with their share of the zone, else the estimate. */
export function ZoneCameras({ ix, zoneId, estimate }: { ix: FacilityIndex; zoneId: string; estimate: readonly string[] }) {
  const truth = useTwin((s) => s.coverage?.zoneCameras[zoneId] ?? null);
  const isWhatIf = useTwin((s) => Object.keys(s.whatIfCameras).length > 0);
  if (!truth) {
    return (
      <Section title="Cameras that see it" count={estimate.length} note="Estimate until the coverage engine answers: a sample point in the camera's view to 25 px/m, walls not taken into account." attrs={{ 'data-source': 'estimate' }}>
        <ShareList ix={ix} rows={estimate.map((id) => ({ id, share: null }))} empty="No camera sees this zone." />
      </Section>
    );
  }
  return (
    <Section title="Cameras that see it" count={truth.length} note={`Coverage engine${isWhatIf ? ' (what-if)' : ''}: cameras seeing ≥ 1 cell at detection level, walls included; share of the zone each sees.`} attrs={{ 'data-source': 'engine' }}>
      <ShareList ix={ix} rows={truth.map((c) => ({ id: c.cameraId, share: c.share }))} empty="No camera sees this zone." />
    </Section>
  );
}

/** "Zones it covers": the engine's zones with the share of each the camera sees, else the estimate. */
export function CameraZones({ ix, cameraId, estimate }: { ix: FacilityIndex; cameraId: string; estimate: readonly string[] }) {
  const truth = useTwin((s) => s.coverage?.cameraZones[cameraId] ?? null);
  const area = useTwin((s) => s.coverage?.cameras.find((c) => c.id === cameraId) ?? null);
  if (!truth) {
    return (
      <Section title="Zones it covers" count={estimate.length} note="Estimate until the coverage engine answers: frustum to detection range, no occlusion." attrs={{ 'data-source': 'estimate' }}>
        <ShareList ix={ix} rows={estimate.map((id) => ({ id, share: null }))} empty="Sees no zone." />
      </Section>
    );
  }
  return (
    <Section title="Zones it covers" count={truth.length} note={`Coverage engine: share of each zone it sees at detection level${area ? `; ${area.areaM2.toFixed(1)} m² in all, ${area.exclusiveAreaM2.toFixed(1)} m² that no other camera sees` : ''}.`} attrs={{ 'data-source': 'engine' }}>
      <ShareList ix={ix} rows={truth.map((z) => ({ id: z.zoneId, share: z.share }))} empty="Sees no zone." />
    </Section>
  );
}

/** A zone's coverage (engine) and temperature stability (API, the chosen period), with its chart. */
export function ZoneFigures({ zone }: { zone: Zone }) {
  const cov = useTwin((s) => s.coverage?.report.zones[zone.id] ?? null);
  const isWhatIf = useTwin((s) => Object.keys(s.whatIfCameras).length > 0);
  const st = useTwin((s) => s.metrics.data?.stability.zones[zone.id] ?? null);
  const openDrill = useTwin((s) => s.openDrill);
  return (
    <Section title="Figures" attrs={{ 'data-zone-figures': zone.id }}>
      <dl className="facts">
        {cov && (
          <div>
            <dt>Coverage{isWhatIf ? ' (what-if)' : ''}</dt>
            <dd data-zone-coverage={cov.requiredFraction ?? ''}>
              {fmtPercent(cov.requiredFraction)} at {cov.requiredLevel} · target {fmtPercent(cov.target, 0)} {cov.meetsTarget ? '✓' : '✗ missed'}
            </dd>
          </div>
        )}
        {cov && <div><dt>Redundant · reliable</dt><dd>{fmtPercent(cov.redundantFraction)} · {fmtPercent(cov.reliability)}</dd></div>}
        {/* NOTE: only once the Figures tab (or a chart) has fetched the period's figures: the inspector itself asks the server nothing. */}
        {zone.temperature && st && (
          <div>
            <dt>In spec</dt>
            <dd data-zone-in-spec={st.inSpecFraction ?? ''}>{fmtPercent(st.inSpecFraction, 2)} · {st.excursionCount} excursions, {fmtMinutes(st.excursionMinutes)}</dd>
          </div>
        )}
      </dl>
      {zone.temperature && <button type="button" className="data-link" data-open-chart={zone.id} onClick={() => openDrill({ kind: 'zone-temp', zoneId: zone.id })}>Temperature chart</button>}
    </Section>
  );
}

const FIELDS: { f: CameraField; label: string; step: number; unit: string }[] = [
  { f: 'x', label: 'x', step: 0.1, unit: 'm' }, { f: 'y', label: 'y', step: 0.1, unit: 'm' },
  { f: 'yaw', label: 'Heading', step: 1, unit: '°' }, { f: 'tilt', label: 'Tilt', step: 1, unit: '°' },
  { f: 'hfov', label: 'Horizontal FOV', step: 1, unit: '°' }, { f: 'width', label: 'Width', step: 1, unit: 'px' },
];

function Field({ camera, field, label, step, unit }: { camera: Camera; field: CameraField; label: string; step: number; unit: string }) {
  const update = useTwin((s) => s.updateWhatIfCamera);
  const current = cameraFieldValue(camera, field);
  const [text, setText] = useState(String(current));
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState(current);
  // Follow the camera when it changes elsewhere (a drag, a reset).
  if (shown !== current) { setShown(current); setText(String(Math.round(current * 100) / 100)); setProblem(null); }
  return (
    <label className={problem ? 'field invalid' : 'field'}>
      <span className="field-label">{label}</span>
      <input type="number" step={step} name={`what-if-${field}`} data-what-if-field={field} value={text} onChange={(e) => {
        setText(e.target.value);
        const next = editCamera(camera, field, e.target.value);
        if ('problem' in next) { setProblem(next.problem); return; }
        setProblem(null);
        setShown(cameraFieldValue(next, field));
        update(next);
      }} />
      <span className="field-unit">{unit}</span>
      {problem && <span className="field-error">{problem}</span>}
    </label>
  );
}

/** Admins try camera moves and re-aims; the figures follow, nothing is saved. */
export function WhatIfControls({ camera }: { camera: Camera }) {
  const access = useTwin(selectRoiAccess);
  const checkAccess = useTwin((s) => s.checkAccess);
  const whatIf = useTwin((s) => s.whatIf);
  const setWhatIf = useTwin((s) => s.setWhatIf);
  const edited = useTwin((s) => s.whatIfCameras[camera.id]);
  const ready = useTwin((s) => s.coverage !== null);
  useEffect(() => { checkAccess(); }, [checkAccess]);
  if (access !== 'edit') return null;
  const cam = edited ?? camera;
  return (
    <Section title="What-if" attrs={{ 'data-what-if': whatIf ? 'on' : 'off' }}>
      <label className="check"><input type="checkbox" data-what-if-toggle checked={whatIf} disabled={!ready} onChange={(e) => setWhatIf(e.target.checked)} /> Try moving or re-aiming this camera</label>
      {whatIf && (
        <>
          <p className="note">Drag the yellow ring on the floor to move it, or change its optics below. The coverage layer and figures follow; nothing is saved.</p>
          <div className="what-if-fields">{FIELDS.map((x) => <Field key={x.f} camera={cam} field={x.f} label={x.label} step={x.step} unit={x.unit} />)}</div>
        </>
      )}
      <WhatIfBanner />
    </Section>
  );
}
