// Zone floor polygons, merged per floor, with outlines. Picking maps the hit
// triangle back to its zone. With the temperature layer on, zones with a
// temperature spec are recoloured in useFrame from the live buffer: the
// deviation of the zone's temperature (mean of its readings that still
// hold) from setpoint on a diverging scale, grey when stale; the others
// keep their kind colour.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { Color, type BufferAttribute, type Intersection, type Mesh } from 'three';
import type { Floor } from '../core/facility/schema.ts';
import { live, sceneNow, zoneStaleAt, zoneTemperature } from '../state/live.ts';
import { useTwin } from '../state/store.ts';
import type { FloorGeometries } from './geometry/floorGeometry.ts';
import { materials } from './materials.ts';
import { usePickable } from './picking.ts';
import { linearToHex, useColorProbe } from './probe.ts';
import { STALE_ZONE_HEX, TEMP_SCALE_STEPS, tempScaleIndex, zoneTempStepHex } from './tempScale.ts';

/** How often to look whether a zone's readings went stale with no new data, ms. */
const STALE_CHECK_MS = 5_000;

/** The scale as linear RGB triples (three's working space), made once: useFrame only copies. */
const SCALE_LUT: Float32Array = (() => {
  const lut = new Float32Array((TEMP_SCALE_STEPS + 1) * 3), c = new Color();
  for (let i = 0; i < TEMP_SCALE_STEPS; i++) {
    c.set(zoneTempStepHex(i));
    lut[i * 3] = c.r; lut[i * 3 + 1] = c.g; lut[i * 3 + 2] = c.b;
  }
  c.set(STALE_ZONE_HEX);
  const s = TEMP_SCALE_STEPS * 3;
  lut[s] = c.r; lut[s + 1] = c.g; lut[s + 2] = c.b;
  return lut;
})();
const STALE_OFFSET = TEMP_SCALE_STEPS * 3;

/** A zone with a temperature spec: its vertices in the merged geometry and its sensors' slots. */
interface TempZone { id: string; firstVertex: number; endVertex: number; slots: Int32Array; setpoint: number; tolerance: number }

export function ZoneFloors({ geo, floor, visible, temperature }: { geo: FloorGeometries; floor: Floor; visible: boolean; temperature: boolean }) {
  const ref = useRef<Mesh>(null);
  const invalidate = useThree((s) => s.invalidate);
  const index = useTwin((s) => s.index);
  const resolve = useCallback((hit: Intersection) => (hit.faceIndex == null ? null : geo.zoneOfTriangle[hit.faceIndex] ?? null), [geo]);
  usePickable(ref, 'zones', resolve);

  const prep = useMemo(() => {
    const attr = geo.zoneFloors.getAttribute('color') as BufferAttribute;
    const kindColors = Float32Array.from(attr.array as Float32Array);
    const range = new Map<string, [number, number]>();
    geo.zoneOfTriangle.forEach((id, t) => {
      const r = range.get(id);
      if (r) r[1] = t + 1; else range.set(id, [t, t + 1]);
    });
    const zones: TempZone[] = [];
    for (const z of floor.zones) {
      const r = range.get(z.id);
      if (!z.temperature || !r || !index) continue;
      const slots = (index.sensorsByZone.get(z.id) ?? []).filter((s) => s.kind === 'temperature').map((s) => index.sensorSlot.get(s.id)!);
      zones.push({ id: z.id, firstVertex: r[0] * 3, endVertex: r[1] * 3, slots: Int32Array.from(slots), setpoint: z.temperature.setpoint, tolerance: z.temperature.tolerance });
    }
    return { attr, kindColors, zones, range };
  }, [geo, floor, index]);

  const drawn = useRef({ overlay: false, version: -1, nextStaleAt: Infinity });
  // A new geometry comes in kind colours; a layer toggle is handled in useFrame and needs a frame.
  useEffect(() => { drawn.current = { overlay: false, version: -1, nextStaleAt: Infinity }; invalidate(); }, [prep, invalidate]);
  useEffect(() => { invalidate(); }, [temperature, invalidate]);

  useFrame(() => {
    const buf = live.buffer, d = drawn.current, { attr, kindColors, zones } = prep;
    if (!buf || zones.length === 0) return;
    const out = attr.array as Float32Array;
    if (!temperature) {
      if (!d.overlay) return;
      d.overlay = false;
      for (const z of zones) for (let i = z.firstVertex * 3; i < z.endVertex * 3; i++) out[i] = kindColors[i]!;
      attr.needsUpdate = true;
      return;
    }
    const now = sceneNow();
    if (d.overlay && d.version === buf.version && now < d.nextStaleAt) return;
    d.overlay = true; d.version = buf.version;
    let next = Infinity;
    for (const z of zones) {
      const t = zoneTemperature(buf, z.slots, now);
      const at = zoneStaleAt(buf, z.slots, now);
      if (at < next) next = at;
      const o = Number.isFinite(t) ? tempScaleIndex((t - z.setpoint) / z.tolerance) * 3 : STALE_OFFSET;
      const r = SCALE_LUT[o]!, g = SCALE_LUT[o + 1]!, b = SCALE_LUT[o + 2]!;
      for (let v = z.firstVertex; v < z.endVertex; v++) { out[v * 3] = r; out[v * 3 + 1] = g; out[v * 3 + 2] = b; }
    }
    d.nextStaleAt = next;
    attr.needsUpdate = true;
  });

  // Readings go stale with time alone: ask for a frame when one does.
  useEffect(() => {
    if (!temperature) return;
    const timer = setInterval(() => { if (sceneNow() >= drawn.current.nextStaleAt) invalidate(); }, STALE_CHECK_MS);
    return () => clearInterval(timer);
  }, [temperature, invalidate]);

  const probe = useCallback((id: string) => {
    const r = prep.range.get(id);
    if (!r) return null;
    const a = prep.attr.array as Float32Array, i = r[0] * 9;
    return linearToHex(a[i]!, a[i + 1]!, a[i + 2]!);
  }, [prep]);
  useColorProbe(probe);

  return (
    <group visible={visible}>
      <mesh ref={ref} geometry={geo.zoneFloors} material={materials.base} />
      <lineSegments geometry={geo.zoneEdges} material={materials.edges} />
    </group>
  );
}
