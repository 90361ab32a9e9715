// The incident view (issue 6): opened from an alarm's "Reconstruct" (or the
// timeline's alarm markers, or `?incident=`). Shows the alarm, its
// lifecycle (raised / acknowledged / resolved, with who), the cameras that
// see the door, the badges, and the window's events kept in step with the
// cursor (click one to move the cursor there); exports the signed bundle and
// prints a report (print stylesheet in timeline.css).
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { useRenderCount } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { ALARM_KIND_LABELS } from '../state/alarms.ts';
import { closeIncident, setCursor, useTimeline } from '../state/timeline.ts';
import { currentEventIndex } from '../state/timelineMath.ts';
import { downloadBundle, type IncidentJson } from '../net/history.ts';
import { formatUtc } from './Timeline.tsx';
import { trailColor } from '../scene/palette.ts';
import type { IncidentEvent } from '../core/bundle.ts';

/** What an event is about: door, badge, camera, sensor, alarm — in a few words. */
function eventWhat(e: IncidentEvent): string {
  const parts: string[] = [];
  for (const k of ['door', 'badge', 'camera', 'sensor', 'by', 'outcome'] as const) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${k === 'by' ? 'by ' : ''}${String(v)}`);
  }
  return parts.join(' · ');
}

function Lifecycle({ inc }: { inc: IncidentJson }) {
  const l = inc.lifecycle;
  return (
    <ol className="inc-lifecycle" data-status={l.status}>
      <li data-step="raised">Raised {formatUtc(Date.parse(l.raised))}</li>
      <li data-step="acknowledged">{l.acknowledgedAt ? `Acknowledged ${formatUtc(Date.parse(l.acknowledgedAt))} by ${l.acknowledgedBy ?? '?'}${l.ttaS !== null ? ` (${Math.round(l.ttaS)} s)` : ''}` : 'Not acknowledged'}</li>
      <li data-step="resolved">{l.resolvedAt ? `Resolved ${formatUtc(Date.parse(l.resolvedAt))} by ${l.resolvedBy ?? '?'}: ${l.outcome ?? ''}${l.note ? ` — “${l.note}”` : ''}` : 'Not resolved'}</li>
    </ol>
  );
}

function EventList({ inc }: { inc: IncidentJson }) {
  const times = useMemo(() => Float64Array.from(inc.events, (e) => Date.parse(e.ts)), [inc]);
  const current = useTimeline((s) => (s.mode === 'replay' ? currentEventIndex(times, s.cursor) : -1));
  const onset = Date.parse(inc.alarm.onset);
  return (
    <ol className="inc-events" aria-label="Events in the window">
      {inc.events.map((e, i) => (
        <li key={i} className={`${i === current ? 'current' : ''}${times[i] === onset ? ' onset' : ''}`} data-ts={times[i]} aria-current={i === current ? 'true' : undefined}>
          <button type="button" className="link" onClick={() => setCursor(times[i]!)}>
            <span className="ev-time">{new Date(times[i]!).toISOString().slice(11, 19)}</span>
            <span className="ev-type">{e.type}</span>
            <span className="ev-what">{eventWhat(e)}</span>
          </button>
        </li>
      ))}
      {inc.events.length === 0 && <li className="muted">No events in the window.</li>}
    </ol>
  );
}

/** The printable report (rendered into <body>, shown only when printing). */
function Report({ inc, at }: { inc: IncidentJson; at: number }) {
  return createPortal(
    <article className="incident-report">
      <h1>Incident report — {ALARM_KIND_LABELS[inc.alarm.kind]} at {inc.alarm.door.id} {inc.alarm.door.name}</h1>
      <p>Alarm <code>{inc.alarm.id}</code>; onset {formatUtc(Date.parse(inc.alarm.onset))}; window {formatUtc(Date.parse(inc.alarm.window.from))} – {formatUtc(Date.parse(inc.alarm.window.to))}{inc.alarm.window.isComplete ? '' : ' (incomplete)'}.</p>
      <h2>Lifecycle</h2><Lifecycle inc={inc} />
      <h2>Cameras that see the door</h2>
      <table><thead><tr><th>Camera</th><th>Level</th><th>px/m</th><th>Online at onset</th></tr></thead>
        <tbody>{inc.cameras.map((c) => <tr key={c.id}><td>{c.id} {c.name}</td><td>{c.level}</td><td>{c.pixelDensity.toFixed(0)}</td><td>{c.onlineAtOnset ? 'yes' : 'no'}</td></tr>)}</tbody></table>
      <h2>Badges</h2>
      <table><thead><tr><th>Badge</th><th>Trail</th></tr></thead>
        <tbody>{inc.badges.map((b) => <tr key={b.badge}><td>{b.badge}</td><td>{b.trail.map((s) => `${s.ts.slice(11, 19)} ${s.door}${s.type === 'access.denied' ? ' (denied)' : ''}`).join(' → ')}</td></tr>)}</tbody></table>
      <h2>Events ({inc.events.length})</h2>
      <table><thead><tr><th>Time (UTC)</th><th>Type</th><th>About</th></tr></thead>
        <tbody>{inc.events.map((e, i) => <tr key={i}><td>{e.ts.slice(0, 19).replace('T', ' ')}</td><td>{e.type}</td><td>{eventWhat(e)}</td></tr>)}</tbody></table>
      <p className="generated">Generated {formatUtc(at)} by Twinspace; reconstruction took {inc.buildMs.toFixed(0)} ms.</p>
    </article>,
    document.body,
  );
}

export function IncidentPanel() {
  useRenderCount('IncidentPanel');
  const { id, inc, at } = useTimeline(useShallow((s) => ({ id: s.incidentId, inc: s.incident, at: s.incidentAt })));
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  if (id === null) return null;
  return (
    <section className="incident-panel" aria-label="Incident" data-alarm={id} data-loaded={inc ? 'true' : 'false'}>
      <header className="inc-head">
        <h2>{inc ? `${ALARM_KIND_LABELS[inc.alarm.kind]} — ${inc.alarm.door.id}` : 'Reconstructing…'}</h2>
        <button type="button" className="inc-close" aria-label="Close the incident" onClick={closeIncident}>×</button>
      </header>
      {inc && (
        <>
          <p className="inc-sub">
            <button type="button" className="link" onClick={() => selectEntity(inc.alarm.door.id)}>{inc.alarm.door.name || inc.alarm.door.id}</button>{' '}
            <span className="muted">{inc.alarm.door.zones.join(' ↔ ')}</span><br />
            Onset <button type="button" className="link inc-onset" onClick={() => setCursor(Date.parse(inc.alarm.onset))}>{formatUtc(Date.parse(inc.alarm.onset))}</button>
          </p>
          <Lifecycle inc={inc} />
          <div className="inc-actions">
            <button type="button" className="inc-bundle" disabled={busy} onClick={() => {
              setBusy(true); setNote(null);
              downloadBundle(inc.alarm.id).then((name) => setNote(`Saved ${name}`), (e: unknown) => setNote((e as Error).message)).finally(() => setBusy(false));
            }}>{busy ? 'Exporting…' : 'Download bundle'}</button>
            <button type="button" className="inc-print" onClick={() => window.print()}>Print report</button>
            {note && <span className="muted">{note}</span>}
          </div>
          <h3>Cameras ({inc.cameras.length})</h3>
          <ul className="inc-cameras">
            {inc.cameras.map((c) => (
              <li key={c.id} data-camera={c.id}>
                <button type="button" className="link" onClick={() => selectEntity(c.id)}>{c.id}</button> {c.level}{c.onlineAtOnset ? '' : ' · offline at onset'}
              </li>
            ))}
            {inc.cameras.length === 0 && <li className="muted">No camera sees the door at recognition or better.</li>}
          </ul>
          {inc.badges.length > 0 && (
            <>
              <h3>Badges ({inc.badges.length})</h3>
              <ul className="inc-badges">{inc.badges.map((b, i) => (
                <li key={b.badge} data-badge={b.badge}>
                  <span className="trail-swatch" style={{ background: trailColor(i) }} aria-hidden="true" />
                  {b.badge}: {b.trail.length > 0 ? b.trail.map((s) => `${s.door}${s.type === 'access.denied' ? ' ✕' : ''}`).join(' → ') : b.doors.join(' → ')}
                </li>
              ))}</ul>
            </>
          )}
          <h3>Events ({inc.events.length})</h3>
          <EventList inc={inc} />
          <Report inc={inc} at={at} />
        </>
      )}
    </section>
  );
}
