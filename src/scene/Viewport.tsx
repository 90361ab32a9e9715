// The 3D view: a canvas that renders on demand, with the facility, the
// camera rig, highlights, labels and picking. Counted for the render tests.
import { Canvas } from '@react-three/fiber';
import { useRenderCount } from '../app/debug.ts';
import { BACKGROUND } from './palette.ts';
import { CameraRig } from './CameraRig.tsx';
import { DebugBridge } from './DebugBridge.tsx';
import { FacilityModel } from './FacilityModel.tsx';
import { Highlight } from './Highlight.tsx';
import { Labels } from './Labels.tsx';
import { Lights } from './Lights.tsx';
import { LiveInvalidator } from './LiveInvalidator.tsx';
import { Picker } from './Picker.tsx';
import { CoverageInteraction } from './CoverageInteraction.tsx';
import { BadgeTrails } from './BadgeTrails.tsx';

export function Viewport({ labelLayer }: { labelLayer: HTMLElement | null }) {
  useRenderCount('Viewport');
  return (
    <Canvas
      className="viewport"
      // NOTE: R3F's wrapper is width/height 100 % inline, which would beat the stage's insets (timeline, incident panel).
      style={{ width: 'auto', height: 'auto' }}
      frameloop="demand"
      flat
      dpr={[1, 2]}
      gl={{ antialias: true, powerPreference: 'high-performance' }}
    >
      <color attach="background" args={[BACKGROUND]} />
      <Lights />
      <CameraRig />
      <FacilityModel />
      <BadgeTrails />
      <Highlight source="incident" />
      <Highlight source="selection" />
      <Highlight source="hover" />
      <Labels container={labelLayer} />
      <Picker />
      <CoverageInteraction />
      <LiveInvalidator />
      <DebugBridge />
    </Canvas>
  );
}
