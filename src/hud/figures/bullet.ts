// Progress toward a promised figure, drawn as a bullet bar: a track over the
// figure's range, a bar to the measured value, a tick at the baseline
// (before the twin) and a heavier tick at the target promised within 90 days.

/** Which way a figure improves. */
export type Better = 'lower' | 'higher';

/** Where a metric started, what was promised and what is measured (any may be missing). */
export interface BulletInput {
  baseline: number | null;
  target: number | null;
  measured: number | null;
  better: Better;
  /** Fixed range of the figure (e.g. [0, 1] for fractions); default from 0 to 110 % of the largest value. */
  domain?: [number, number] | undefined;
}

/** `met`: measured reaches the target; `improving`: part of the way; `worse`: no better than the baseline. */
export type BulletStatus = 'met' | 'improving' | 'worse' | 'unknown';

/** The bar's geometry (positions in [0, 1] along the track) and how far the promise is kept. */
export interface Bullet {
  domain: [number, number];
  baselineAt: number | null;
  targetAt: number | null;
  measuredAt: number | null;
  /** Share of the promised improvement achieved, (baseline − measured) ÷ (baseline − target); null when not defined. */
  progress: number | null;
  status: BulletStatus;
}

const has = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Lays out a bullet bar and judges the progress. */
export function bulletBar(i: BulletInput): Bullet {
  const vals = [i.baseline, i.target, i.measured].filter(has);
  let lo: number, hi: number;
  if (i.domain) [lo, hi] = i.domain;
  else {
    lo = Math.min(0, ...vals);
    const top = vals.length ? Math.max(...vals) : lo;
    hi = top > lo ? lo + (top - lo) * 1.1 : lo + 1;
  }
  const at = (v: number | null) => (has(v) ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : null);
  let progress: number | null = null;
  let status: BulletStatus = 'unknown';
  if (has(i.measured) && has(i.target)) {
    const meets = i.better === 'lower' ? i.measured <= i.target : i.measured >= i.target;
    if (has(i.baseline) && i.baseline !== i.target) progress = (i.baseline - i.measured) / (i.baseline - i.target);
    if (meets) status = 'met';
    else if (progress !== null && progress > 0) status = 'improving';
    else status = 'worse';
  }
  return { domain: [lo, hi], baselineAt: at(i.baseline), targetAt: at(i.target), measuredAt: at(i.measured), progress, status };
}
