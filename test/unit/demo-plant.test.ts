// The shipped demo plant: it loads, it shows what the product is for
// (clean rooms behind airlocks, readers, cameras, sensors, HVAC), and the
// committed JSON is exactly what the generator writes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { Facility, SensorKind, Zone } from '../../src/core/facility/schema.ts';
import { pointInPolygon, polygonInsidePolygon } from '../../src/core/geometry.ts';
import { buildPlant, PLANT_JSON, serializePlant } from '../../server/demo/build-plant.ts';

const TEXT = readFileSync(PLANT_JSON, 'utf8');

function load(): Facility {
  const r = loadFacility(JSON.parse(TEXT));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.reason}`).join('\n'));
  return r.facility;
}

const plant = load();
const ix = indexFacility(plant);
const zones = [...ix.zones.values()].map((z) => z.zone);
const doors = plant.floors.flatMap((f) => f.doors);
const cameras = plant.floors.flatMap((f) => f.cameras);
const sensors = plant.floors.flatMap((f) => f.sensors);
const isAirlock = (z: Zone) => /airlock/i.test(z.name);
const cleanrooms = zones.filter((z) => z.kind === 'cleanroom' && !isAirlock(z));

describe('demo plant', () => {
  it('loads, with two storeys of about 120 × 70 m', () => {
    expect(plant.id).toBe('demo-plant');
    expect(plant.floors.map((f) => f.id)).toEqual(['L1', 'L2']);
    const [l1, l2] = plant.floors;
    expect(l1!.elevation).toBe(0);
    expect(l1!.height).toBeGreaterThanOrEqual(5);
    expect(l2!.elevation).toBeCloseTo(l1!.height, 5);
    expect(l2!.height).toBeGreaterThan(3.5);
    const xs = l1!.outline.map((p) => p[0]), ys = l1!.outline.map((p) => p[1]);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([0, 120, 0, 70]);
  });

  it('sets a time zone and business hours', () => {
    expect(() => new Intl.DateTimeFormat('en', { timeZone: plant.timezone })).not.toThrow();
    expect(plant.timezone).not.toBe('UTC');
    expect(plant.businessHours).toEqual({ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' });
  });

  it('has at least four critical clean rooms of ISO classes 5, 7 and 8', () => {
    expect(cleanrooms.length).toBeGreaterThanOrEqual(4);
    for (const z of cleanrooms) expect(z.critical, z.id).toBe(true);
    const classes = new Set(cleanrooms.map((z) => z.isoClass));
    for (const c of [5, 7, 8]) expect(classes.has(c), `ISO ${c}`).toBe(true);
    // the electronics assembly room is upstairs
    expect(plant.floors[1]!.zones.some((z) => z.kind === 'cleanroom' && !isAirlock(z) && z.isoClass === 7)).toBe(true);
  });

  it('reaches every clean room through an airlock', () => {
    for (const room of cleanrooms) {
      const reached = (ix.doorsByZone.get(room.id) ?? []).some((d) => d.zones.some((id) => id !== room.id && id !== 'outside' && isAirlock(ix.zones.get(id)!.zone)));
      expect(reached, room.id).toBe(true);
    }
    for (const z of zones.filter(isAirlock)) expect(['cleanroom', 'utility']).toContain(z.kind);
  });

  it('has a critical server room, a warehouse with racks, a production hall with machines, a dock, offices and corridors', () => {
    const kinds = (k: string) => zones.filter((z) => z.kind === k);
    expect(kinds('server-room').length).toBeGreaterThanOrEqual(1);
    for (const z of kinds('server-room')) expect(z.critical).toBe(true);
    expect(kinds('loading-dock').length).toBeGreaterThanOrEqual(1);
    expect(kinds('office').length).toBeGreaterThanOrEqual(3);
    expect(kinds('corridor').length).toBeGreaterThanOrEqual(2);
    const l1 = plant.floors[0]!;
    const inside = (zoneId: string) => l1.obstacles.filter((o) => polygonInsidePolygon(o.polygon, ix.zones.get(zoneId)!.zone.polygon));
    const racks = inside('WH-100');
    expect(racks.length).toBeGreaterThanOrEqual(6);
    expect(Math.min(...racks.map((o) => o.height))).toBeGreaterThanOrEqual(2.5);
    expect(Math.max(...racks.map((o) => o.height))).toBeLessThanOrEqual(8);
    expect(inside('PH-100').length).toBeGreaterThanOrEqual(4);
  });

  it('has both stairs on both floors at the same plan position', () => {
    for (const name of ['Stair 1', 'Stair 2']) {
      const found = plant.floors.map((f) => f.zones.find((z) => z.name === name));
      expect(found.every(Boolean), name).toBe(true);
      expect(found[0]!.polygon).toEqual(found[1]!.polygon);
    }
  });

  it('gives every critical zone a temperature spec, a coverage spec and at least two temperature sensors', () => {
    const critical = zones.filter((z) => z.critical);
    expect(critical.length).toBeGreaterThanOrEqual(6);
    for (const z of critical) {
      expect(z.temperature, z.id).toBeDefined();
      expect(z.coverage, z.id).toBeDefined();
      const temps = (ix.sensorsByZone.get(z.id) ?? []).filter((s) => s.kind === 'temperature');
      expect(temps.length, z.id).toBeGreaterThanOrEqual(2);
    }
    const srv = zones.find((z) => z.kind === 'server-room')!;
    expect(srv.temperature).toMatchObject({ setpoint: 22, tolerance: 3 });
    expect(['identification', 'recognition']).toContain(srv.coverage!.required);
  });

  it('keeps every zone inside its floor and no two zones overlapping', () => {
    for (const f of plant.floors) {
      for (const z of f.zones) expect(polygonInsidePolygon(z.polygon, f.outline), z.id).toBe(true);
      // sample cell centres on a 0.5 m grid: each lies in at most one zone, and the zones tile the floor
      for (let x = 0.25; x < 120; x += 0.5) {
        for (let y = 0.25; y < 70; y += 0.5) {
          if (!pointInPolygon(x, y, f.outline)) continue;
          const n = f.zones.filter((z) => pointInPolygon(x, y, z.polygon)).length;
          if (n !== 1) expect.fail(`${f.id} (${x}, ${y}) lies in ${n} zones`);
        }
      }
    }
  });

  it('has named walls on every floor', () => {
    for (const f of plant.floors) {
      expect(f.walls.length).toBeGreaterThanOrEqual(10);
      for (const w of f.walls) expect(w.id).toMatch(new RegExp(`^W-${f.id}-\\d{3}$`));
    }
  });

  it('has at least 30 doors, 15 with readers, exterior doors to "outside", some with their own held-open time', () => {
    expect(doors.length).toBeGreaterThanOrEqual(30);
    expect(doors.filter((d) => d.reader).length).toBeGreaterThanOrEqual(15);
    expect(doors.some((d) => d.zones[1] === 'outside')).toBe(true);
    const held = new Set(doors.map((d) => d.heldOpenSeconds));
    expect(held.has(300)).toBe(true);
    expect(held.has(20)).toBe(true);
    // the server room and the dock are access-controlled
    for (const kind of ['server-room', 'loading-dock']) {
      const z = zones.find((q) => q.kind === kind)!;
      expect((ix.doorsByZone.get(z.id) ?? []).some((d) => d.reader), kind).toBe(true);
    }
  });

  it('has at least 24 cameras of 3 or more models, placed inside the floor and mounted sensibly', () => {
    expect(cameras.length).toBeGreaterThanOrEqual(24);
    expect(new Set(cameras.map((c) => c.model)).size).toBeGreaterThanOrEqual(3);
    expect(cameras.some((c) => c.ndaaCompliant === false)).toBe(true);
    for (const f of plant.floors) {
      for (const c of f.cameras) {
        expect(pointInPolygon(c.position[0], c.position[1], f.outline), c.id).toBe(true);
        expect(c.mountHeight, c.id).toBeGreaterThanOrEqual(2.7);
        expect(c.mountHeight, c.id).toBeLessThanOrEqual(5);
        expect(c.tilt, c.id).toBeGreaterThanOrEqual(15);
        expect(c.tilt, c.id).toBeLessThanOrEqual(45);
        expect(c.manufacturer && c.model, c.id).toBeTruthy();
      }
    }
  });

  it('has at least 80 sensors, each standing inside its zone', () => {
    expect(sensors.length).toBeGreaterThanOrEqual(80);
    const kinds = new Set(sensors.map((s) => s.kind));
    for (const k of ['temperature', 'humidity', 'differential-pressure', 'co2', 'occupancy', 'power', 'airflow', 'fan-status']) expect(kinds.has(k as SensorKind), k).toBe(true);
    for (const s of sensors) {
      const z = ix.zones.get(s.zone)!;
      expect(s.position, s.id).toBeDefined();
      const [x, y, h] = s.position!;
      expect(pointInPolygon(x, y, z.zone.polygon), s.id).toBe(true);
      expect(h, s.id).toBeGreaterThanOrEqual(1.5);
      expect(h, s.id).toBeLessThanOrEqual(3);
    }
    for (const s of sensors.filter((q) => q.kind === 'fan-status' || q.kind === 'airflow')) expect(s.hvacUnit, s.id).toBeDefined();
  });

  it('has at least 4 HVAC units, one a CRAC serving the server room, each with a power sensor', () => {
    expect(plant.hvacUnits.length).toBeGreaterThanOrEqual(4);
    const srv = zones.find((z) => z.kind === 'server-room')!;
    expect(plant.hvacUnits.some((u) => u.kind === 'CRAC' && u.serves.includes(srv.id))).toBe(true);
    for (const u of plant.hvacUnits) {
      expect(sensors.some((s) => s.kind === 'power' && s.hvacUnit === u.id), u.id).toBe(true);
      if (u.kind === 'AHU') expect(sensors.some((s) => s.kind === 'fan-status' && s.hvacUnit === u.id), u.id).toBe(true);
    }
    // every critical zone is conditioned by some unit
    for (const z of zones.filter((q) => q.critical)) expect(ix.hvacByZone.get(z.id)?.length, z.id).toBeGreaterThan(0);
  });

  it('is what the generator writes, byte for byte', () => {
    const built = buildPlant();
    expect(JSON.parse(TEXT)).toEqual(built);
    expect(serializePlant(built)).toBe(TEXT);
    expect(buildPlant()).toEqual(built);
  });
});
