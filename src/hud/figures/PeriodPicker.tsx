// The period every figure is computed over: the last 24 h, 7 d or 30 d
// (ending now, moved forward while the panel is open; in replay, ending at
// the timeline's cursor), or custom ends.
import { useState, type FormEvent } from 'react';
import { useTwin } from '../../state/store.ts';
import { useTimeline } from '../../state/timeline.ts';
import { periodProblem, type PeriodPreset } from '../../state/metrics.ts';
import { fmtPeriod, fromLocalInput, toLocalInput } from './format.ts';

const LABELS: Record<PeriodPreset, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', custom: 'Custom' };

export function PeriodPicker() {
  const period = useTwin((s) => s.figuresPeriod);
  const setPeriod = useTwin((s) => s.setFiguresPeriod);
  const loadFigures = useTwin((s) => s.loadFigures);
  const replaying = useTimeline((s) => s.mode === 'replay');
  const [editing, setEditing] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const problem = editing ? periodProblem(fromLocalInput(from), fromLocalInput(to)) : null;

  const choose = (p: PeriodPreset) => {
    if (p === 'custom') {
      setFrom(toLocalInput(period.from));
      setTo(toLocalInput(period.to));
      setEditing(true);
      return;
    }
    setEditing(false);
    setPeriod(p);
  };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const a = fromLocalInput(from), b = fromLocalInput(to);
    if (a === null || b === null || periodProblem(a, b)) return;
    setEditing(false);
    setPeriod('custom', { from: a, to: b });
  };

  return (
    <div className="period">
      <div className="segmented" role="group" aria-label="Period">
        {(Object.keys(LABELS) as PeriodPreset[]).map((p) => (
          <button key={p} type="button" data-period={p} aria-pressed={editing ? p === 'custom' : period.preset === p} onClick={() => choose(p)}>{LABELS[p]}</button>
        ))}
      </div>
      {editing && (
        <form className="custom-period" onSubmit={apply}>
          <label>From <input type="datetime-local" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label>To <input type="datetime-local" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          <div className="row">
            <button type="submit" disabled={problem !== null}>Apply</button>
            <button type="button" onClick={() => setEditing(false)}>Cancel</button>
            {problem && <span className="field-error" role="alert">{problem}</span>}
          </div>
        </form>
      )}
      <p className="period-text" data-from={period.from} data-to={period.to}>
        <span>{fmtPeriod(period.from, period.to)}</span>
        {replaying && period.preset !== 'custom' && <span className="period-replay" title="In replay, the rolling periods end at the moment the scene shows">at the cursor</span>}
        <button type="button" className="icon" onClick={() => loadFigures(true)} title="Fetch the figures again" aria-label="Refresh the figures">↻</button>
      </p>
    </div>
  );
}
