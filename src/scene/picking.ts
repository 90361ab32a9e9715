// Picking without R3F's event system: objects register with the layer they
// belong to and how to turn a ray hit into an entity id; a pick tests only
// objects that are drawn (every ancestor visible) on an active layer.
import { useEffect, type RefObject } from 'react';
import { Raycaster, Vector2, type Camera, type Intersection, type Object3D } from 'three';
import type { LayerId, Layers } from '../state/store.ts';

/** Something that can be picked. */
export interface Pickable {
  object: Object3D;
  layer: LayerId;
  /** The entity a hit names, or null when the hit names nothing. */
  resolve: (hit: Intersection) => string | null;
}

const pickables = new Set<Pickable>();

/** Registers `ref`'s object as pickable while mounted. `resolve` should be stable (module-level or memoised). */
export function usePickable(ref: RefObject<Object3D | null>, layer: LayerId, resolve: (hit: Intersection) => string | null): void {
  useEffect(() => {
    const object = ref.current;
    if (!object) return;
    const p: Pickable = { object, layer, resolve };
    pickables.add(p);
    return () => { pickables.delete(p); };
  }, [ref, layer, resolve]);
}

function drawn(o: Object3D | null): boolean {
  for (let x = o; x; x = x.parent) if (!x.visible) return false;
  return true;
}

const _raycaster = new Raycaster();
const _ndc = new Vector2();
const _hits: Intersection[] = [];

/** The entity under normalised device coordinates (x, y in [-1, 1]), or null. */
export function pickAt(ndcX: number, ndcY: number, camera: Camera, layers: Layers): string | null {
  _ndc.set(ndcX, ndcY);
  _raycaster.setFromCamera(_ndc, camera);
  _raycaster.params.Line = { threshold: 0.2 };
  let best: string | null = null, bestD = Infinity;
  for (const p of pickables) {
    if (!layers[p.layer] || !drawn(p.object)) continue;
    _hits.length = 0;
    p.object.raycast(_raycaster, _hits);
    for (const h of _hits) {
      if (h.distance >= bestD) continue;
      const id = p.resolve(h);
      if (id) { best = id; bestD = h.distance; }
    }
  }
  _hits.length = 0;
  return best;
}
