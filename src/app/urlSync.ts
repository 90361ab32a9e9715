// Keeps the address bar and the view in step: selection, floor and mode
// changes push a history entry; layer toggles and camera moves replace the
// current one (camera moves debounced); back/forward restore the view.
import { rig, pendingPose, subscribeCameraMoved, onRigReady } from '../state/rig.ts';
import { useTwin, type TwinState } from '../state/store.ts';
import { decodeView, encodeView, type Pose, type UrlView } from './url.ts';

/** Quiet time after the last camera move before the URL is rewritten, ms. */
export const CAMERA_URL_DEBOUNCE_MS = 250;

function currentView(s: TwinState, pose: Pose | null): UrlView {
  // A pose from the other view's camera (mid-switch) is left out; the next camera move writes the right one.
  const fits = pose && (pose.kind === 'ortho') === (s.viewMode === 'plan');
  return { viewMode: s.viewMode, floorMode: s.floorMode, activeFloor: s.activeFloor, layers: s.layers, selected: s.selected, pose: fits ? pose : null };
}

function urlFor(s: TwinState): string {
  return `${window.location.pathname}${encodeView(currentView(s, rig.current?.getPose() ?? null), window.location.search)}${window.location.hash}`;
}

/** Applies what a URL says to the store (and the camera); returns the pose it held. */
function applyUrl(search: string): Pose | null {
  const s = useTwin.getState();
  if (!s.index) return null;
  const ix = s.index;
  const v = decodeView(search, { floors: s.floors.map((f) => f.id), has: (id) => ix.byId.has(id) });
  useTwin.setState({
    viewMode: v.viewMode ?? '3d',
    floorMode: v.floorMode ?? s.floorMode,
    activeFloor: v.activeFloor ?? s.activeFloor,
    ...(v.layers ? { layers: v.layers } : {}),
    selected: v.selected ?? null,
  });
  return v.pose ?? null;
}

/**
 * Starts syncing; call once the facility is in the store and before the
 * viewport mounts (the URL's pose is handed to the first camera rig).
 * Returns the stop function.
 */
export function startUrlSync(): () => void {
  let applying = false;
  let timer = 0;

  applying = true;
  const pose = applyUrl(window.location.search);
  applying = false;
  pendingPose.pose = pose;
  const selectedAtLoad = useTwin.getState().selected;
  // A shared link with a selection but no pose: fly there once the camera exists.
  const stopReady = onRigReady(() => {
    stopReady();
    if (!pose && selectedAtLoad) rig.current?.flyTo(selectedAtLoad, false);
  });
  window.history.replaceState(null, '', urlFor(useTwin.getState()));

  const unsubStore = useTwin.subscribe((s, prev) => {
    if (applying || !s.index) return;
    const push = s.selected !== prev.selected || s.activeFloor !== prev.activeFloor || s.floorMode !== prev.floorMode || s.viewMode !== prev.viewMode;
    if (push) window.history.pushState(null, '', urlFor(s));
    else if (s.layers !== prev.layers) window.history.replaceState(null, '', urlFor(s));
  });

  const unsubCamera = subscribeCameraMoved(() => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (!applying) window.history.replaceState(null, '', urlFor(useTwin.getState()));
    }, CAMERA_URL_DEBOUNCE_MS);
  });

  const onPop = () => {
    window.clearTimeout(timer);
    const before = useTwin.getState().viewMode;
    applying = true;
    try {
      const p = applyUrl(window.location.search);
      if (useTwin.getState().viewMode !== before || !rig.current) pendingPose.pose = p; // the new rig takes it
      else if (p) rig.current.setPose(p, false);
    } finally {
      applying = false;
    }
  };
  window.addEventListener('popstate', onPop);

  return () => {
    stopReady();
    unsubStore();
    unsubCamera();
    window.clearTimeout(timer);
    window.removeEventListener('popstate', onPop);
  };
}
