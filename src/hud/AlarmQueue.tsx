// The alarm queue: open alarms, unacknowledged first, then most severe, then
// newest. Each row says the kind, the door and the zones it joins, its live
// age and its state; operators acknowledge and resolve (with outcome and an
// optional note) through the socket's acknowledgements; a viewer sees the
// buttons disabled and why. Ages tick through refs, not renders.
import { memo, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { roleAtLeast, type Role } from '../core/protocol.ts';
import type { FacilityIndex } from '../core/facility/model.ts';
import type { AlarmOutcome } from '../core/records.ts';
import { useTwin } from '../state/store.ts';
import { serverNow } from '../state/live.ts';
import { ALARM_KIND_LABELS, isSimulatedActor, type ClientAlarm } from '../state/alarms.ts';
import { useRenderCount } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { acknowledgeAlarm, resolveAlarm } from '../net/socket.ts';
import { openIncident } from '../state/timeline.ts';
import { formatAge, formatClock, subscribeSecond } from './ticker.ts';

/** Writes "4 s" / "3 min" ages into every `[data-onset]` under `root`, once a second. */
export function useLiveAges(root: RefObject<HTMLElement | null>): void {
  useEffect(() => subscribeSecond(() => {
    const now = serverNow();
    root.current?.querySelectorAll<HTMLElement>('[data-onset]').forEach((el) => {
      const t = `${formatAge(now - Number(el.dataset['onset']))} ago`;
      if (el.textContent !== t) el.textContent = t;
    });
  }), [root]);
}

/** "D-115 Gowning Airlock A Entry" and "AL-101 ↔ COR-101" for an alarm's door. */
export function doorWords(ix: FacilityIndex | null, doorId: string): { name: string; zones: string; zoneTitle: string } {
  const d = ix?.doors.get(doorId)?.door;
  if (!d || !ix) return { name: doorId, zones: '', zoneTitle: '' };
  const zoneName = (z: string) => (z === 'outside' ? 'outside' : ix.zones.get(z)?.zone.name ?? z);
  return { name: d.name || doorId, zones: d.zones.join(' ↔ '), zoneTitle: d.zones.map(zoneName).join(' ↔ ') };
}

/** Why this session may not act on alarms, or null when it may. */
function whyNot(role: Role | null, connected: boolean): string | null {
  if (role === null) return 'Waiting for the live connection';
  if (!roleAtLeast(role, 'operator')) return `Needs the operator role; this session is a ${role}`;
  if (!connected) return 'Not connected to the server';
  return null;
}

function Actor({ by }: { by: string | null }) {
  if (by === null) return null;
  if (isSimulatedActor(by)) return <> by <span className="actor">{by.slice(4)}</span> <span className="sim-tag" title={`${by}: a simulated operator`}>simulated</span></>;
  return <> by <span className="actor">{by}</span></>;
}

const AlarmRow = memo(function AlarmRow({ alarm, ix, blocked }: { alarm: ClientAlarm; ix: FacilityIndex | null; blocked: string | null }) {
  const [busy, setBusy] = useState<'ack' | 'resolve' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(false);
  const [outcome, setOutcome] = useState<AlarmOutcome>('genuine');
  const [note, setNote] = useState('');
  const words = doorWords(ix, alarm.door);
  const acked = alarm.acknowledgedAt !== null;

  const ack = async () => {
    setBusy('ack'); setError(null);
    const r = await acknowledgeAlarm(alarm.id);
    setBusy(null);
    if (!r.ok) setError(r.error);
  };
  const resolve = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('resolve'); setError(null);
    const r = await resolveAlarm(alarm.id, outcome, note.trim() || undefined);
    setBusy(null);
    if (!r.ok) setError(r.error);
    else setResolving(false);
  };

  return (
    <li className={`alarm-row kind-${alarm.kind}`} data-alarm={alarm.id} data-kind={alarm.kind} data-state={acked ? 'acknowledged' : 'unacknowledged'}>
      <div className="alarm-line">
        <span className="alarm-kind">{ALARM_KIND_LABELS[alarm.kind]}</span>
        <span className="alarm-age" data-onset={alarm.onset} title={`Onset ${new Date(alarm.onset).toLocaleString()}`} />
      </div>
      <div className="alarm-door">
        <button type="button" className="link" onClick={() => selectEntity(alarm.door)} title={`Select ${alarm.door} and fly to it`}>
          <span className="rel-id">{alarm.door}</span><span className="rel-name">{words.name}</span>
        </button>
        {words.zones && <span className="alarm-zones" title={words.zoneTitle}>{words.zones}</span>}
      </div>
      <div className="alarm-state">
        {acked
          ? <span className="acked">Acknowledged {formatClock(alarm.acknowledgedAt!)}<Actor by={alarm.acknowledgedBy} /></span>
          : <span className="unacked">Unacknowledged</span>}
      </div>
      <div className="alarm-actions">
        <span title={blocked ?? (acked ? 'Already acknowledged' : 'Acknowledge: you are on it')}>
          <button type="button" className="ack" disabled={blocked !== null || acked || busy !== null} onClick={() => { void ack(); }}>
            {busy === 'ack' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        </span>
        <span title={blocked ?? 'Resolve with an outcome and a note'}>
          <button type="button" className="resolve" disabled={blocked !== null || busy !== null} aria-expanded={resolving} onClick={() => setResolving((r) => !r)}>
            Resolve…
          </button>
        </span>
        <button type="button" className="fly" onClick={() => selectEntity(alarm.door)} title="Fly to the door and select it">Fly to</button>
        <button type="button" className="reconstruct" onClick={() => { void openIncident(alarm.id); }} title="Replay the incident: timeline, events, cameras, export">Reconstruct</button>
      </div>
      {resolving && blocked === null && (
        <form className="resolve-form" onSubmit={(e) => { void resolve(e); }}>
          <fieldset>
            <legend>Outcome</legend>
            <label><input type="radio" name={`outcome-${alarm.id}`} value="genuine" checked={outcome === 'genuine'} onChange={() => setOutcome('genuine')} /> Genuine</label>
            <label><input type="radio" name={`outcome-${alarm.id}`} value="false-alarm" checked={outcome === 'false-alarm'} onChange={() => setOutcome('false-alarm')} /> False alarm</label>
          </fieldset>
          <textarea className="note-input" placeholder="Note (optional)" maxLength={2000} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy !== null}>{busy === 'resolve' ? 'Resolving…' : 'Resolve'}</button>
            <button type="button" onClick={() => setResolving(false)}>Cancel</button>
          </div>
        </form>
      )}
      {error && <p className="alarm-error" role="alert">{error}</p>}
    </li>
  );
});

export function AlarmQueue() {
  useRenderCount('AlarmQueue');
  const alarms = useTwin((s) => s.alarmList);
  const role = useTwin((s) => s.role);
  const status = useTwin((s) => s.link.status);
  const ix = useTwin((s) => s.index);
  const root = useRef<HTMLElement>(null);
  useLiveAges(root);
  const blocked = whyNot(role, status === 'live');
  const unacked = alarms.filter((a) => a.acknowledgedAt === null).length;

  return (
    <section className="alarm-queue" ref={root} aria-label="Alarm queue">
      <p className="queue-summary">
        {alarms.length === 0 ? 'No open alarms.' : `${alarms.length} open · ${unacked} unacknowledged`}
      </p>
      {status !== 'live' && <p className="queue-note">Not live: this list may be out of date.</p>}
      {role !== null && blocked !== null && status === 'live' && <p className="queue-note muted">Read only: {blocked.toLowerCase()}.</p>}
      <ol className="alarm-list">
        {alarms.map((a) => <AlarmRow key={a.id} alarm={a} ix={ix} blocked={blocked} />)}
      </ol>
    </section>
  );
}
