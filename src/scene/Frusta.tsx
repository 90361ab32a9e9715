// Camera view frusta out to detection range (25 px/m), clipped to the
// storey and the floor's bounds, as edges merged per floor. NOTE: not filled:
// dozens of overlapping translucent faces cost SwiftShader more than the
// rest of the scene; the selected camera's footprint is filled by Highlight.
import type { FloorGeometries } from './geometry/floorGeometry.ts';
import { materials } from './materials.ts';

export function Frusta({ geo, visible }: { geo: FloorGeometries; visible: boolean }) {
  return <lineSegments geometry={geo.frustumEdges} material={materials.frustumEdges} visible={visible} />;
}
