// Doors set in their walls: one instanced leaf per door, and a reader pad
// beside each access-controlled door (shape as well as colour tells them
// apart). Leaf colours follow the live door state, read in useFrame: open,
// held open too long, forced; a door in alarm is also drawn thicker, so
// shape as well as colour says it.
import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import { Color, Euler, Matrix4, Quaternion, Vector3, type InstancedMesh, type Intersection } from 'three';
import type { Floor } from '../core/facility/schema.ts';
import type { DoorPlacement } from '../state/placement.ts';
import { DOOR_FORCED, DOOR_HELD, DOOR_OPEN, live } from '../state/live.ts';
import { planToThree, planYawToThree } from './coords.ts';
import { materials, unitBox } from './materials.ts';
import { DOOR_COLORS } from './palette.ts';
import { usePickable } from './picking.ts';
import { linearToHex, useColorProbe } from './probe.ts';

const _m = new Matrix4(), _p = new Vector3(), _q = new Quaternion(), _s = new Vector3(), _e = new Euler();
const _c = new Color();
const PLAIN = new Color(DOOR_COLORS.plain), READER = new Color(DOOR_COLORS.reader);
const STATE_COLORS = [null, new Color(DOOR_COLORS.open), new Color(DOOR_COLORS.held), new Color(DOOR_COLORS.forced)] as const;
/** Reader pad size (along wall, height), m, and its height above the slab. */
const PAD = { w: 0.16, h: 0.24, z: 1.2 };
/** A door in alarm (held, forced) is drawn this many times its normal thickness. */
const ALARM_THICKNESS = 3;
/** Floats kept per door to recompose its matrix: position (3), quaternion (4), scale (3). */
const POSE = 10;

export function Doors({ floor, placements, visible }: { floor: Floor; placements: Map<string, DoorPlacement>; visible: boolean }) {
  const leaves = useRef<InstancedMesh>(null);
  const pads = useRef<InstancedMesh>(null);
  const readers = useMemo(() => floor.doors.filter((d) => d.reader), [floor]);
  const drawnVersion = useRef(-1);
  /** Each leaf's pose as placed (see POSE), and the state drawn, to rescale leaves in alarm. */
  const poses = useMemo(() => new Float32Array(floor.doors.length * POSE), [floor]);
  const drawnStates = useMemo(() => new Uint8Array(floor.doors.length), [floor]);

  useLayoutEffect(() => {
    const L = leaves.current, P = pads.current;
    if (!L || !P) return;
    floor.doors.forEach((d, i) => {
      const pl = placements.get(d.id);
      const yaw = pl?.yaw ?? 0, t = (pl?.thickness ?? 0.2) + 0.06, h = pl?.height ?? 2.1;
      planToThree(d.position[0], d.position[1], h / 2, _p);
      _q.setFromEuler(_e.set(0, planYawToThree(yaw), 0));
      L.setMatrixAt(i, _m.compose(_p, _q, _s.set(d.width, h, t)));
      _p.toArray(poses, i * POSE); _q.toArray(poses, i * POSE + 3); _s.toArray(poses, i * POSE + 7);
      drawnStates[i] = 0;
      L.setColorAt(i, d.reader ? READER : PLAIN);
    });
    readers.forEach((d, i) => {
      const pl = placements.get(d.id);
      const yaw = ((pl?.yaw ?? 0) * Math.PI) / 180, off = d.width / 2 + 0.22;
      planToThree(d.position[0] + Math.cos(yaw) * off, d.position[1] + Math.sin(yaw) * off, PAD.z, _p);
      _q.setFromEuler(_e.set(0, planYawToThree(pl?.yaw ?? 0), 0));
      P.setMatrixAt(i, _m.compose(_p, _q, _s.set(PAD.w, PAD.h, (pl?.thickness ?? 0.2) + 0.16)));
      P.setColorAt(i, READER);
    });
    for (const m of [L, P]) {
      m.instanceMatrix.needsUpdate = true;
      if (m.instanceColor) m.instanceColor.needsUpdate = true;
      m.computeBoundingSphere();
    }
    drawnVersion.current = -1;
  }, [floor, placements, readers, poses, drawnStates]);

  useFrame(() => {
    const buf = live.buffer, L = leaves.current;
    if (!buf || !L || buf.version === drawnVersion.current) return;
    drawnVersion.current = buf.version;
    let moved = false;
    for (let i = 0; i < floor.doors.length; i++) {
      const d = floor.doors[i]!;
      const slot = buf.doorSlot.get(d.id);
      const st = slot === undefined ? 0 : buf.doors[slot]!;
      const c = st === DOOR_OPEN || st === DOOR_HELD || st === DOOR_FORCED ? STATE_COLORS[st] : d.reader ? READER : PLAIN;
      L.setColorAt(i, _c.copy(c));
      const alarm = st === DOOR_HELD || st === DOOR_FORCED;
      if (alarm !== (drawnStates[i] === 1)) {
        drawnStates[i] = alarm ? 1 : 0;
        const o = i * POSE;
        _p.fromArray(poses, o); _q.fromArray(poses, o + 3); _s.fromArray(poses, o + 7);
        if (alarm) _s.z *= ALARM_THICKNESS;
        L.setMatrixAt(i, _m.compose(_p, _q, _s));
        moved = true;
      }
    }
    if (L.instanceColor) L.instanceColor.needsUpdate = true;
    if (moved) { L.instanceMatrix.needsUpdate = true; L.computeBoundingSphere(); }
  });

  const resolve = useCallback((hit: Intersection) => (hit.instanceId == null ? null : floor.doors[hit.instanceId]?.id ?? null), [floor]);
  const resolvePad = useCallback((hit: Intersection) => (hit.instanceId == null ? null : readers[hit.instanceId]?.id ?? null), [readers]);
  usePickable(leaves, 'doors', resolve);
  usePickable(pads, 'doors', resolvePad);
  const probe = useCallback((id: string) => {
    const i = floor.doors.findIndex((d) => d.id === id), L = leaves.current;
    if (i < 0 || !L?.instanceColor) return null;
    const a = L.instanceColor.array;
    return linearToHex(a[i * 3]!, a[i * 3 + 1]!, a[i * 3 + 2]!);
  }, [floor]);
  useColorProbe(probe);

  return (
    <group visible={visible}>
      <instancedMesh key={`l${floor.doors.length}`} ref={leaves} args={[unitBox, materials.instances, floor.doors.length]} />
      <instancedMesh key={`p${readers.length}`} ref={pads} args={[unitBox, materials.instances, readers.length]} />
    </group>
  );
}
