// Sensor markers: one instanced mesh per sensor kind present on the floor,
// each kind with its own shape and colour.
import { useMemo } from 'react';
import type { Floor, Sensor, SensorKind } from '../core/facility/schema.ts';
import { SENSOR_KINDS } from '../core/facility/schema.ts';
import { SensorKindMarkers } from './SensorKindMarkers.tsx';

export function Sensors({ floor, positions, visible }: { floor: Floor; positions: Map<string, [number, number, number]>; visible: boolean }) {
  const byKind = useMemo(() => {
    const m = new Map<SensorKind, Sensor[]>();
    for (const s of floor.sensors) {
      const list = m.get(s.kind);
      if (list) list.push(s); else m.set(s.kind, [s]);
    }
    return SENSOR_KINDS.filter((k) => m.has(k)).map((k) => ({ kind: k, sensors: m.get(k)! }));
  }, [floor]);
  return (
    <group visible={visible}>
      {byKind.map(({ kind, sensors }) => <SensorKindMarkers key={kind} kind={kind} sensors={sensors} positions={positions} />)}
    </group>
  );
}
