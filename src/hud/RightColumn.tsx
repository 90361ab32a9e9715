// The right column: the alarm queue and the inspector as two tabs. Selecting
// something shows the inspector; clearing the selection goes back to the
// alarms. A new alarm never takes the tab: its count pulses instead.
import { useEffect } from 'react';
import { useTwin } from '../state/store.ts';
import { useRenderCount } from '../app/debug.ts';
import { AlarmQueue } from './AlarmQueue.tsx';
import { Inspector } from './Inspector.tsx';
import './live.css';

export function RightColumn() {
  useRenderCount('RightColumn');
  const tab = useTwin((s) => s.rightTab);
  const setTab = useTwin((s) => s.setRightTab);
  const count = useTwin((s) => s.alarmList.length);
  const unacked = useTwin((s) => s.alarmList.reduce((n, a) => n + (a.acknowledgedAt === null ? 1 : 0), 0));
  const pulse = useTwin((s) => s.alarmPulse);
  const selected = useTwin((s) => s.selected);

  useEffect(() => {
    // A selection from the URL came before this column: show it.
    if (useTwin.getState().selected !== null) useTwin.getState().setRightTab('inspector');
  }, []);
  useEffect(() => useTwin.subscribe((s, prev) => {
    if (s.selected === prev.selected) return;
    if (s.selected !== null) s.setRightTab('inspector');
    else if (s.rightTab === 'inspector') s.setRightTab('alarms');
  }), []);

  return (
    <aside className="right-column" aria-label="Alarms and inspector">
      <div className="tabs" role="tablist">
        <button
          type="button" role="tab" id="tab-alarms" aria-selected={tab === 'alarms'} aria-controls="tabpanel-right"
          className={unacked > 0 ? 'attention' : undefined} data-tab="alarms" onClick={() => setTab('alarms')}
        >
          Alarms <span key={pulse} className={`tab-count${pulse > 0 ? ' pulse' : ''}`} data-count={count}>{count}</span>
        </button>
        <button type="button" role="tab" id="tab-inspector" aria-selected={tab === 'inspector'} aria-controls="tabpanel-right" data-tab="inspector" onClick={() => setTab('inspector')}>
          Inspector
        </button>
      </div>
      <div className="tab-body" id="tabpanel-right" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'alarms'
          ? <AlarmQueue />
          : selected
            ? <Inspector />
            : <p className="placeholder muted">Select a zone, door, camera or sensor (click it, or press <kbd>/</kbd> to find it) to inspect it here.</p>}
      </div>
    </aside>
  );
}
