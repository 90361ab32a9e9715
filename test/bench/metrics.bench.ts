// Stability over 1 M readings and alarms over 1 M events (issue 5): the pure
// metrics of src/core on generated data sized like a large plant's month.
import { fileURLToPath } from 'node:url';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import { computeStability } from '../../src/core/metrics/stability.ts';
import { computeResponse } from '../../src/core/metrics/response.ts';
import type { EventRecord, TelemetryRecord } from '../../src/core/records.ts';
import type { BenchResult } from './types.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';

const ZONES = 50, SENSORS_PER_ZONE = 4, DOORS = 100;
const T0 = Date.parse('2026-11-02T00:00:00Z');

/** A one-floor plant: 50 critical zones with 4 temperature sensors each, 100 reader doors. */
function plant(): FacilityIndex {
  const zones = [], sensors = [], doors = [];
  for (let z = 0; z < ZONES; z++) {
    const x = (z % 10) * 10, y = Math.floor(z / 10) * 10;
    zones.push({ id: `Z${z}`, name: `Zone ${z}`, kind: 'cleanroom', critical: true, polygon: [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10]], temperature: { setpoint: 20, tolerance: 1, alarmDelayMinutes: 5 } });
    for (let s = 0; s < SENSORS_PER_ZONE; s++) sensors.push({ id: `T${z}-${s}`, kind: 'temperature', zone: `Z${z}` });
  }
  for (let d = 0; d < DOORS; d++) doors.push({ id: `D${d}`, name: `Door ${d}`, position: [(d % 10) * 10 + 5, Math.floor(d / 20) * 10], zones: [`Z${d % ZONES}`, 'outside'], reader: true });
  const r = loadFacility({ format: 'twinspace.facility/1', id: 'bench', name: 'Bench', floors: [{ id: 'F', name: 'F', elevation: 0, height: 4, outline: [[0, 0], [100, 0], [100, 50], [0, 50]], zones, sensors, doors }] });
  if (!r.ok) throw new Error(`bench plant invalid: ${JSON.stringify(r.problems.slice(0, 3))}`);
  return indexFacility(r.facility);
}

function readings(n: number): TelemetryRecord[] {
  const next = rng(1);
  const out: TelemetryRecord[] = new Array(n);
  const sensors = ZONES * SENSORS_PER_ZONE;
  for (let i = 0; i < n; i++) {
    const s = i % sensors, z = Math.floor(s / SENSORS_PER_ZONE);
    out[i] = { ts: T0 + Math.floor(i / sensors) * 60_000, sensor: `T${z}-${s % SENSORS_PER_ZONE}`, value: 20 + (next() - 0.5) * 2.6 };
  }
  return out;
}

/** Door traffic with anomalies and operator actions, in ts order. */
function events(n: number): EventRecord[] {
  const next = rng(2);
  const out: EventRecord[] = [];
  let t = T0;
  while (out.length < n) {
    t += 1000 + Math.floor(next() * 4000);
    const door = `D${Math.floor(next() * DOORS)}`;
    const p = next();
    if (p < 0.02) { out.push({ ts: t, type: 'door.opened', door }, { ts: t + 5000, type: 'door.closed', door }); continue; } // forced
    if (p < 0.03) { for (let k = 0; k < 3; k++) out.push({ ts: t + k * 5000, type: 'access.denied', door, badge: 'B-1' }); t += 15_000; continue; }
    out.push({ ts: t, type: 'access.granted', door, badge: `B-${Math.floor(next() * 500)}` }, { ts: t + 1000, type: 'door.opened', door }, { ts: t + 6000, type: 'door.closed', door });
    t += 6000;
  }
  return out.slice(0, n);
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => void, runs = 3): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export async function run(): Promise<BenchResult[]> {
  const ix = plant();
  const tel = readings(1_000_000);
  const ev = events(1_000_000);
  let raised = 0;
  const stabilityMs = time(() => { computeStability(ix, tel); });
  const alarmsMs = time(() => { raised = computeResponse(ix, ev).raised; });
  const days = ((ev.at(-1)!.ts - T0) / 86_400_000).toFixed(1);
  return [
    { name: 'stability over 1 M readings', figure: stabilityMs, unit: 'ms', dataSize: `1,000,000 readings, ${ZONES * SENSORS_PER_ZONE} sensors in ${ZONES} critical zones, ${(tel.length / (ZONES * SENSORS_PER_ZONE) / 1440).toFixed(1)} days at 1/min` },
    { name: 'alarms and response over 1 M events', figure: alarmsMs, unit: 'ms', dataSize: `1,000,000 events at ${DOORS} reader doors over ${days} days, ${raised.toLocaleString('en-US')} alarms raised` },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(0)} ${r.unit} (${r.dataSize})`);
}
