// The zone temperature overlay's colours: a diverging, colour-blind-safe
// scale (Paul Tol's BuRd: blue below setpoint, near-white at it, orange to
// red above) over the deviation from setpoint in tolerances, saturating at
// 2× the tolerance; grey for a zone whose readings went stale. Pure hex and
// numbers, shared by the scene, the legend and the browser tests.
import { SLAB, mixHex } from './palette.ts';

/** Paul Tol's BuRd, coldest to hottest; stop k sits at a deviation of (k − 4) / 2 tolerances. */
export const TEMP_SCALE_STOPS = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'] as const;

/** The scale saturates at this many tolerances from setpoint. */
export const TEMP_SCALE_SATURATION = 2;

/** Share of the scale colour in a zone floor (the rest is slab), so labels stay readable. */
export const ZONE_TEMP_MIX = 0.85;

/** A temperature zone with no reading that still holds (15 min). */
export const STALE_ZONE_HEX = '#5c6470';

/** Steps of the drawn scale (the scene uses a lookup table of this size). */
export const TEMP_SCALE_STEPS = 201;

/** Lookup-table step of a deviation of `ratio` tolerances (clamped to ±saturation). */
export function tempScaleIndex(ratio: number): number {
  const r = Math.max(-TEMP_SCALE_SATURATION, Math.min(TEMP_SCALE_SATURATION, ratio));
  return Math.round(((r + TEMP_SCALE_SATURATION) / (2 * TEMP_SCALE_SATURATION)) * (TEMP_SCALE_STEPS - 1));
}

/** The scale colour (unmixed) at a deviation of `ratio` tolerances. */
export function tempScaleHex(ratio: number): string {
  const r = Math.max(-TEMP_SCALE_SATURATION, Math.min(TEMP_SCALE_SATURATION, ratio));
  const x = ((r + TEMP_SCALE_SATURATION) / (2 * TEMP_SCALE_SATURATION)) * (TEMP_SCALE_STOPS.length - 1);
  const k = Math.min(TEMP_SCALE_STOPS.length - 2, Math.floor(x));
  return mixHex(TEMP_SCALE_STOPS[k]!, TEMP_SCALE_STOPS[k + 1]!, x - k);
}

/** The floor fill drawn for lookup-table step `i` (see `tempScaleIndex`). */
export function zoneTempStepHex(i: number): string {
  const ratio = (i / (TEMP_SCALE_STEPS - 1)) * 2 * TEMP_SCALE_SATURATION - TEMP_SCALE_SATURATION;
  return mixHex(SLAB, tempScaleHex(ratio), ZONE_TEMP_MIX);
}

/** The floor fill drawn for a zone at `valueC` with spec setpoint ± tolerance (NaN value: stale). */
export function zoneTempHex(valueC: number, setpoint: number, tolerance: number): string {
  if (!Number.isFinite(valueC)) return STALE_ZONE_HEX;
  return zoneTempStepHex(tempScaleIndex((valueC - setpoint) / tolerance));
}
