// HVAC zones: every served zone in the colour of the unit serving it,
// merged per floor; a hit picks the unit.
import { useCallback, useRef } from 'react';
import type { Intersection, Mesh } from 'three';
import type { FloorGeometries } from './geometry/floorGeometry.ts';
import { materials } from './materials.ts';
import { usePickable } from './picking.ts';

export function HvacLayer({ geo, visible }: { geo: FloorGeometries; visible: boolean }) {
  const ref = useRef<Mesh>(null);
  const resolve = useCallback((hit: Intersection) => (hit.faceIndex == null ? null : geo.unitOfTriangle[hit.faceIndex] ?? null), [geo]);
  usePickable(ref, 'hvac', resolve);
  return <mesh ref={ref} geometry={geo.hvac} material={materials.hvac} visible={visible} />;
}
