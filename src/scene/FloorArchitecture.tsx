// The never-moving shell of a floor: slab, walls and obstacles (merged), and
// their edges. A cut-away floor shows only its edges, faintly.
import type { FloorGeometries } from './geometry/floorGeometry.ts';
import { materials } from './materials.ts';

export function FloorArchitecture({ geo, ghost, showWalls }: { geo: FloorGeometries; ghost: boolean; showWalls: boolean }) {
  return (
    <group>
      <mesh geometry={geo.slab} material={materials.base} visible={!ghost} />
      <mesh geometry={geo.walls} material={materials.walls} visible={!ghost && showWalls} />
      <lineSegments geometry={geo.wallEdges} material={ghost ? materials.ghostEdges : materials.edges} visible={ghost || showWalls} />
    </group>
  );
}
