// What each stop and each alarm does to the view: floors, view mode,
// layers, the highlighted entity, and the camera flight (the scene's own
// rig, slowed down for the wall). A view-mode change remounts the rig's
// camera, so its flight waits for the new rig.
import { onRigReady, rig, rigOptions } from '../../state/rig.ts';
import { useTwin, type Layers } from '../../state/store.ts';
import type { FloorMode, ViewMode } from '../../state/layout.ts';
import type { TourStop } from './plan.ts';

/** Transition smoothing of the tour's flights, s (the console's is 0.22): a flight takes a few seconds. */
export const TOUR_SMOOTH_TIME_S = 0.9;
/** A flight that waits for a remounted rig gives up after this long, ms. */
const RIG_WAIT_MS = 3_000;

/** Layers of the tour: the plant, its zones coloured by temperature, doors, cameras, names; no sensor clutter. */
export const TOUR_LAYERS: Layers = {
  zones: true, temperature: true, volumes: true, walls: true, hvac: false, doors: true, cameras: true, frusta: false, sensors: false, labels: true, coverage: false,
};

/** The rig takes no input and flies slowly while the tour runs; returns the undo. */
export function takeRig(): () => void {
  const before = { ...rigOptions };
  rigOptions.input = false;
  rigOptions.smoothTime = TOUR_SMOOTH_TIME_S;
  return () => { Object.assign(rigOptions, before); };
}

interface ViewWanted { viewMode: ViewMode; floorMode: FloorMode; activeFloor?: string | null | undefined; selected: string | null; coverage: boolean }

let pendingFlight: (() => void) | null = null;

/** Sets the view, then runs `fly` on the rig that draws it (now, or once the remounted rig is ready). */
function setView(w: ViewWanted, fly: () => void): void {
  const s = useTwin.getState();
  const remount = s.viewMode !== w.viewMode;
  const layers = s.layers.coverage === w.coverage && Object.entries(TOUR_LAYERS).every(([k, v]) => k === 'coverage' || s.layers[k as keyof Layers] === v)
    ? s.layers : { ...TOUR_LAYERS, coverage: w.coverage };
  useTwin.setState({
    viewMode: w.viewMode, floorMode: w.floorMode, layers, selected: w.selected,
    ...(w.activeFloor ? { activeFloor: w.activeFloor } : {}),
  });
  pendingFlight?.();
  pendingFlight = null;
  if (!remount && rig.current) { fly(); return; }
  let done = false;
  const go = () => { if (done) return; done = true; off(); clearTimeout(timer); pendingFlight = null; fly(); };
  const off = onRigReady(() => queueMicrotask(go));
  const timer = setTimeout(go, RIG_WAIT_MS);
  pendingFlight = () => { done = true; off(); clearTimeout(timer); };
}

/** The highest floor (elevation order): in stacked mode every floor is drawn in full under it. */
function topFloor(): string | null {
  const f = useTwin.getState().floors;
  return f[f.length - 1]?.id ?? null;
}

/** Shows a stop: sets the view and flies there. */
export function showStop(stop: TourStop): void {
  switch (stop.kind) {
    case 'overview':
      setView({ viewMode: '3d', floorMode: 'exploded', activeFloor: topFloor(), selected: null, coverage: false }, () => rig.current?.frameAll());
      return;
    case 'roi':
      // The whole plant again, from the other side: the ROI is the plant's.
      setView({ viewMode: '3d', floorMode: 'stack', activeFloor: topFloor(), selected: null, coverage: false }, () => {
        rig.current?.frameAll();
        rig.current?.orbit(Math.PI * 0.6, 0, true);
      });
      return;
    case 'floor':
      setView({ viewMode: '3d', floorMode: 'single', activeFloor: stop.id, selected: null, coverage: false }, () => rig.current?.frameFloor());
      return;
    case 'coverage':
      setView({ viewMode: 'plan', floorMode: 'single', activeFloor: stop.id, selected: null, coverage: true }, () => rig.current?.frameFloor());
      return;
    case 'zone':
      setView({ viewMode: '3d', floorMode: 'single', activeFloor: stop.floorId, selected: stop.id, coverage: false }, () => { if (stop.id) rig.current?.flyTo(stop.id); });
      return;
  }
}

/** Shows an alarm's door: its floor alone, the door highlighted, the camera on it. */
export function showAlarmDoor(doorId: string): void {
  const d = useTwin.getState().index?.doors.get(doorId);
  setView({ viewMode: '3d', floorMode: 'single', activeFloor: d?.floor.id ?? null, selected: d ? doorId : null, coverage: false }, () => {
    if (d) rig.current?.flyTo(doorId); else rig.current?.frameAll();
  });
}

/** Drops a flight still waiting for its rig (unmount). */
export function cancelPendingFlight(): void {
  pendingFlight?.();
  pendingFlight = null;
}
