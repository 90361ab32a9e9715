// Pointer work on the coverage layer: a click on a floor's coverage opens a
// popover of the cameras that see that point (best pixel density first), and
// in what-if mode the selected camera's ring can be dragged over its floor
// (the press is kept from the camera controls, so the view does not pan).
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import { Plane, Raycaster, Vector2, Vector3, type Intersection, type Object3D } from 'three';
import { bounds } from '../core/geometry.ts';
import { camerasSeeingPoint } from '../core/metrics/coverage.ts';
import { whatIfFacility } from '../state/coverage.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { planToThree, threeToPlan } from './coords.ts';
import { coveragePlanes } from './coveragePick.ts';
import { cellAt, isDrawnCell } from './coverageTexture.ts';

/** A press that moves less than this is a click, px. */
const CLICK_SLOP_PX = 5;
/** How near the selected camera a press must land to drag it, px. */
const GRAB_PX = 22;

const _raycaster = new Raycaster();
const _ndc = new Vector2();
const _v = new Vector3();
const _plane = new Plane(new Vector3(0, 1, 0), 0);
const _hits: Intersection[] = [];

function drawn(o: Object3D | null): boolean {
  for (let x = o; x; x = x.parent) if (!x.visible) return false;
  return true;
}

export function CoverageInteraction() {
  const gl = useThree((s) => s.gl);
  const get = useThree((s) => s.get);

  useEffect(() => {
    const el = gl.domElement;
    const host = el.parentElement ?? el;
    let downX = 0, downY = 0, isDown = false, frame = 0;
    let drag: { cameraId: string; floorId: string } | null = null;
    let lastX = 0, lastY = 0;

    const setRay = (clientX: number, clientY: number) => {
      const r = el.getBoundingClientRect();
      _ndc.set(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
      _raycaster.setFromCamera(_ndc, get().camera);
    };
    const toScreen = (floorId: string, x: number, y: number, z: number) => {
      const s = useTwin.getState();
      const pl = floorPlacement(s, floorId);
      if (pl.display !== 'full') return null;
      planToThree(x, y, pl.lift + z, _v).project(get().camera);
      const r = el.getBoundingClientRect();
      return { x: r.left + ((_v.x + 1) / 2) * r.width, y: r.top + ((1 - _v.y) / 2) * r.height };
    };

    const onDownCapture = (e: PointerEvent) => {
      const s = useTwin.getState();
      if (e.button !== 0 || !s.whatIf || !s.selected || !s.index) return;
      const entry = s.index.cameras.get(s.selected);
      if (!entry) return;
      const cam = s.whatIfCameras[entry.camera.id] ?? entry.camera;
      const near = [0.1, cam.mountHeight].some((z) => {
        const p = toScreen(entry.floor.id, cam.position[0], cam.position[1], z);
        return p !== null && Math.hypot(p.x - e.clientX, p.y - e.clientY) <= GRAB_PX;
      });
      if (!near) return;
      drag = { cameraId: cam.id, floorId: entry.floor.id };
      // Keep the press from the camera controls and the picker: this drag moves the camera, not the view.
      e.stopPropagation();
      e.preventDefault();
    };
    const moveTo = () => {
      frame = 0;
      const s = useTwin.getState();
      if (!drag || !s.index) return;
      const entry = s.index.cameras.get(drag.cameraId);
      if (!entry) return;
      setRay(lastX, lastY);
      _plane.constant = -floorPlacement(s, drag.floorId).lift;
      if (!_raycaster.ray.intersectPlane(_plane, _v)) return;
      const [px, py] = threeToPlan(_v);
      const b = bounds(entry.floor.outline);
      const x = Math.round(Math.min(b.maxX, Math.max(b.minX, px)) * 100) / 100;
      const y = Math.round(Math.min(b.maxY, Math.max(b.minY, py)) * 100) / 100;
      const cam = s.whatIfCameras[drag.cameraId] ?? entry.camera;
      if (cam.position[0] === x && cam.position[1] === y) return;
      s.updateWhatIfCamera({ ...cam, position: [x, y] });
    };
    const onMove = (e: PointerEvent) => {
      if (!drag) return;
      lastX = e.clientX; lastY = e.clientY;
      if (!frame) frame = requestAnimationFrame(moveTo);
    };
    const onDown = (e: PointerEvent) => { isDown = e.button === 0; downX = e.clientX; downY = e.clientY; };
    const onUp = (e: PointerEvent) => {
      if (drag) {
        lastX = e.clientX; lastY = e.clientY;
        if (frame) cancelAnimationFrame(frame);
        moveTo();
        drag = null;
        return;
      }
      if (!isDown) return;
      isDown = false;
      if (Math.hypot(e.clientX - downX, e.clientY - downY) > CLICK_SLOP_PX) return;
      pickPoint(e.clientX, e.clientY);
    };
    const pickPoint = (clientX: number, clientY: number) => {
      const s = useTwin.getState();
      if (!s.layers.coverage || !s.index || !s.coverage) { if (s.coveragePopover) s.setCoveragePopover(null); return; }
      setRay(clientX, clientY);
      let best: { floorId: string; d: number; x: number; y: number } | null = null;
      for (const p of coveragePlanes) {
        if (!drawn(p.mesh)) continue;
        _hits.length = 0;
        p.mesh.raycast(_raycaster, _hits);
        for (const h of _hits) {
          if (best && h.distance >= best.d) continue;
          const [x, y] = threeToPlan(h.point);
          const grid = s.coverage.grids.find((g) => g.floorId === p.floorId);
          const c = grid ? cellAt(grid, x, y) : -1;
          if (!grid || c < 0 || !isDrawnCell(grid, c)) continue;
          best = { floorId: p.floorId, d: h.distance, x, y };
        }
      }
      _hits.length = 0;
      if (!best) { s.setCoveragePopover(null); return; }
      const facility = whatIfFacility(s.index.facility, s.whatIfCameras);
      const sights = camerasSeeingPoint(facility, best.floorId, best.x, best.y, s.coverage.report.targetHeight);
      s.setCoveragePopover({ floorId: best.floorId, x: best.x, y: best.y, clientX, clientY, sights });
    };

    host.addEventListener('pointerdown', onDownCapture, { capture: true });
    el.addEventListener('pointerdown', onDown);
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    return () => {
      host.removeEventListener('pointerdown', onDownCapture, { capture: true });
      el.removeEventListener('pointerdown', onDown);
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [gl, get]);

  return null;
}
