// A promised metric as a bullet bar: the track over its range, a bar to the
// measured figure, a thin tick at the baseline, a heavy tick at the 90-day
// target; the status is also written out (colour is never the only cue).
import type { TargetProgress } from './roiModel.ts';
import { fmtMinutes, fmtPercent, fmtSeconds } from './format.ts';

const W = 220, H = 18;
const STATUS_LABEL = { met: 'target met', improving: 'improving', worse: 'not better than baseline', unknown: 'no target or no figure' } as const;
const STATUS_COLOR = { met: '#009e73', improving: '#56b4e9', worse: '#d55e00', unknown: '#8b97a6' } as const;

/** A target metric's value as it reads. */
export function fmtTargetValue(unit: TargetProgress['metric']['unit'], v: number | null): string {
  return unit === 'fraction' ? fmtPercent(v) : unit === 's' ? fmtSeconds(v) : v === null ? '—' : `${fmtMinutes(v)}/yr`;
}

export function BulletBar({ p }: { p: TargetProgress }) {
  const b = p.bullet, u = p.metric.unit;
  const x = (t: number | null) => (t === null ? null : 2 + t * (W - 4));
  const mx = x(b.measuredAt), bx = x(b.baselineAt), tx = x(b.targetAt);
  return (
    <div className="bullet-row" data-target={p.metric.key} data-status={b.status} data-progress={b.progress ?? ''}>
      <div className="bullet-label">{p.metric.label}</div>
      <svg className="bullet" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img"
        aria-label={`${p.metric.label}: baseline ${fmtTargetValue(u, p.baseline)}, target ${fmtTargetValue(u, p.target)}, measured ${fmtTargetValue(u, p.measured)}, ${STATUS_LABEL[b.status]}`}>
        <rect className="track" x={0} y={4} width={W} height={H - 8} rx={2} />
        {mx !== null && <rect className="bar" x={2} y={6} width={Math.max(1, mx - 2)} height={H - 12} fill={STATUS_COLOR[b.status]} />}
        {bx !== null && <line className="baseline-tick" x1={bx} x2={bx} y1={2} y2={H - 2} />}
        {tx !== null && <line className="target-tick" x1={tx} x2={tx} y1={0} y2={H} />}
      </svg>
      <div className="bullet-values">
        <span>baseline <b>{fmtTargetValue(u, p.baseline)}</b></span>
        <span>90-day target <b>{fmtTargetValue(u, p.target)}</b></span>
        <span>measured <b data-measured={p.measured ?? ''}>{fmtTargetValue(u, p.measured)}</b></span>
        <span className={`status status-${b.status}`}>{STATUS_LABEL[b.status]}{b.progress !== null ? ` · ${fmtPercent(b.progress, 0)} of the promise` : ''}</span>
      </div>
    </div>
  );
}
