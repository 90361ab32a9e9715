// Materials and small instance geometries shared by every floor: made once
// for the page's lifetime (so never disposed), so floors add draw calls,
// not programs.
import type { BufferGeometry} from 'three';
import {
  BoxGeometry, ConeGeometry, CylinderGeometry, DodecahedronGeometry, DoubleSide, IcosahedronGeometry,
  LineBasicMaterial, MeshBasicMaterial, MeshLambertMaterial, OctahedronGeometry, TetrahedronGeometry, TorusGeometry,
} from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { SensorKind } from '../core/facility/schema.ts';
import { CAMERA_COLORS, HOVER, INCIDENT, SELECTION } from './palette.ts';

export const materials = {
  /** Slab and zone floors: unlit, so a zone shows exactly its palette colour. */
  base: new MeshBasicMaterial({ vertexColors: true }),
  walls: new MeshLambertMaterial({ vertexColors: true }),
  edges: new LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.55 }),
  /** Cut-away floors above the active one: their edges only, faint. */
  ghostEdges: new LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.12, depthWrite: false }),
  volumes: new MeshBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.09, depthWrite: false, side: DoubleSide }),
  hvac: new MeshBasicMaterial({ vertexColors: true, polygonOffset: true, polygonOffsetFactor: -1, polygonOffsetUnits: -1 }),
  frustumEdges: new LineBasicMaterial({ color: CAMERA_COLORS.frustum, transparent: true, opacity: 0.5 }),
  /** Instanced markers (doors, cameras, sensors): colour per instance. */
  instances: new MeshLambertMaterial({ color: '#ffffff' }),
  selection: new LineBasicMaterial({ color: SELECTION, depthTest: false, transparent: true }),
  selectionFill: new MeshBasicMaterial({ color: SELECTION, transparent: true, opacity: 0.16, depthWrite: false, depthTest: false, side: DoubleSide }),
  hover: new LineBasicMaterial({ color: HOVER, depthTest: false, transparent: true }),
  hoverFill: new MeshBasicMaterial({ color: HOVER, transparent: true, opacity: 0.12, depthWrite: false, depthTest: false, side: DoubleSide }),
  /** The open incident's door and covering cameras, with their frusta and footprints. */
  incident: new LineBasicMaterial({ color: INCIDENT, depthTest: false, transparent: true }),
  incidentFill: new MeshBasicMaterial({ color: INCIDENT, transparent: true, opacity: 0.18, depthWrite: false, depthTest: false, side: DoubleSide }),
};

/** A unit box (1 m) centred on the origin: doors and reader pads are scaled instances of it. */
export const unitBox = new BoxGeometry(1, 1, 1);

/** A camera body pointing along +x (three's local frame): housing plus lens. */
export const cameraBody: BufferGeometry = (() => {
  const housing = new BoxGeometry(0.5, 0.22, 0.24).translate(-0.15, 0, 0);
  const lens = new CylinderGeometry(0.08, 0.1, 0.12, 10).rotateZ(Math.PI / 2).translate(0.16, 0, 0);
  const merged = mergeGeometries([housing.toNonIndexed(), lens.toNonIndexed()]);
  housing.dispose(); lens.dispose();
  if (!merged) throw new Error('Twinspace: camera body geometry could not be merged');
  return merged;
})();

/** Sensor marker radius, m. */
export const SENSOR_SIZE_M = 0.32;
const s = SENSOR_SIZE_M;

/** A distinct low-poly shape per sensor kind (shape and colour both tell the kind). */
export const sensorShapes: Record<SensorKind, BufferGeometry> = {
  temperature: new IcosahedronGeometry(s, 0),
  humidity: new OctahedronGeometry(s * 1.1, 0),
  'differential-pressure': new BoxGeometry(s * 1.4, s * 1.4, s * 1.4),
  co2: new TetrahedronGeometry(s * 1.3, 0),
  occupancy: new CylinderGeometry(s, s, s * 1.4, 6),
  power: new ConeGeometry(s, s * 1.8, 6),
  airflow: new TorusGeometry(s * 0.8, s * 0.3, 4, 8),
  'fan-status': new DodecahedronGeometry(s, 0),
  other: new BoxGeometry(s, s * 2, s),
};
