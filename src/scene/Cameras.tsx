// Camera bodies, instanced: placed at mount height, turned to yaw and tilted
// down. Offline cameras (live buffer) turn vermillion.
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import { Color, Euler, Matrix4, Quaternion, Vector3, type InstancedMesh, type Intersection } from 'three';
import type { Floor } from '../core/facility/schema.ts';
import { live } from '../state/live.ts';
import { planToThree, planYawToThree } from './coords.ts';
import { cameraBody, materials } from './materials.ts';
import { CAMERA_COLORS } from './palette.ts';
import { usePickable } from './picking.ts';
import { linearToHex, useColorProbe } from './probe.ts';

const _m = new Matrix4(), _p = new Vector3(), _q = new Quaternion(), _e = new Euler(), _one = new Vector3(1, 1, 1);
const ONLINE = new Color(CAMERA_COLORS.body), OFFLINE = new Color(CAMERA_COLORS.offline);

export function Cameras({ floor, visible }: { floor: Floor; visible: boolean }) {
  const ref = useRef<InstancedMesh>(null);
  const drawnVersion = useRef(-1);

  useLayoutEffect(() => {
    const m = ref.current;
    if (!m) return;
    floor.cameras.forEach((c, i) => {
      planToThree(c.position[0], c.position[1], c.mountHeight, _p);
      // Yaw about the vertical, then tilt the optical axis (local +x) down.
      _q.setFromEuler(_e.set(0, planYawToThree(c.yaw), (-c.tilt * Math.PI) / 180, 'YZX'));
      m.setMatrixAt(i, _m.compose(_p, _q, _one));
      m.setColorAt(i, ONLINE);
    });
    m.instanceMatrix.needsUpdate = true;
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
    m.computeBoundingSphere();
    drawnVersion.current = -1;
  }, [floor]);

  useFrame(() => {
    const buf = live.buffer, m = ref.current;
    if (!buf || !m || buf.version === drawnVersion.current) return;
    drawnVersion.current = buf.version;
    for (let i = 0; i < floor.cameras.length; i++) {
      const slot = buf.cameraSlot.get(floor.cameras[i]!.id);
      m.setColorAt(i, slot !== undefined && buf.cameraOnline[slot] === 0 ? OFFLINE : ONLINE);
    }
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
  });

  const resolve = useCallback((hit: Intersection) => (hit.instanceId == null ? null : floor.cameras[hit.instanceId]?.id ?? null), [floor]);
  usePickable(ref, 'cameras', resolve);
  const probe = useCallback((id: string) => {
    const i = floor.cameras.findIndex((c) => c.id === id), m = ref.current;
    if (i < 0 || !m?.instanceColor) return null;
    const a = m.instanceColor.array;
    return linearToHex(a[i * 3]!, a[i * 3 + 1]!, a[i * 3 + 2]!);
  }, [floor]);
  useColorProbe(probe);

  return <instancedMesh key={floor.cameras.length} ref={ref} args={[cameraBody, materials.instances, floor.cameras.length]} visible={visible} />;
}
