// Translucent zone volumes (kind colour), merged per floor. Not pickable:
// the floor polygon under them is.
import type { BufferGeometry } from 'three';
import { materials } from './materials.ts';

export function ZoneVolumes({ geometry, visible }: { geometry: BufferGeometry; visible: boolean }) {
  return <mesh geometry={geometry} material={materials.volumes} visible={visible} renderOrder={2} />;
}
