// Zone name labels as DOM elements over the canvas, placed after each
// rendered frame: projected in useFrame, shown by zoom level (a zone must be
// big enough on screen) and decluttered greedily (selected, then critical
// zones, then by area). Written through the DOM directly: no React renders.
import { useEffect, useMemo } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { PerspectiveCamera, Vector3 } from 'three';
import { polygonArea } from '../core/geometry.ts';
import { interiorPoint } from '../state/placement.ts';
import { declutter } from '../state/declutter.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { planToThree } from './coords.ts';

/** Height of a label's anchor above its floor, m. */
const LABEL_Z_M = 0.2;
/** A zone gets its label when it spans at least this share of the label's width on screen (critical zones: half of it). */
const MIN_SPAN_OF_LABEL = 0.8;

interface Entry { id: string; floor: number; x: number; y: number; area: number; critical: boolean; name: string; detail: string }

/** Even–odd test of (x, y) against a polygon given as flat [x0, y0, x1, y1, …] (no allocation). */
function insideFlat(x: number, y: number, pts: Float32Array): boolean {
  let inside = false;
  for (let i = 0, n = pts.length / 2, j = n - 1; i < n; j = i++) {
    const xi = pts[2 * i]!, yi = pts[2 * i + 1]!, xj = pts[2 * j]!, yj = pts[2 * j + 1]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const _v = new Vector3(), _w = new Vector3();

export function Labels({ container }: { container: HTMLElement | null }) {
  const index = useTwin((s) => s.index);
  const floors = useTwin((s) => s.floors);
  const invalidate = useThree((s) => s.invalidate);

  const entries = useMemo<Entry[]>(() => {
    if (!index) return [];
    const list: Entry[] = [];
    for (const [fi, floor] of floors.entries()) {
      for (const z of floor.zones) {
        const p = interiorPoint(z.polygon);
        // Clean rooms show their ISO class, unless their name already says it.
        const detail = z.isoClass && !new RegExp(`ISO\\s*${z.isoClass}\\b`).test(z.name) ? `ISO ${z.isoClass}` : '';
        list.push({ id: z.id, floor: fi, x: p[0], y: p[1], area: polygonArea(z.polygon), critical: z.critical, name: z.name || z.id, detail });
      }
    }
    return list;
  }, [index, floors]);

  // DOM nodes and per-frame arrays, made once per facility.
  const layer = useMemo(() => {
    const n = entries.length;
    return {
      els: [] as HTMLDivElement[],
      w: new Float32Array(n), h: new Float32Array(n), x: new Float32Array(n), y: new Float32Array(n),
      candidate: new Uint8Array(n), shown: new Uint8Array(n), wasShown: new Uint8Array(n),
      lastX: new Int32Array(n).fill(-1e9), lastY: new Int32Array(n).fill(-1e9),
      order: new Int32Array(n), scratch: new Float32Array(n * 4),
      // Per floor (elevation order): drawn in full, its lift, and its outline on screen (to hide labels under it).
      floorOn: new Uint8Array(floors.length), floorLift: new Float64Array(floors.length),
      outlines: floors.map((f) => new Float32Array(f.outline.length * 2)), outlineOk: new Uint8Array(floors.length),
      enabled: true,
    };
  }, [entries, floors]);

  useEffect(() => {
    if (!container) return;
    const els = entries.map((e) => {
      const el = document.createElement('div');
      el.className = `zone-label${e.critical ? ' critical' : ''}`;
      el.dataset['id'] = e.id;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = e.name;
      el.append(name);
      if (e.detail) {
        const d = document.createElement('span');
        d.className = 'detail';
        d.textContent = e.detail;
        el.append(d);
      }
      el.style.visibility = 'hidden';
      container.append(el);
      return el;
    });
    layer.els = els;
    const measure = () => {
      els.forEach((el, i) => { layer.w[i] = el.offsetWidth; layer.h[i] = el.offsetHeight; });
      invalidate();
    };
    measure();
    // Importance: selected zone, then critical zones, then larger zones first.
    const rank = () => {
      const sel = useTwin.getState().selected;
      const idx = entries.map((_, i) => i).sort((a, b) => {
        const A = entries[a]!, B = entries[b]!;
        return Number(B.id === sel) - Number(A.id === sel) || Number(B.critical) - Number(A.critical) || B.area - A.area;
      });
      layer.order.set(idx);
      els.forEach((el, i) => el.classList.toggle('selected', entries[i]!.id === sel));
    };
    const visibility = () => {
      const s = useTwin.getState();
      layer.enabled = s.layers.labels && s.layers.zones;
      floors.forEach((f, i) => {
        const p = floorPlacement(s, f.id);
        layer.floorOn[i] = p.display === 'full' ? 1 : 0;
        layer.floorLift[i] = p.lift;
      });
      invalidate();
    };
    rank();
    visibility();
    const unsub = useTwin.subscribe((s, prev) => {
      if (s.selected !== prev.selected) rank();
      if (s.layers !== prev.layers || s.activeFloor !== prev.activeFloor || s.floorMode !== prev.floorMode || s.viewMode !== prev.viewMode) visibility();
    });
    window.addEventListener('resize', measure);
    return () => {
      unsub();
      window.removeEventListener('resize', measure);
      for (const el of els) el.remove();
      layer.els = [];
    };
  }, [entries, floors, container, layer, invalidate]);

  useFrame(({ camera, size }) => {
    const n = layer.els.length;
    if (n === 0) return;
    camera.updateMatrixWorld();
    const persp = camera instanceof PerspectiveCamera;
    const sel = useTwin.getState().selected;
    const k = persp ? size.height / (2 * Math.tan((camera.fov * Math.PI) / 360)) : camera.zoom;
    // Drawn floors' outlines on screen (slab tops): a label under a higher drawn floor is hidden by it.
    for (let f = 0; f < floors.length; f++) {
      layer.outlineOk[f] = 0;
      if (!layer.floorOn[f]) continue;
      const out = layer.outlines[f]!, poly = floors[f]!.outline;
      let ok = 1;
      for (let q = 0; q < poly.length; q++) {
        planToThree(poly[q]![0], poly[q]![1], layer.floorLift[f]!, _v).project(camera);
        if (_v.z > 1 || _v.z < -1) ok = 0;
        out[2 * q] = ((_v.x + 1) / 2) * size.width;
        out[2 * q + 1] = ((1 - _v.y) / 2) * size.height;
      }
      layer.outlineOk[f] = ok;
    }
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      layer.candidate[i] = 0;
      if (!layer.enabled || !layer.floorOn[e.floor]) continue;
      planToThree(e.x, e.y, layer.floorLift[e.floor]! + LABEL_Z_M, _v);
      // Depth along the view for the metres → pixels scale.
      _w.copy(_v).applyMatrix4(camera.matrixWorldInverse);
      const depth = -_w.z;
      if (persp && depth <= 0.1) continue;
      _v.project(camera);
      if (_v.z > 1 || _v.x < -1.2 || _v.x > 1.2 || _v.y < -1.2 || _v.y > 1.2) continue;
      const sx = ((_v.x + 1) / 2) * size.width, sy = ((1 - _v.y) / 2) * size.height;
      layer.x[i] = sx;
      layer.y[i] = sy;
      // Whole label on screen, or none of it.
      if (sx - layer.w[i]! / 2 < 0 || sx + layer.w[i]! / 2 > size.width || sy - layer.h[i]! / 2 < 0 || sy + layer.h[i]! / 2 > size.height) continue;
      let hidden = false;
      for (let f = 0; f < floors.length && !hidden; f++) {
        if (layer.outlineOk[f] && layer.floorLift[f]! > layer.floorLift[e.floor]! && insideFlat(sx, sy, layer.outlines[f]!)) hidden = true;
      }
      if (hidden) continue;
      const pxPerM = persp ? k / depth : k;
      const span = Math.sqrt(e.area) * pxPerM;
      const need = layer.w[i]! * (e.critical ? MIN_SPAN_OF_LABEL / 2 : MIN_SPAN_OF_LABEL);
      layer.candidate[i] = span >= need || e.id === sel ? 1 : 0;
    }
    declutter(layer.order, layer.x, layer.y, layer.w, layer.h, layer.candidate, layer.shown, layer.scratch);
    for (let i = 0; i < n; i++) {
      const el = layer.els[i]!;
      const on = layer.shown[i]!;
      if (on !== layer.wasShown[i]) {
        el.style.visibility = on ? 'visible' : 'hidden';
        layer.wasShown[i] = on;
      }
      if (!on) continue;
      const px = Math.round(layer.x[i]! - layer.w[i]! / 2), py = Math.round(layer.y[i]! - layer.h[i]! / 2);
      if (px === layer.lastX[i] && py === layer.lastY[i]) continue;
      layer.lastX[i] = px; layer.lastY[i] = py;
      // NOTE: a transform string per moved label is the one allocation here; the DOM takes nothing else.
      el.style.transform = `translate(${px}px,${py}px)`;
    }
  });

  return null;
}
