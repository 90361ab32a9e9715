// Navigation: camera-controls (orbit, pan, dolly; smooth transitions) on a
// perspective camera in 3D or an orthographic top-down camera in plan view.
// Registers a Rig handle (state/rig.ts) for fly-to, framing and the URL.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { CameraControls, CameraControlsImpl } from '@react-three/drei';
import { Box3, OrthographicCamera, PerspectiveCamera, Sphere, Vector3 } from 'three';
import { entityBoxes } from '../state/placement.ts';
import { floorPlacement, useTwin, type TwinState } from '../state/store.ts';
import { notifyCameraMoved, pendingPose, rigOptions, setRig, type Rig } from '../state/rig.ts';
import { roundCm, roundPose, roundZoom, type Pose } from '../app/url.ts';
import { planToThree, threeToPlan } from './coords.ts';
import { frustumFaces } from './geometry/frustum.ts';
import { bounds } from '../core/geometry.ts';

/** Height of the plan camera above its target, m (only clipping depends on it). */
const PLAN_CAMERA_HEIGHT_M = 1500;
/** Smallest box framed by fly-to, m: a sensor is shown with its surroundings. */
const MIN_FRAME_M = 10;
/** Polar angle for framing in 3D (from vertical), rad: about 45° down. */
const FRAME_POLAR = 0.78;
/** Default heading: from the south-east. */
const FRAME_AZIMUTH = 0.55;
/** A camera this close to the end of its transition counts as at rest, m. */
const REST_M = 1e-3;
const { ACTION } = CameraControlsImpl;

const _a = new Vector3(), _b = new Vector3(), _box = new Box3(), _sphere = new Sphere();

/** The zoom camera-controls is heading to. NOTE: it has no public getter for it. */
function zoomEnd(c: CameraControlsImpl): number {
  return (c as unknown as { _zoomEnd: number })._zoomEnd;
}

/** The three box of plan boxes on drawn floors (empty box when none is drawn). */
function drawnBox(s: TwinState, boxes: ReturnType<typeof entityBoxes>, out: Box3): Box3 {
  out.makeEmpty();
  for (const b of boxes) {
    const { display, lift } = floorPlacement(s, b.floorId);
    if (display === 'hidden') continue;
    planToThree(b.min[0], b.min[1], lift + b.min[2], _a);
    planToThree(b.max[0], b.max[1], lift + b.max[2], _b);
    out.expandByPoint(_a).expandByPoint(_b);
  }
  return out;
}

function floorBoxes(s: TwinState, which: 'all' | 'active') {
  return s.floors
    .filter((f) => (which === 'all' ? floorPlacement(s, f.id).display === 'full' : f.id === s.activeFloor))
    .map((f) => entityBoxes(s.index!, f.id)[0]!)
    .filter(Boolean);
}

