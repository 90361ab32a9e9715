// What colour an entity is drawn in, for browser tests and the debug handle
// (`__twinspace.color(id)`): scene components that colour entities register
// a probe while mounted. Reads what was last written for drawing; never used
// by the app itself.
import { useEffect } from 'react';
import { Color } from 'three';

/** The `#rrggbb` an entity is drawn in, or null when this probe does not draw it. */
export type ColorProbe = (id: string) => string | null;

const probes = new Set<ColorProbe>();
const _c = new Color();

/** Registers `probe` while the component is mounted (`probe` should be stable). */
export function useColorProbe(probe: ColorProbe): void {
  useEffect(() => {
    probes.add(probe);
    return () => { probes.delete(probe); };
  }, [probe]);
}

/** The drawn colour of an entity, or null when nothing draws it. */
export function probeColor(id: string): string | null {
  for (const p of probes) {
    const c = p(id);
    if (c !== null) return c;
  }
  return null;
}

/** `#rrggbb` (sRGB) of a colour given in three's linear working space. */
export function linearToHex(r: number, g: number, b: number): string {
  return `#${_c.setRGB(r, g, b).getHexString()}`;
}
