// Wires the renderer into `window.__twinspace` (app/debug.ts): renderer.info,
// invalidate, synchronous frame timing, entity projection, and a frame count.
import { useEffect } from 'react';
import { advance, useFrame, useThree } from '@react-three/fiber';
import { Vector3 } from 'three';
import { debug } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { rig } from '../state/rig.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { interiorPoint, sensorPositions } from '../state/placement.ts';
import { planToThree } from './coords.ts';
import { coverageSettled } from '../state/coverage.ts';
import { probeColor } from './probe.ts';

const _v = new Vector3();
const _px = new Uint8Array(4);

/** Plan anchor [x, y, z above slab] and floor of an entity. */
function anchor(id: string): { floorId: string; p: [number, number, number] } | null {
  const s = useTwin.getState(), ix = s.index;
  const e = ix?.byId.get(id);
  if (!ix || !e) return null;
  switch (e.kind) {
    case 'zone': { const c = interiorPoint(e.item.polygon); return { floorId: e.floor.id, p: [c[0], c[1], 0.1] }; }
    case 'door': return { floorId: e.floor.id, p: [e.item.position[0], e.item.position[1], 1] };
    case 'camera': return { floorId: e.floor.id, p: [e.item.position[0], e.item.position[1], e.item.mountHeight] };
    case 'sensor': { const q = sensorPositions(e.floor).get(id); return q ? { floorId: e.floor.id, p: q } : null; }
    case 'floor': { const c = interiorPoint(e.item.outline); return { floorId: e.floor.id, p: [c[0], c[1], 0] }; }
    case 'hvac': {
      for (const zid of e.item.serves) {
        const z = ix.zones.get(zid);
        if (z && floorPlacement(s, z.floor.id).display === 'full') { const c = interiorPoint(z.zone.polygon); return { floorId: z.floor.id, p: [c[0], c[1], 0.1] }; }
      }
      return null;
    }
  }
}

export function DebugBridge() {
  const gl = useThree((s) => s.gl);
  const get = useThree((s) => s.get);
  const invalidate = useThree((s) => s.invalidate);

  useFrame(() => {
    debug.frames++;
    // Ready once a frame is drawn with the model loaded and the camera placed.
    // …and the coverage engine has answered, so the inspector shows its final relations.
    if (!debug.ready && rig.current && useTwin.getState().loadState === 'ready' && coverageSettled(useTwin.getState())) debug.ready = true;
  });

  useEffect(() => {
    debug.info = () => {
      const i = gl.info;
      return { calls: i.render.calls, triangles: i.render.triangles, lines: i.render.lines, points: i.render.points, geometries: i.memory.geometries, textures: i.memory.textures, programs: i.programs?.length ?? 0 };
    };
    debug.invalidate = () => invalidate();
    debug.measureFrames = (n, orbit) => {
      const ctx = gl.getContext();
      const times: number[] = [];
      for (let k = 0; k < n; k++) {
        if (orbit) rig.current?.orbit(0.03, 0, false);
        const t0 = performance.now();
        advance(t0, true, get());
        ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, _px); // wait for the GPU (SwiftShader) to finish
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
      return { n, meanMs: times.reduce((a, b) => a + b, 0) / n, medianMs: at(0.5), p95Ms: at(0.95), maxMs: times[times.length - 1]! };
    };
    debug.projectPoint = (floorId, x, y, z) => {
      const pl = floorPlacement(useTwin.getState(), floorId);
      if (pl.display !== 'full') return null;
      const { camera } = get();
      camera.updateMatrixWorld();
      planToThree(x, y, pl.lift + z, _v).project(camera);
      if (_v.z > 1 || Math.abs(_v.x) > 1 || Math.abs(_v.y) > 1) return null;
      const r = gl.domElement.getBoundingClientRect();
      return { x: r.left + ((_v.x + 1) / 2) * r.width, y: r.top + ((1 - _v.y) / 2) * r.height };
    };
    debug.project = (id) => {
      const a = anchor(id);
      return a ? debug.projectPoint(a.floorId, a.p[0], a.p[1], a.p[2]) : null;
    };
    debug.state = () => {
      const s = useTwin.getState();
      return { selected: s.selected, activeFloor: s.activeFloor, floorMode: s.floorMode, viewMode: s.viewMode, layers: { ...s.layers } };
    };
    debug.pose = () => rig.current?.getPose() ?? null;
    debug.resting = () => rig.current?.isResting() ?? false;
    debug.select = (id) => selectEntity(id);
    debug.color = probeColor;
    return () => {
      debug.info = () => null;
      debug.measureFrames = () => null;
      debug.project = () => null;
      debug.projectPoint = () => null;
    };
  }, [gl, get, invalidate]);

  return null;
}
