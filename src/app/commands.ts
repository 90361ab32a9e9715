// What the user can do, in one place: the HUD, the keyboard and the find
// palette call these; they change the store and steer the camera rig.
import { FLOOR_MODES } from '../state/layout.ts';
import { rig } from '../state/rig.ts';
import { useTwin, type LayerId } from '../state/store.ts';

/** Selects an entity and (by default) flies to it. */
export function selectEntity(id: string | null, fly = true): void {
  useTwin.getState().select(id);
  if (fly && id) rig.current?.flyTo(id);
}

/** Selects `id` and frames it together with `also` (an incident's door and the cameras that see it). */
export function selectAndFrame(id: string, also: readonly string[]): void {
  useTwin.getState().select(id);
  rig.current?.frame([id, ...also]);
}

/** Flies to the selection, if any. */
export function flyToSelection(): void {
  const id = useTwin.getState().selected;
  if (id) rig.current?.flyTo(id);
}

export function frameAll(): void { rig.current?.frameAll(); }
export function frameFloor(): void { rig.current?.frameFloor(); }

/** Makes floor `id` active. */
export function setActiveFloor(id: string): void { useTwin.getState().setActiveFloor(id); }

/** Moves the active floor up (+1) or down (-1) in elevation order. */
export function stepFloor(delta: number): void {
  const s = useTwin.getState();
  const i = s.floors.findIndex((f) => f.id === s.activeFloor);
  const next = s.floors[Math.min(s.floors.length - 1, Math.max(0, i + delta))];
  if (next) s.setActiveFloor(next.id);
}

/** Single → stacked → exploded → single. */
export function cycleFloorMode(): void {
  const s = useTwin.getState();
  s.setFloorMode(FLOOR_MODES[(FLOOR_MODES.indexOf(s.floorMode) + 1) % FLOOR_MODES.length]!);
}

export function toggleViewMode(): void {
  const s = useTwin.getState();
  s.setViewMode(s.viewMode === '3d' ? 'plan' : '3d');
}

export function toggleLayer(id: LayerId): void { useTwin.getState().toggleLayer(id); }
