import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { validateRecord } from '../../src/core/parse.ts';
import { replay } from '../../src/core/reducer.ts';
import { isEvent, type TwinRecord } from '../../src/core/records.ts';
import { PlantSimulator } from '../../server/sim/simulator.ts';
import { reducerDetector } from '../../server/sim/detector.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../../server/demo/plant.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('demo plant invalid');
const ix = indexFacility(loaded.facility);
const START = Date.parse('2026-11-02T00:00:00Z'); // a Monday
const DAY = 86_400_000;
const INTERVAL_MS = 300_000;

function simulate(days: number, seed = 7, chunkMs = 3_600_000) {
  const detect = reducerDetector(ix);
  const sim = new PlantSimulator(ix, START, { seed, detectAlarms: detect, telemetryIntervalMs: INTERVAL_MS });
  const records: TwinRecord[] = [];
  for (let t = START; t < START + days * DAY; t += chunkMs) records.push(...sim.advanceTo(Math.min(t + chunkMs, START + days * DAY)));
  return { records, detect };
}

describe('plant simulator', () => {
  const { records, detect } = simulate(4);

  it('emits only valid records, in ts order, that the reducer accepts', () => {
    for (let i = 1; i < records.length; i++) expect(records[i]!.ts).toBeGreaterThanOrEqual(records[i - 1]!.ts);
    const bad = records.map((r) => validateRecord(r, ix)).filter((r) => !r.ok);
    expect(bad).toEqual([]);
    expect(detect.rejections).toEqual([]);
    const { rejected } = replay(ix, records);
    expect(rejected).toEqual([]);
  }, 30_000);

  it('is deterministic from its seed, whatever the chunking', () => {
    const again = simulate(1, 7, 600_000).records;
    const firstDay = records.filter((r) => r.ts < START + DAY);
    expect(again).toEqual(firstDay);
    const other = simulate(1, 8).records;
    expect(other).not.toEqual(firstDay);
  });

  it('reads every sensor at its interval', () => {
    const perSensor = new Map<string, number>();
    for (const r of records) if (!isEvent(r)) perSensor.set(r.sensor, (perSensor.get(r.sensor) ?? 0) + 1);
    expect(perSensor.size).toBe(ix.sensorIds.length);
    for (const n of perSensor.values()) expect(n).toBe((4 * DAY) / INTERVAL_MS);
  });

  it('raises every kind of alarm and answers most as sim operators', () => {
    const { state } = replay(ix, records);
    const alarms = Object.values(state.alarms);
    const kinds = new Set(alarms.map((a) => a.kind));
    for (const kind of ['door-held', 'door-forced', 'denied-burst', 'after-hours']) expect(kinds, kind).toContain(kind);
    const acked = alarms.filter((a) => a.acknowledgedAt !== null);
    expect(acked.length / alarms.length).toBeGreaterThanOrEqual(0.7);
    for (const a of acked) expect(a.acknowledgedBy).toMatch(/^sim:operator-\d$/);
    const events = records.filter(isEvent);
    expect(events.some((e) => e.type === 'camera.offline')).toBe(true);
  });

  it('holds critical zones near setpoint while HVAC runs', () => {
    const { state } = replay(ix, records);
    for (const [id, { sensor }] of ix.sensors) {
      if (sensor.kind !== 'temperature') continue;
      const spec = ix.zones.get(sensor.zone)!.zone.temperature;
      if (!spec) continue;
      const v = state.sensors[id]!.value;
      expect(Math.abs(v - spec.setpoint), id).toBeLessThan(spec.tolerance + 10);
    }
  });
});

describe('plant simulator on a plant whose only reader door is critical', () => {
  it('runs through nights and weekends (no empty choice)', () => {
    const tiny = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')));
    if (!tiny.ok) throw new Error('fixture');
    const tix = indexFacility(tiny.facility);
    const sim = new PlantSimulator(tix, START, { seed: 3, detectAlarms: reducerDetector(tix), anomalyScale: 20, telemetryIntervalMs: INTERVAL_MS });
    const records = sim.advanceTo(START + 7 * DAY);
    expect(records.length).toBeGreaterThan(0);
    expect(replay(tix, records).rejected).toEqual([]);
  });
});
