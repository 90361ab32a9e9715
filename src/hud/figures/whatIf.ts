// Edits a what-if camera takes from the inspector, pure: each checks its
// value and keeps the rest of the camera consistent (a wider lens on the same
// sensor widens both angles; a new width keeps the aspect ratio).
import type { Camera } from '../../core/facility/schema.ts';

/** What can be edited. */
export type CameraField = 'x' | 'y' | 'yaw' | 'tilt' | 'hfov' | 'width';

const DEG = Math.PI / 180;

/** The current value of a field. */
export function cameraFieldValue(c: Camera, f: CameraField): number {
  switch (f) {
    case 'x': return c.position[0];
    case 'y': return c.position[1];
    case 'yaw': return c.yaw;
    case 'tilt': return c.tilt;
    case 'hfov': return c.hfov;
    case 'width': return c.resolution[0];
  }
}

/** The camera with one field changed, or why the value cannot be taken. */
export function editCamera(c: Camera, f: CameraField, raw: string): Camera | { problem: string } {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return { problem: 'a number' };
  switch (f) {
    case 'x': return { ...c, position: [v, c.position[1]] };
    case 'y': return { ...c, position: [c.position[0], v] };
    case 'yaw': return { ...c, yaw: v };
    case 'tilt':
      if (v < -90 || v > 90) return { problem: '−90 to 90°' };
      return { ...c, tilt: v };
    case 'hfov': {
      if (!(v > 0 && v < 180)) return { problem: 'between 0 and 180°' };
      // Same sensor, other lens: tan(vfov/2) scales with tan(hfov/2).
      const vfov = (2 * Math.atan((Math.tan((c.vfov * DEG) / 2) * Math.tan((v * DEG) / 2)) / Math.tan((c.hfov * DEG) / 2))) / DEG;
      return { ...c, hfov: v, vfov };
    }
    case 'width': {
      if (!(Number.isInteger(v) && v >= 16 && v <= 16384)) return { problem: 'whole pixels, 16–16384' };
      return { ...c, resolution: [v, Math.max(1, Math.round((c.resolution[1] * v) / c.resolution[0]))] };
    }
  }
}
