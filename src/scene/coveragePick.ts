// The coverage planes that a click can land on, registered by CoverageLayer
// while mounted (the entity picker names entities; a coverage click names a
// point on a floor, so it has its own registry).
import type { Mesh } from 'three';

/** A floor's coverage plane. */
export interface CoveragePlane { floorId: string; mesh: Mesh }

/** The mounted planes. */
export const coveragePlanes = new Set<CoveragePlane>();
