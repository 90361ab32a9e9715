// The alarm that preempted the tour, large: its kind, the door and the
// zones it joins, the onset and its age ticking, whether anyone has
// acknowledged it, and when the tour resumes. Ages and the countdown are
// written once a second through the DOM (the queue's own `useLiveAges`),
// not by renders. Nothing here can be clicked: operators act at their consoles.
import { useEffect, useRef } from 'react';
import { useTwin } from '../../state/store.ts';
import { ALARM_KIND_LABELS, isSimulatedActor } from '../../state/alarms.ts';
import { useTour } from '../../app/tour/tourStore.ts';
import { useRenderCount } from '../../app/debug.ts';
import { doorWords, useLiveAges } from '../AlarmQueue.tsx';
import { fmtTime } from '../figures/format.ts';
import { formatClock, subscribeSecond } from '../ticker.ts';

/** Other open alarms listed under the card, at most. */
const MAX_OTHERS = 4;

/** "1:45" for a countdown, ms. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function AlarmCard() {
  useRenderCount('AlarmCard');
  const shown = useTour((s) => s.alarm);
  const queued = useTour((s) => s.seq?.queue.length ?? 0);
  const ix = useTwin((s) => s.index);
  const alarmList = useTwin((s) => s.alarmList);
  const root = useRef<HTMLDivElement>(null);
  const resume = useRef<HTMLSpanElement>(null);
  useLiveAges(root);
  useEffect(() => subscribeSecond(() => {
    const el = resume.current, a = useTour.getState().alarm;
    if (!el || !a) return;
    const t = a.state === 'open' ? `The tour resumes when it is acknowledged, or in ${countdown(a.until - Date.now())}` : `The tour resumes in ${countdown(a.until - Date.now())}`;
    if (el.textContent !== t) el.textContent = t;
  }), []);
  if (!shown) return null;
  const { alarm, state } = shown;
  const words = doorWords(ix, alarm.door);
  const zoneNames = (ix?.doors.get(alarm.door)?.door.zones ?? []).map((z) => (z === 'outside' ? 'Outside' : ix?.zones.get(z)?.zone.name ?? z));
  const by = alarm.acknowledgedBy;
  // The other open alarms, unacknowledged and most severe first (the queue's order).
  const others = alarmList.filter((o) => o.id !== alarm.id);
  return (
    <div className="tour-alarm" ref={root} role="alert" data-alarm={alarm.id} data-state={state} data-kind={alarm.kind}>
      <p className="ta-kicker">Alarm</p>
      <h2 className="ta-kind">{ALARM_KIND_LABELS[alarm.kind]}</h2>
      <dl className="ta-facts">
        <div><dt>Door</dt><dd><span className="ta-id">{alarm.door}</span> {words.name !== alarm.door ? words.name : ''}</dd></div>
        {zoneNames.length > 0 && <div><dt>Between</dt><dd>{zoneNames.join(' ↔ ')}</dd></div>}
        <div><dt>Onset</dt><dd>{fmtTime(alarm.onset)} · <span className="ta-age" data-onset={alarm.onset} /></dd></div>
        <div>
          <dt>State</dt>
          <dd className="ta-state">
            {state === 'open' && 'UNACKNOWLEDGED'}
            {state === 'acknowledged' && <>Acknowledged {alarm.acknowledgedAt !== null ? formatClock(alarm.acknowledgedAt) : ''}{by ? ` by ${isSimulatedActor(by) ? `${by.slice(4)} (simulated)` : by}` : ''}</>}
            {state === 'resolved' && 'Resolved'}
          </dd>
        </div>
      </dl>
      <p className="ta-resume"><span ref={resume} />{queued > 0 ? ` · ${queued} more alarm${queued === 1 ? '' : 's'} waiting` : ''}</p>
      {others.length > 0 && (
        <div className="ta-others">
          <h3>Also open</h3>
          <ul>
            {others.slice(0, MAX_OTHERS).map((o) => (
              <li key={o.id} data-state={o.acknowledgedAt === null ? 'open' : 'acknowledged'}>
                <span className="ta-o-kind">{ALARM_KIND_LABELS[o.kind]}</span>
                <span className="ta-o-door">{o.door}</span>
                <span className="ta-o-age" data-onset={o.onset} />
              </li>
            ))}
          </ul>
          {others.length > MAX_OTHERS && <p className="ta-o-more">and {others.length - MAX_OTHERS} more</p>}
        </div>
      )}
    </div>
  );
}
