// The coverage layer's pixels and blind-spot outline from a CoverageGrid,
// pure (no three): one RGBA texel per cell (row j = plan y index, so the
// texture maps onto the floor without flipping), transparent off the floor
// and in obstacles.
import type { Zone } from '../core/facility/schema.ts';
import { CELL_FLOOR, CELL_OBSTACLE, type CoverageGrid } from '../core/metrics/coverage.ts';
import { COVERAGE_LEVELS } from '../core/facility/schema.ts';
import { BLIND_SPOT, COVERAGE_NONE, COVERAGE_NONE_ALT, LEVEL_COLORS, REDUNDANCY_COLORS } from './coveragePalette.ts';

/** Height of the coverage plane above the slab top, m (above zone floors and the HVAC overlay). */
export const COVERAGE_LIFT_M = 0.05;

/** How cells are coloured: best DORI level, or how many cameras see them at the required level. */
export type CoverageColoring = 'dori' | 'redundancy';

const rgb = (hex: string): [number, number, number] => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const LEVEL_RGB = LEVEL_COLORS.map(rgb);
const REDUNDANCY_RGB = [rgb(COVERAGE_NONE), rgb(REDUNDANCY_COLORS.single), rgb(REDUNDANCY_COLORS.redundant)];
const NONE_ALT_RGB = rgb(COVERAGE_NONE_ALT);
const BLIND_RGB = rgb(BLIND_SPOT);

/** True when the cell is drawn: on the floor and not in an obstacle. */
export function isDrawnCell(grid: CoverageGrid, c: number): boolean {
  const f = grid.flags[c]!;
  return (f & CELL_FLOOR) !== 0 && (f & CELL_OBSTACLE) === 0;
}

/** Blind-spot cells on every `BLIND_HATCH_EVERY`-th diagonal are drawn in the blind-spot colour (a hatch). */
export const BLIND_HATCH_EVERY = 4;

/**
 * Writes the texels of a grid into `out` (length 4·nx·ny, RGBA): unseen
 * cells alternate in a checkerboard; cells of `blind` (blindSpotMask) are
 * hatched with diagonal stripes of the blind-spot colour.
 */
export function fillCoverageTexels(out: Uint8Array, grid: CoverageGrid, coloring: CoverageColoring, blind?: Uint8Array): void {
  const n = grid.nx * grid.ny;
  for (let c = 0; c < n; c++) {
    const o = 4 * c;
    if (!isDrawnCell(grid, c)) { out[o] = 0; out[o + 1] = 0; out[o + 2] = 0; out[o + 3] = 0; continue; }
    const k = coloring === 'dori' ? grid.best[c]! : Math.min(2, grid.requiredCount[c]!);
    const i = c % grid.nx, j = Math.floor(c / grid.nx);
    const col = blind && blind[c] && (i + j) % BLIND_HATCH_EVERY === 0 ? BLIND_RGB
      : k === 0 && ((i + j) & 1) ? NONE_ALT_RGB : coloring === 'dori' ? LEVEL_RGB[k]! : REDUNDANCY_RGB[k]!;
    out[o] = col[0]; out[o + 1] = col[1]; out[o + 2] = col[2]; out[o + 3] = 255;
  }
}

/**
 * Blind spots: the cells of critical zones seen below their zone's required
 * level (best level 1–4 against the level's index + 1). `zones` are the
 * floor's zones in the grid's `zoneIds` order.
 */
export function blindSpotMask(grid: CoverageGrid, zones: readonly Zone[]): Uint8Array {
  const need = zones.map((z) => (z.critical ? COVERAGE_LEVELS.indexOf(z.coverage?.required ?? 'detection') + 1 : 0));
  const n = grid.nx * grid.ny, mask = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const zi = grid.zone[c]!;
    if (zi < 0 || !isDrawnCell(grid, c)) continue;
    const req = need[zi] ?? 0;
    if (req > 0 && grid.best[c]! < req) mask[c] = 1;
  }
  return mask;
}

/**
 * The outline of the masked cells as plan segments [x1, y1, x2, y2, …]: each
 * cell edge between a masked cell and an unmasked one (or the grid's edge).
 */
export function maskOutline(grid: CoverageGrid, mask: Uint8Array): Float64Array {
  const { nx, ny, x0, y0, grid: g } = grid;
  const out: number[] = [];
  const at = (i: number, j: number) => (i >= 0 && j >= 0 && i < nx && j < ny ? mask[j * nx + i]! : 0);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if (!mask[j * nx + i]) continue;
      const xa = x0 + i * g, xb = xa + g, ya = y0 + j * g, yb = ya + g;
      if (!at(i - 1, j)) out.push(xa, ya, xa, yb);
      if (!at(i + 1, j)) out.push(xb, ya, xb, yb);
      if (!at(i, j - 1)) out.push(xa, ya, xb, ya);
      if (!at(i, j + 1)) out.push(xa, yb, xb, yb);
    }
  }
  return Float64Array.from(out);
}

/** The cell under plan point (x, y), or −1 off the grid. */
export function cellAt(grid: CoverageGrid, x: number, y: number): number {
  const i = Math.floor((x - grid.x0) / grid.grid), j = Math.floor((y - grid.y0) / grid.grid);
  return i >= 0 && j >= 0 && i < grid.nx && j < grid.ny ? j * grid.nx + i : -1;
}