export function CameraRig() {
  const isPlan = useTwin((s) => s.viewMode === 'plan');
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const set = useThree((s) => s.set);
  const ref = useRef<CameraControlsImpl>(null);
  const snap = useRef<(() => void) | null>(null);
  // After camera-controls has updated (priority -1), settle on the URL's rounding.
  useFrame(() => snap.current?.());
  // Two cameras made once; the view mode picks which is R3F's default.
  const cams = useMemo(() => ({
    persp: new PerspectiveCamera(40, 1, 0.5, 8000),
    ortho: new OrthographicCamera(-1, 1, 1, -1, 1, PLAN_CAMERA_HEIGHT_M * 4),
  }), []);
  const wanted = isPlan ? cams.ortho : cams.persp;

  useLayoutEffect(() => {
    cams.persp.aspect = size.width / Math.max(1, size.height);
    cams.ortho.left = -size.width / 2; cams.ortho.right = size.width / 2;
    cams.ortho.top = size.height / 2; cams.ortho.bottom = -size.height / 2;
    cams.persp.updateProjectionMatrix();
    cams.ortho.updateProjectionMatrix();
    set({ camera: wanted });
  }, [cams, wanted, size, set]);

  useEffect(() => {
    const c = ref.current;
    if (!c || camera !== wanted) return;
    // Navigation per view: plan is locked north-up and pans with the left button.
    c.minPolarAngle = 0;
    c.maxPolarAngle = isPlan ? 0 : Math.PI * 0.48;
    c.minAzimuthAngle = isPlan ? 0 : -Infinity;
    c.maxAzimuthAngle = isPlan ? 0 : Infinity;
    c.mouseButtons.left = isPlan ? ACTION.TRUCK : ACTION.ROTATE;
    c.mouseButtons.right = ACTION.TRUCK;
    c.mouseButtons.wheel = isPlan ? ACTION.ZOOM : ACTION.DOLLY;
    c.touches.one = isPlan ? ACTION.TOUCH_TRUCK : ACTION.TOUCH_ROTATE;
    c.dollyToCursor = true;
    c.minDistance = 1;
    c.maxDistance = 5000;
    c.minZoom = 0.2;
    c.maxZoom = 600;
    c.smoothTime = rigOptions.smoothTime;
    c.enabled = rigOptions.input;

    /** The pose the camera is heading to, unrounded. */
    const rawPose = (): Pose => {
      const t = threeToPlan(c.getTarget(_b, true));
      if (isPlan) return { kind: 'ortho', target: [t[0], t[1]], zoom: zoomEnd(c) };
      return { kind: 'persp', position: threeToPlan(c.getPosition(_a, true)), target: t };
    };

    const fit = (box: Box3, animate: boolean, polar: number | null) => {
      if (box.isEmpty()) return;
      // Never frame less than a minimum across (more in plan, where there is no perspective to give context).
      const min = isPlan ? MIN_FRAME_M * 2.5 : MIN_FRAME_M;
      const size = box.getSize(_a);
      box.expandByVector(_b.set(Math.max(0, min - size.x) / 2, 0, Math.max(0, min - size.z) / 2));
      if (isPlan) {
        const pad = Math.max(size.x, size.z) * 0.06 + 1;
        // Stand high above the box first: the plan camera's distance only matters for clipping.
        const y = box.getCenter(_a).y;
        c.getTarget(_b, true);
        void c.setLookAt(_b.x, y + PLAN_CAMERA_HEIGHT_M, _b.z, _b.x, y, _b.z, false);
        void c.fitToBox(box, animate, { paddingLeft: pad, paddingRight: pad, paddingTop: pad, paddingBottom: pad });
        return;
      }
      box.getBoundingSphere(_sphere);
      // A sphere is loose around a flat floor seen from above at an angle; a single thing gets some surroundings.
      _sphere.radius *= polar === null ? 1.5 : 0.8;
      void c.rotateTo(polar === null ? c.azimuthAngle : FRAME_AZIMUTH, polar ?? Math.min(Math.max(c.polarAngle, 0.45), 1.1), animate);
      void c.fitToSphere(_sphere, animate);
    };

    const rig: Rig = {
      flyTo(id, animate = true) {
        const s = useTwin.getState();
        if (!s.index) return;
        drawnBox(s, entityBoxes(s.index, id), _box);
        // A camera is shown with what it covers: its footprint on the slab.
        const e = s.index.byId.get(id);
        if (e?.kind === 'camera' && !_box.isEmpty()) {
          const { lift } = floorPlacement(s, e.floor.id);
          for (const f of frustumFaces(e.item, e.floor.height, bounds(e.floor.outline))) {
            if (!f.every((p) => Math.abs(p[2]) < 1e-6)) continue;
            for (const p of f) _box.expandByPoint(planToThree(p[0], p[1], lift, _a));
          }
        }
        fit(_box, animate, null);
      },
      frame(ids, animate = true) {
        const s = useTwin.getState();
        if (s.index) fit(drawnBox(s, ids.flatMap((id) => entityBoxes(s.index!, id)), _box), animate, null);
      },
      frameAll(animate = true) {
        const s = useTwin.getState();
        if (s.index) fit(drawnBox(s, floorBoxes(s, 'all'), _box), animate, FRAME_POLAR);
      },
      frameFloor(animate = true) {
        const s = useTwin.getState();
        if (s.index) fit(drawnBox(s, floorBoxes(s, 'active'), _box), animate, FRAME_POLAR);
      },
      getPose(): Pose {
        return roundPose(rawPose());
      },
      setPose(p, animate = false) {
        if (p.kind === 'persp' && !isPlan) {
          planToThree(p.position[0], p.position[1], p.position[2], _a);
          planToThree(p.target[0], p.target[1], p.target[2], _b);
          void c.setLookAt(_a.x, _a.y, _a.z, _b.x, _b.y, _b.z, animate);
        } else if (p.kind === 'ortho' && isPlan) {
          const s = useTwin.getState();
          const lift = floorPlacement(s, s.activeFloor).lift;
          planToThree(p.target[0], p.target[1], lift, _b);
          void c.setLookAt(_b.x, _b.y + PLAN_CAMERA_HEIGHT_M, _b.z, _b.x, _b.y, _b.z, animate);
          void c.zoomTo(p.zoom, animate);
        }
      },
      isResting() {
        // At rest when nobody drags and the camera stands at the end of its transition (to a millimetre).
        if (c.currentAction !== ACTION.NONE) return false;
        if (c.getTarget(_a, false).distanceTo(c.getTarget(_b, true)) > REST_M) return false;
        // NOTE: not in plan, where the camera stands 1.5 km up and camera-controls keeps the polar angle
        // off zero by an epsilon that can differ between its current and end values.
        if (!isPlan && c.getPosition(_a, false).distanceTo(c.getPosition(_b, true)) > REST_M) return false;
        const z = zoomEnd(c);
        return Math.abs(camera.zoom - z) <= 1e-4 * z;
      },
      orbit(azimuth, polar, animate = false) {
        void c.rotate(azimuth, polar, animate);
      },
    };

    const onUpdate = () => notifyCameraMoved();
    c.addEventListener('update', onUpdate);

    const first = pendingPose.pose;
    pendingPose.pose = null;
    if (first && (first.kind === 'ortho') === isPlan) rig.setPose(first, false);
    else if (isPlan) rig.frameFloor(false);
    else rig.frameAll(false);
    c.update(0);
    setRig(rig);
    let snapped = false;
    snap.current = () => {
      // At rest, stand exactly on the pose the URL keeps (≤ 5 mm away), so a shared link shows the same picture.
      // One snap per rest: should rounding not settle, the next frame does not snap again (and asks for none).
      if (snapped || !rig.isResting()) { snapped = false; return; }
      c.getTarget(_b, true);
      let off = Math.max(Math.abs(_b.x - roundCm(_b.x)), Math.abs(-_b.z - roundCm(-_b.z)));
      if (isPlan) {
        const z = zoomEnd(c);
        off = Math.max(off, Math.abs(z - roundZoom(z)));
      } else {
        c.getPosition(_a, true);
        off = Math.max(off, Math.abs(_b.y - roundCm(_b.y)), Math.abs(_a.x - roundCm(_a.x)), Math.abs(-_a.z - roundCm(-_a.z)), Math.abs(_a.y - roundCm(_a.y)));
      }
      if (off > 1e-7) { snapped = true; rig.setPose(roundPose(rawPose()), false); }
    };
    return () => {
      c.removeEventListener('update', onUpdate);
      snap.current = null;
      setRig(null);
    };
  }, [camera, wanted, isPlan, cams]);

  return <CameraControls ref={ref} />;
}
