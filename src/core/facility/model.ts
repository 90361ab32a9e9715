// Lookups over a loaded facility, built once: every consumer (metrics,
// reducer, scene, inspector) asks the same index instead of re-scanning.
import type { Camera, Door, Facility, Floor, HvacUnit, Sensor, Zone } from './schema.ts';

/** What an id names, with the floor it stands on (HVAC units stand on none). */
export type Entity =
  | { kind: 'floor'; floor: Floor; item: Floor }
  | { kind: 'zone'; floor: Floor; item: Zone }
  | { kind: 'door'; floor: Floor; item: Door }
  | { kind: 'camera'; floor: Floor; item: Camera }
  | { kind: 'sensor'; floor: Floor; item: Sensor }
  | { kind: 'hvac'; floor: null; item: HvacUnit };

export interface FacilityIndex {
  facility: Facility;
  byId: Map<string, Entity>;
  zones: Map<string, { zone: Zone; floor: Floor }>;
  doors: Map<string, { door: Door; floor: Floor }>;
  cameras: Map<string, { camera: Camera; floor: Floor }>;
  sensors: Map<string, { sensor: Sensor; floor: Floor }>;
  hvacUnits: Map<string, HvacUnit>;
  /** Sensors standing in each zone, in model order. */
  sensorsByZone: Map<string, Sensor[]>;
  /** Doors touching each zone. */
  doorsByZone: Map<string, Door[]>;
  /** HVAC units serving each zone. */
  hvacByZone: Map<string, HvacUnit[]>;
  /** Stable dense index of each sensor, for typed-array live buffers. */
  sensorSlot: Map<string, number>;
  sensorIds: string[];
}

/** Builds the lookups of a validated facility. */
export function indexFacility(facility: Facility): FacilityIndex {
  const ix: FacilityIndex = {
    facility, byId: new Map(), zones: new Map(), doors: new Map(), cameras: new Map(), sensors: new Map(),
    hvacUnits: new Map(), sensorsByZone: new Map(), doorsByZone: new Map(), hvacByZone: new Map(),
    sensorSlot: new Map(), sensorIds: [],
  };
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) list.push(v); else m.set(k, [v]);
  };
  for (const floor of facility.floors) {
    ix.byId.set(floor.id, { kind: 'floor', floor, item: floor });
    for (const zone of floor.zones) {
      ix.byId.set(zone.id, { kind: 'zone', floor, item: zone });
      ix.zones.set(zone.id, { zone, floor });
    }
    for (const door of floor.doors) {
      ix.byId.set(door.id, { kind: 'door', floor, item: door });
      ix.doors.set(door.id, { door, floor });
      for (const z of door.zones) if (z !== 'outside') push(ix.doorsByZone, z, door);
    }
    for (const camera of floor.cameras) {
      ix.byId.set(camera.id, { kind: 'camera', floor, item: camera });
      ix.cameras.set(camera.id, { camera, floor });
    }
    for (const sensor of floor.sensors) {
      ix.byId.set(sensor.id, { kind: 'sensor', floor, item: sensor });
      ix.sensors.set(sensor.id, { sensor, floor });
      push(ix.sensorsByZone, sensor.zone, sensor);
      ix.sensorSlot.set(sensor.id, ix.sensorIds.length);
      ix.sensorIds.push(sensor.id);
    }
  }
  for (const unit of facility.hvacUnits) {
    ix.byId.set(unit.id, { kind: 'hvac', floor: null, item: unit });
    ix.hvacUnits.set(unit.id, unit);
    for (const z of unit.serves) push(ix.hvacByZone, z, unit);
  }
  return ix;
}
