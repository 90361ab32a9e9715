// A plant ten times the demo plant, for the render benchmark: every floor of
// the demo plant tiled 5 × 2 side by side, with every id renamed per tile
// (`<id>:t<k>`) and HVAC units copied per tile. Same floors, ten times the
// zones, walls, doors, cameras and sensors. Validated before use.
import type { Facility, Floor } from '../../src/core/facility/schema.ts';
import { bounds, type Vec2 } from '../../src/core/geometry.ts';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';

/** Tiles across and down. */
export const TILES: readonly [number, number] = [5, 2];
/** Gap between tiles, m. */
export const TILE_GAP_M = 10;

/** The plant tiled TILES[0] × TILES[1] times. */
export function tilePlant(base: Facility, tiles: readonly [number, number] = TILES, gap = TILE_GAP_M): Facility {
  const b = bounds(base.floors.flatMap((f) => f.outline));
  const w = b.maxX - b.minX + gap, h = b.maxY - b.minY + gap;
  const n = tiles[0] * tiles[1];
  const rename = (id: string, k: number) => `${id}:t${k}`;
  const shift = (p: Vec2, k: number): [number, number] => [p[0] + (k % tiles[0]) * w, p[1] + Math.floor(k / tiles[0]) * h];
  const poly = (ps: readonly Vec2[], k: number) => ps.map((p) => shift(p, k));

  const floors = base.floors.map((f): Floor => {
    const out: Floor = { ...f, outline: [], zones: [], walls: [], obstacles: [], doors: [], cameras: [], sensors: [] };
    // One slab under all tiles.
    out.outline = [[b.minX, b.minY], [b.minX + tiles[0] * w - gap, b.minY], [b.minX + tiles[0] * w - gap, b.minY + tiles[1] * h - gap], [b.minX, b.minY + tiles[1] * h - gap]];
    for (let k = 0; k < n; k++) {
      for (const z of f.zones) out.zones.push({ ...z, id: rename(z.id, k), name: `${z.name} (${k + 1})`, polygon: poly(z.polygon, k) });
      for (const wl of f.walls) out.walls.push({ ...wl, ...(wl.id ? { id: rename(wl.id, k) } : {}), from: shift(wl.from, k), to: shift(wl.to, k) });
      for (const o of f.obstacles) out.obstacles.push({ ...o, id: rename(o.id, k), polygon: poly(o.polygon, k) });
      for (const d of f.doors) out.doors.push({ ...d, id: rename(d.id, k), position: shift(d.position, k), zones: [rename(d.zones[0], k), d.zones[1] === 'outside' ? 'outside' : rename(d.zones[1], k)] });
      for (const c of f.cameras) out.cameras.push({ ...c, id: rename(c.id, k), position: shift(c.position, k) });
      for (const s of f.sensors) {
        out.sensors.push({
          ...s, id: rename(s.id, k), zone: rename(s.zone, k),
          ...(s.hvacUnit ? { hvacUnit: rename(s.hvacUnit, k) } : {}),
          ...(s.position ? { position: [...shift([s.position[0], s.position[1]], k), s.position[2]] as [number, number, number] } : {}),
        });
      }
    }
    return out;
  });
  const hvacUnits = Array.from({ length: n }, (_, k) => base.hvacUnits.map((u) => ({ ...u, id: rename(u.id, k), name: `${u.name} (${k + 1})`, serves: u.serves.map((z) => rename(z, k)) }))).flat();
  const doc = { ...base, id: `${base.id}-x${n}`, name: `${base.name} × ${n}`, floors, hvacUnits };
  // Through the schema again: defaults stay, and a broken tiling fails here, not in the browser.
  const loaded = loadFacility(JSON.parse(JSON.stringify(doc)));
  if (!loaded.ok) throw new Error(`Twinspace bench: tiled plant is invalid:\n${formatProblems(loaded.problems.slice(0, 10))}`);
  return loaded.facility;
}

/** Counts of a facility, for benchmark data sizes. */
export function describePlant(f: Facility): string {
  const c = (k: 'zones' | 'walls' | 'doors' | 'cameras' | 'sensors') => f.floors.reduce((a, fl) => a + fl[k].length, 0);
  return `${f.floors.length} floors, ${c('zones')} zones, ${c('walls')} walls, ${c('doors')} doors, ${c('cameras')} cameras, ${c('sensors')} sensors`;
}
