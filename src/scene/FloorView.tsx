// One floor: its group is lifted for the floor mode and drawn in full,
// cut away (edges only) or not at all; each layer below is one component.
import { useEffect, useMemo } from 'react';
import type { Floor } from '../core/facility/schema.ts';
import { placeDoors, sensorPositions } from '../state/placement.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { planLift } from './coords.ts';
import { buildFloorGeometries } from './geometry/floorGeometry.ts';
import { FloorArchitecture } from './FloorArchitecture.tsx';
import { ZoneFloors } from './ZoneFloors.tsx';
import { ZoneVolumes } from './ZoneVolumes.tsx';
import { HvacLayer } from './HvacLayer.tsx';
import { Doors } from './Doors.tsx';
import { Cameras } from './Cameras.tsx';
import { Frusta } from './Frusta.tsx';
import { Sensors } from './Sensors.tsx';
import { CoverageLayer } from './CoverageLayer.tsx';
import { WhatIfMarkers } from './WhatIfMarkers.tsx';
import { useRenderCount } from '../app/debug.ts';

export function FloorView({ floor }: { floor: Floor }) {
  useRenderCount('FloorView');
  const units = useTwin((s) => s.index?.facility.hvacUnits);
  const display = useTwin((s) => floorPlacement(s, floor.id).display);
  const lift = useTwin((s) => floorPlacement(s, floor.id).lift);
  const layers = useTwin((s) => s.layers);
  const is3d = useTwin((s) => s.viewMode === '3d');

  const doors = useMemo(() => placeDoors(floor), [floor]);
  const sensorsAt = useMemo(() => sensorPositions(floor), [floor]);
  const geo = useMemo(() => buildFloorGeometries(floor, doors, units ?? []), [floor, doors, units]);
  useEffect(() => () => geo.dispose(), [geo]);

  const full = display === 'full';
  return (
    <group position={planLift(lift)} visible={display !== 'hidden'} name={`floor:${floor.id}`}>
      <FloorArchitecture geo={geo} ghost={display === 'ghost'} showWalls={layers.walls} />
      <ZoneFloors geo={geo} floor={floor} visible={full && layers.zones} temperature={layers.temperature} />
      <ZoneVolumes geometry={geo.volumes} visible={full && layers.zones && layers.volumes && is3d} />
      <HvacLayer geo={geo} visible={full && layers.hvac} />
      <Doors floor={floor} placements={doors} visible={full && layers.doors} />
      <Cameras floor={floor} visible={full && layers.cameras} />
      <Frusta geo={geo} visible={full && layers.frusta} />
      <Sensors floor={floor} positions={sensorsAt} visible={full && layers.sensors} />
      <CoverageLayer floor={floor} visible={full && layers.coverage} />
      <WhatIfMarkers floor={floor} visible={full} />
    </group>
  );
}
