// Camera coverage on one floor: the worker's grid as a DataTexture on a
// plane just above the slab, one texel per cell, coloured by the best DORI
// level (or by redundancy), with the blind spots of critical zones hatched
// and outlined.
// The texture is rewritten in place when the worker answers (what-if edits).
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useThree } from '@react-three/fiber';
import {
  BufferAttribute, BufferGeometry, DataTexture, LineBasicMaterial, MeshBasicMaterial, NearestFilter, PlaneGeometry, RGBAFormat, SRGBColorSpace, Vector3,
  type Mesh,
} from 'three';
import type { Floor } from '../core/facility/schema.ts';
import { useTwin } from '../state/store.ts';
import { planToThree, writePlanPoint } from './coords.ts';
import { BLIND_SPOT } from './coveragePalette.ts';
import { coveragePlanes } from './coveragePick.ts';
import { COVERAGE_LIFT_M, blindSpotMask, fillCoverageTexels, maskOutline } from './coverageTexture.ts';

/** Height of the blind-spot outline above the slab top, m. */
const OUTLINE_LIFT_M = 0.08;

const _v = new Vector3();
/** Shared by every floor: made once for the page's lifetime. */
const outlineMaterial = new LineBasicMaterial({ color: BLIND_SPOT, depthTest: false, transparent: true });

export function CoverageLayer({ floor, visible }: { floor: Floor; visible: boolean }) {
  const grid = useTwin((s) => s.coverage?.grids.find((g) => g.floorId === floor.id) ?? null);
  const coloring = useTwin((s) => s.coverageView);
  const invalidate = useThree((s) => s.invalidate);
  const meshRef = useRef<Mesh>(null);
  const nx = grid?.nx ?? 0, ny = grid?.ny ?? 0, side = grid?.grid ?? 0, x0 = grid?.x0 ?? 0, y0 = grid?.y0 ?? 0;

  // Texture, plane and material follow the grid's frame; the texels follow every answer.
  const drawn = useMemo(() => {
    if (nx === 0 || ny === 0) return null;
    const texture = new DataTexture(new Uint8Array(nx * ny * 4), nx, ny, RGBAFormat);
    texture.magFilter = NearestFilter;
    texture.minFilter = NearestFilter;
    texture.generateMipmaps = false;
    texture.colorSpace = SRGBColorSpace;
    const plane = new PlaneGeometry(nx * side, ny * side).rotateX(-Math.PI / 2);
    const material = new MeshBasicMaterial({
      map: texture, alphaTest: 0.5, toneMapped: false, polygonOffset: true, polygonOffsetFactor: -2, polygonOffsetUnits: -2,
    });
    return { texture, plane, material };
  }, [nx, ny, side]);
  useEffect(() => () => { drawn?.texture.dispose(); drawn?.plane.dispose(); drawn?.material.dispose(); }, [drawn]);

  const blind = useMemo(() => (grid ? blindSpotMask(grid, floor.zones) : null), [grid, floor.zones]);

  useLayoutEffect(() => {
    if (!grid || !drawn || !blind) return;
    fillCoverageTexels(drawn.texture.image.data as Uint8Array, grid, coloring, blind);
    drawn.texture.needsUpdate = true;
    invalidate();
  }, [grid, coloring, drawn, blind, invalidate]);

  const outline = useMemo(() => {
    if (!grid || !blind) return null;
    const segs = maskOutline(grid, blind);
    const pos = new Float32Array((segs.length / 2) * 3);
    for (let k = 0; k < segs.length / 2; k++) writePlanPoint(pos, 3 * k, segs[2 * k]!, segs[2 * k + 1]!, OUTLINE_LIFT_M);
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(pos, 3));
    return g;
  }, [grid, blind]);
  useEffect(() => () => outline?.dispose(), [outline]);

  useEffect(() => {
    const mesh = meshRef.current;
    if (!mesh) return;
    const entry = { floorId: floor.id, mesh };
    coveragePlanes.add(entry);
    return () => { coveragePlanes.delete(entry); };
  }, [floor.id, drawn]);

  useEffect(() => { invalidate(); }, [visible, invalidate]);

  if (!drawn) return null;
  const centre = planToThree(x0 + (nx * side) / 2, y0 + (ny * side) / 2, COVERAGE_LIFT_M, _v);
  return (
    <group visible={visible} name={`coverage:${floor.id}`}>
      <mesh ref={meshRef} geometry={drawn.plane} material={drawn.material} position={[centre.x, centre.y, centre.z]} renderOrder={1} />
      {outline && <lineSegments geometry={outline} material={outlineMaterial} renderOrder={3} />}
    </group>
  );
}
