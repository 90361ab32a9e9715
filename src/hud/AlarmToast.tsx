// New alarms announced at the top centre of the stage: kind, door, zones and
// age, with "Fly to" (one click flies to the door and selects it). A toast
// goes when dismissed, after TOAST_MS, or when its alarm is resolved; it
// never takes the right column's tab.
import { memo, useEffect, useRef } from 'react';
import { useTwin } from '../state/store.ts';
import { ALARM_KIND_LABELS, type ClientAlarm } from '../state/alarms.ts';
import { useRenderCount } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { doorWords, useLiveAges } from './AlarmQueue.tsx';

/** A toast stays this long unless dismissed, ms. */
export const TOAST_MS = 20_000;

const Toast = memo(function Toast({ alarm }: { alarm: ClientAlarm }) {
  const ix = useTwin((s) => s.index);
  const dismiss = useTwin((s) => s.dismissToast);
  const words = doorWords(ix, alarm.door);
  useEffect(() => {
    const t = setTimeout(() => dismiss(alarm.id), TOAST_MS);
    return () => clearTimeout(t);
  }, [alarm.id, dismiss]);
  return (
    <div className={`toast kind-${alarm.kind}`} role="alert" data-alarm={alarm.id}>
      <div className="toast-text">
        <strong className="alarm-kind">{ALARM_KIND_LABELS[alarm.kind]}</strong>
        <span className="toast-door"><span className="rel-id">{alarm.door}</span> {words.name}</span>
        {words.zones && <span className="alarm-zones" title={words.zoneTitle}>{words.zones}</span>}
        <span className="alarm-age" data-onset={alarm.onset} />
      </div>
      <button type="button" className="primary fly" onClick={() => { selectEntity(alarm.door); dismiss(alarm.id); }}>Fly to</button>
      <button type="button" className="close" onClick={() => dismiss(alarm.id)} aria-label="Dismiss" title="Dismiss">×</button>
    </div>
  );
});

export function AlarmToasts() {
  useRenderCount('AlarmToasts');
  const ids = useTwin((s) => s.toasts);
  const alarms = useTwin((s) => s.alarms);
  const root = useRef<HTMLDivElement>(null);
  useLiveAges(root);
  const shown = ids.map((id) => alarms[id]).filter((a): a is ClientAlarm => a !== undefined);
  return (
    <div className="toasts" ref={root} aria-live="assertive">
      {shown.map((a) => <Toast key={a.id} alarm={a} />)}
    </div>
  );
}
