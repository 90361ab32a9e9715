// The one place plan coordinates (x east, y north, z up; facility-format.md)
// become three's (x right, y up, z toward the viewer). Everything else in the
// scene calls these; nothing else swaps axes.
import type { Vector3 } from 'three';

/** Plan (x, y, z) → three, written into `out`. */
export function planToThree(x: number, y: number, z: number, out: Vector3): Vector3 {
  return out.set(x, z, -y);
}

/** Plan (x, y, z) → three, written into a flat array at `i` (no allocation). */
export function writePlanPoint(arr: Float32Array | number[], i: number, x: number, y: number, z: number): void {
  arr[i] = x;
  arr[i + 1] = z;
  arr[i + 2] = -y;
}

/** Three position → plan [x, y, z]. */
export function threeToPlan(v: { x: number; y: number; z: number }): [number, number, number] {
  return [v.x, -v.z, v.y];
}

/** Plan heading in degrees (0 = +x/east, 90 = +y/north, counter-clockwise) → rotation about three's y axis, radians. */
export function planYawToThree(yawDeg: number): number {
  // A plan rotation by +yaw about +z is a rotation by +yaw about three's +y (the map is a proper rotation).
  return (yawDeg * Math.PI) / 180;
}

/** The three position of a floor group drawn with its slab top at plan height `z`. */
export function planLift(z: number): [number, number, number] {
  return [0, z, 0];
}
