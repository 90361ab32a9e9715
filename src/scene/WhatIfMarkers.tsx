// What-if cameras on one floor: each edited camera drawn where it is tried
// (a yellow body, a ring on the slab and a line back to where the model has
// it), and, in what-if mode, a ring under the selected camera that can be
// dragged (CoverageInteraction does the dragging).
import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, DoubleSide, Euler, LineBasicMaterial, MeshBasicMaterial, Quaternion, RingGeometry, Vector3 } from 'three';
import type { Camera, Floor } from '../core/facility/schema.ts';
import { useTwin } from '../state/store.ts';
import { planToThree, planYawToThree, writePlanPoint } from './coords.ts';
import { WHAT_IF } from './coveragePalette.ts';
import { cameraBody } from './materials.ts';

/** Height of the rings above the slab top, m. */
const RING_LIFT_M = 0.1;
/** Ring radii, m. */
const RING_INNER_M = 0.55, RING_OUTER_M = 0.8;

// Made once for the page's lifetime (shared by every floor).
const ring = new RingGeometry(RING_INNER_M, RING_OUTER_M, 40).rotateX(-Math.PI / 2);
const fill = new MeshBasicMaterial({ color: WHAT_IF, side: DoubleSide, depthTest: false, transparent: true, opacity: 0.9 });
const body = new MeshBasicMaterial({ color: WHAT_IF });
const line = new LineBasicMaterial({ color: WHAT_IF, depthTest: false, transparent: true });

const _p = new Vector3(), _q = new Quaternion(), _e = new Euler();

function Tried({ camera, original }: { camera: Camera; original: Camera }) {
  const link = useMemo(() => {
    const pos = new Float32Array(6);
    writePlanPoint(pos, 0, original.position[0], original.position[1], RING_LIFT_M);
    writePlanPoint(pos, 3, camera.position[0], camera.position[1], RING_LIFT_M);
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(pos, 3));
    return g;
  }, [camera, original]);
  useEffect(() => () => link.dispose(), [link]);
  planToThree(camera.position[0], camera.position[1], camera.mountHeight, _p);
  _q.setFromEuler(_e.set(0, planYawToThree(camera.yaw), (-camera.tilt * Math.PI) / 180, 'YZX'));
  const at = planToThree(camera.position[0], camera.position[1], RING_LIFT_M, new Vector3());
  return (
    <group name={`what-if:${camera.id}`}>
      <mesh geometry={cameraBody} material={body} position={[_p.x, _p.y, _p.z]} quaternion={[_q.x, _q.y, _q.z, _q.w]} scale={1.4} />
      <mesh geometry={ring} material={fill} position={[at.x, at.y, at.z]} renderOrder={12} />
      <lineSegments geometry={link} material={line} renderOrder={12} />
    </group>
  );
}

export function WhatIfMarkers({ floor, visible }: { floor: Floor; visible: boolean }) {
  const edits = useTwin((s) => s.whatIfCameras);
  const whatIf = useTwin((s) => s.whatIf);
  const selected = useTwin((s) => s.selected);
  const invalidate = useThree((s) => s.invalidate);
  const tried = floor.cameras.filter((c) => edits[c.id]);
  const handleCam = whatIf && selected ? floor.cameras.find((c) => c.id === selected) : undefined;
  const handle = handleCam ? edits[handleCam.id] ?? handleCam : undefined;
  useEffect(() => { invalidate(); }, [edits, whatIf, selected, visible, invalidate]);
  if (tried.length === 0 && !handle) return null;
  const h = handle ? planToThree(handle.position[0], handle.position[1], RING_LIFT_M, new Vector3()) : null;
  return (
    <group visible={visible}>
      {tried.map((c) => <Tried key={c.id} camera={edits[c.id]!} original={c} />)}
      {h && <mesh geometry={ring} material={fill} position={[h.x, h.y, h.z]} scale={1.5} renderOrder={12} name="what-if-handle" />}
    </group>
  );
}
