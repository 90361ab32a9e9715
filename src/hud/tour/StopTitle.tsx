// The stop's title, big, over the lower left of the scene: what kind of stop
// and where (kicker), the name, and a bar that fills over the dwell (a CSS
// animation of the phase's length: no timer). During an alarm it names
// the alarm instead.
import { useTour } from '../../app/tour/tourStore.ts';
import { useRenderCount } from '../../app/debug.ts';
import { ALARM_KIND_LABELS } from '../../state/alarms.ts';

/** Titles longer than this many characters are set smaller (two lines at most either way). */
const LONG_TITLE = 30;

export function StopTitle() {
  useRenderCount('StopTitle');
  const stop = useTour((s) => s.stop);
  const seq = useTour((s) => s.seq);
  const alarm = useTour((s) => s.alarm);
  if (!stop || !seq) return null;
  const p = seq.phase;
  const isAlarm = p.kind === 'alarm' && alarm !== null;
  const kicker = isAlarm ? 'Alarm · the tour resumes when it is acknowledged' : stop.kicker;
  const title = isAlarm ? `${ALARM_KIND_LABELS[alarm.alarm.kind]} · ${alarm.alarm.door}` : stop.title;
  return (
    <div className="tour-title" data-kind={isAlarm ? 'alarm' : stop.kind} data-stop={stop.key}>
      <p className="tt-kicker">{kicker}</p>
      <h1 className="tt-title" data-title {...(title.length > LONG_TITLE ? { 'data-long': '' } : {})}>{title}</h1>
      <div className="tt-dwell" aria-hidden="true">
        <span key={seq.step} style={{ animationDuration: `${Math.max(0, p.until - p.since)}ms` }} />
      </div>
    </div>
  );
}
