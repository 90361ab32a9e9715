// The tour's 3D view: the console's scene (facility, lights, rig, selection
// highlight, labels, live redraws, debug bridge) without picking, hover or
// coverage interaction — nothing on the wall answers a pointer.
import { Canvas } from '@react-three/fiber';
import { useRenderCount } from '../debug.ts';
import { BACKGROUND } from '../../scene/palette.ts';
import { CameraRig } from '../../scene/CameraRig.tsx';
import { DebugBridge } from '../../scene/DebugBridge.tsx';
import { FacilityModel } from '../../scene/FacilityModel.tsx';
import { Highlight } from '../../scene/Highlight.tsx';
import { Labels } from '../../scene/Labels.tsx';
import { Lights } from '../../scene/Lights.tsx';
import { LiveInvalidator } from '../../scene/LiveInvalidator.tsx';

export function TourViewport({ labelLayer }: { labelLayer: HTMLElement | null }) {
  useRenderCount('TourViewport');
  return (
    <Canvas className="viewport" frameloop="demand" flat dpr={[1, 2]} gl={{ antialias: true, powerPreference: 'high-performance' }}>
      <color attach="background" args={[BACKGROUND]} />
      <Lights />
      <CameraRig />
      <FacilityModel />
      <Highlight source="selection" />
      <Labels container={labelLayer} />
      <LiveInvalidator />
      <DebugBridge />
    </Canvas>
  );
}
