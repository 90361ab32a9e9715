// The bullet-bar math of the ROI panel (src/hud/figures/bullet.ts): where the
// ticks and the bar go, and how much of the promise is kept.
import { describe, expect, it } from 'vitest';
import { bulletBar } from '../../src/hud/figures/bullet.ts';

describe('bullet bars', () => {
  it('lower is better: half-way from baseline to target', () => {
    const b = bulletBar({ baseline: 240, target: 120, measured: 180, better: 'lower' });
    // Domain 0 … 1.1 × 240 = 264.
    expect(b.domain).toEqual([0, 264]);
    expect(b.baselineAt).toBeCloseTo(240 / 264, 12);
    expect(b.targetAt).toBeCloseTo(120 / 264, 12);
    expect(b.measuredAt).toBeCloseTo(180 / 264, 12);
    expect(b.progress).toBeCloseTo(0.5, 12);
    expect(b.status).toBe('improving');
  });
  it('higher is better, fixed [0, 1] domain; the target reached or beaten is met', () => {
    const b = bulletBar({ baseline: 0.72, target: 0.9, measured: 0.957, better: 'higher', domain: [0, 1] });
    expect(b.domain).toEqual([0, 1]);
    expect(b.measuredAt).toBeCloseTo(0.957, 12);
    expect(b.progress).toBeCloseTo((0.72 - 0.957) / (0.72 - 0.9), 12);
    expect(b.status).toBe('met');
    expect(bulletBar({ baseline: 0.72, target: 0.9, measured: 0.9, better: 'higher' }).status).toBe('met');
  });
  it('worse than the baseline: negative progress', () => {
    const b = bulletBar({ baseline: 60000, target: 20000, measured: 70000, better: 'lower' });
    expect(b.progress).toBeCloseTo(-0.25, 12);
    expect(b.status).toBe('worse');
    expect(b.measuredAt).toBeCloseTo(70000 / 77000, 12);
  });
  it('missing figures: no progress, unknown, no positions for them', () => {
    const b = bulletBar({ baseline: 240, target: null, measured: 50, better: 'lower' });
    expect(b).toMatchObject({ targetAt: null, progress: null, status: 'unknown' });
    expect(bulletBar({ baseline: null, target: null, measured: null, better: 'lower' })).toEqual({ domain: [0, 1], baselineAt: null, targetAt: null, measuredAt: null, progress: null, status: 'unknown' });
    // A target equal to the baseline has no progress to measure, only met or not.
    expect(bulletBar({ baseline: 10, target: 10, measured: 12, better: 'lower' })).toMatchObject({ progress: null, status: 'worse' });
  });
  it('positions stay on the track', () => {
    const b = bulletBar({ baseline: 0.5, target: 0.9, measured: 1.2, better: 'higher', domain: [0, 1] });
    expect(b.measuredAt).toBe(1);
  });
});
