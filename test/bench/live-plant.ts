// A generated plant for the live benchmarks: one 200 × 100 m floor cut into
// zones, `sensors` temperature sensors spread over them, `doors` doors
// between neighbouring zones (every other one with a card reader).
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import type { Facility } from '../../src/core/facility/schema.ts';

export function livePlant(sensors: number, doors: number): Facility {
  const zones = Math.max(2, doors + 1);
  const w = 200 / zones;
  const doc = {
    format: 'twinspace.facility/1', id: 'bench-plant', name: `Bench plant (${sensors} sensors)`,
    floors: [{
      id: 'F1', name: 'Floor', elevation: 0, height: 6, outline: [[0, 0], [200, 0], [200, 100], [0, 100]],
      zones: Array.from({ length: zones }, (_, i) => ({
        id: `Z-${i}`, name: `Zone ${i}`, kind: 'production', critical: i % 4 === 0,
        polygon: [[i * w, 0], [(i + 1) * w, 0], [(i + 1) * w, 100], [i * w, 100]],
        temperature: { setpoint: 20, tolerance: 2 },
      })),
      doors: Array.from({ length: doors }, (_, i) => ({
        id: `D-${i}`, name: `Door ${i}`, position: [(i + 1) * w, 50], zones: [`Z-${i}`, `Z-${i + 1}`], reader: i % 2 === 0, heldOpenSeconds: 30,
      })),
      cameras: [{ id: 'CAM-0', name: 'Camera', position: [1, 1], mountHeight: 4, yaw: 45, tilt: 20, hfov: 90, resolution: [1920, 1080] }],
      sensors: Array.from({ length: sensors }, (_, i) => {
        const z = i % zones;
        return { id: `T-${i}`, kind: 'temperature', zone: `Z-${z}`, position: [z * w + w / 2, (i % 97) + 1, 1.5] };
      }),
    }],
  };
  const r = loadFacility(doc);
  if (!r.ok) throw new Error(`bench plant invalid:\n${formatProblems(r.problems)}`);
  return r.facility;
}

/** A running load: `stop()` ends it; `running` says whether it still runs (late callbacks check it). */
export interface PlantLoad { stop(): void; readonly running: boolean }

/**
 * The live benchmarks' load on a `livePlant(sensors, doors)`: every sensor
 * once a second (in 10 slices of 100 ms), a door without a reader opened or
 * closed every 200 ms (state changes, no alarms), and every 3 s a reader
 * door opened without a badge, which the caller handles (`forced`: store
 * it, close it, acknowledge and resolve the alarm as its setting does).
 */
export function startPlantLoad(o: { sensors: number; doors: number; submit: (recs: unknown[]) => void; forced: (reader: string, ts: number) => void }): PlantLoad {
  let sensorCursor = 0, tick = 0, running = true;
  const open = new Set<string>();
  const timers = [
    setInterval(() => {
      const now = Date.now();
      const recs: unknown[] = [];
      for (let i = 0; i < o.sensors / 10; i++) {
        recs.push({ ts: now, sensor: `T-${sensorCursor}`, value: Math.round((20 + Math.sin(sensorCursor + now / 10_000)) * 100) / 100 });
        sensorCursor = (sensorCursor + 1) % o.sensors;
      }
      o.submit(recs);
    }, 100),
    setInterval(() => {
      tick++;
      const door = `D-${1 + 2 * (tick % (o.doors / 2))}`;
      const wasOpen = open.has(door);
      if (wasOpen) open.delete(door); else open.add(door);
      o.submit([{ ts: Date.now(), type: wasOpen ? 'door.closed' : 'door.opened', door }]);
      if (tick % 15 === 0) o.forced(`D-${2 * ((tick / 15) % (o.doors / 2))}`, Date.now());
    }, 200),
  ];
  return {
    stop: () => { running = false; for (const t of timers) clearInterval(t); },
    get running() { return running; },
  };
}
