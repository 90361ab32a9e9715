// The markers of one sensor kind on one floor, instanced.
import { useCallback, useLayoutEffect, useRef } from 'react';
import { Color, Matrix4, type InstancedMesh, type Intersection } from 'three';
import type { Sensor, SensorKind } from '../core/facility/schema.ts';
import { writePlanPoint } from './coords.ts';
import { materials, sensorShapes } from './materials.ts';
import { SENSOR_KIND_COLORS } from './palette.ts';
import { usePickable } from './picking.ts';

const _m = new Matrix4();
const _xyz = [0, 0, 0];
const _c = new Color();

export function SensorKindMarkers({ kind, sensors, positions }: { kind: SensorKind; sensors: Sensor[]; positions: Map<string, [number, number, number]> }) {
  const ref = useRef<InstancedMesh>(null);
  useLayoutEffect(() => {
    const m = ref.current;
    if (!m) return;
    _c.set(SENSOR_KIND_COLORS[kind]);
    sensors.forEach((s, i) => {
      const p = positions.get(s.id) ?? [0, 0, 0];
      writePlanPoint(_xyz, 0, p[0], p[1], p[2]);
      m.setMatrixAt(i, _m.makeTranslation(_xyz[0]!, _xyz[1]!, _xyz[2]!));
      m.setColorAt(i, _c);
    });
    m.instanceMatrix.needsUpdate = true;
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
    m.computeBoundingSphere();
  }, [kind, sensors, positions]);
  const resolve = useCallback((hit: Intersection) => (hit.instanceId == null ? null : sensors[hit.instanceId]?.id ?? null), [sensors]);
  usePickable(ref, 'sensors', resolve);
  return <instancedMesh key={sensors.length} ref={ref} args={[sensorShapes[kind], materials.instances, sensors.length]} />;
}
