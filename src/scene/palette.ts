// Colours of the twin: a calm dark theme and colour-blind-safe categorical
// palettes (Okabe–Ito for kinds, Paul Tol's light scheme for HVAC units). Pure hex
// strings so the HUD legend, the scene and the browser tests share them.
import type { SensorKind, ZoneKind } from '../core/facility/schema.ts';

/** Canvas background. */
export const BACKGROUND = '#0d1117';
/** Floor slab top. */
export const SLAB = '#1a222c';
/** Walls (lit). */
export const WALL = '#98a4b3';
/** Obstacles: racks, machines, casings. */
export const OBSTACLE = '#5d6b7c';
/** Wall and outline edges. */
export const EDGE = '#e6edf3';
/** Selection outline. */
export const SELECTION = '#ffffff';
/** Hover outline. */
export const HOVER = '#f0e442';
/** The open incident's door and covering cameras (the frustum hue, at full strength). */
export const INCIDENT = '#56b4e9';
/** Badge trails of the open incident, one per badge in turn (Okabe–Ito, none of the door or incident hues). */
export const TRAIL_COLORS = ['#cc79a7', '#f0e442', '#009e73', '#e6edf3', '#0072b2', '#e69f00'] as const;
/** The colour of the `i`-th badge's trail (the incident panel shows the same swatch). */
export const trailColor = (i: number): string => TRAIL_COLORS[i % TRAIL_COLORS.length]!;

/** Zone kinds: Okabe–Ito where it has a hue, neutral tones for the rest. */
export const ZONE_KIND_COLORS: Record<ZoneKind, string> = {
  cleanroom: '#56b4e9',
  production: '#e69f00',
  warehouse: '#f0e442',
  office: '#cc79a7',
  corridor: '#7f8a99',
  'server-room': '#3a7fc4',
  lab: '#009e73',
  utility: '#d55e00',
  'loading-dock': '#a88f68',
  other: '#b0a4e3',
};

/** Human names of zone kinds, for legends. */
export const ZONE_KIND_LABELS: Record<ZoneKind, string> = {
  cleanroom: 'Clean room', production: 'Production', warehouse: 'Warehouse', office: 'Office', corridor: 'Corridor',
  'server-room': 'Server room', lab: 'Laboratory', utility: 'Utility', 'loading-dock': 'Loading dock', other: 'Other',
};

/** Sensor kinds: colour and shape both differ, so colour is never the only cue. */
export const SENSOR_KIND_COLORS: Record<SensorKind, string> = {
  temperature: '#d55e00',
  humidity: '#56b4e9',
  'differential-pressure': '#cc79a7',
  co2: '#f0e442',
  occupancy: '#009e73',
  power: '#e69f00',
  airflow: '#8fd3ff',
  'fan-status': '#e8e8e8',
  other: '#9aa3ad',
};

export const SENSOR_KIND_LABELS: Record<SensorKind, string> = {
  temperature: 'Temperature', humidity: 'Humidity', 'differential-pressure': 'Differential pressure', co2: 'CO₂',
  occupancy: 'Occupancy', power: 'Power', airflow: 'Airflow', 'fan-status': 'Fan status', other: 'Other',
};

/** Doors: plain, access-controlled, and the live states of a later issue. */
export const DOOR_COLORS = {
  plain: '#b9c3cf',
  reader: '#e69f00',
  open: '#009e73',
  held: '#f0e442',
  forced: '#d55e00',
} as const;

/** Cameras: bodies and view frusta. */
export const CAMERA_COLORS = { body: '#e6edf3', offline: '#d55e00', frustum: '#56b4e9' } as const;

/** Share of the kind colour in a zone's floor fill; the rest is background (keeps labels readable). */
export const ZONE_FLOOR_MIX = 0.5;

/** `#rrggbb` → [r, g, b] in 0–255. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** [r, g, b] in 0–255 → `#rrggbb`. */
export function rgbToHex(rgb: readonly [number, number, number]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** Mixes `a` toward `b` by `t` (0 = a, 1 = b) in sRGB. */
export function mixHex(a: string, b: string, t: number): string {
  const x = hexToRgb(a), y = hexToRgb(b);
  return rgbToHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/** The floor fill of a zone of this kind, as drawn (unlit, no tone mapping). */
export function zoneFloorHex(kind: ZoneKind): string {
  return mixHex(SLAB, ZONE_KIND_COLORS[kind], ZONE_FLOOR_MIX);
}

/**
 * HVAC units: Paul Tol's "light" qualitative scheme (colour-blind safe, and
 * light enough for a dark background); more units than colours repeat it.
 */
export const HVAC_UNIT_COLORS = ['#77aadd', '#ee8866', '#eedd88', '#ffaabb', '#99ddff', '#44bb99', '#bbcc33', '#aaaa00', '#dddddd'] as const;

/** Share of the unit colour in the HVAC overlay; the rest is the slab colour. */
export const HVAC_FLOOR_MIX = 0.7;

/** The colour of HVAC unit `i` (model order). */
export function hvacUnitHex(i: number): string {
  return HVAC_UNIT_COLORS[i % HVAC_UNIT_COLORS.length]!;
}

/** The HVAC overlay fill of unit `i`, as drawn. */
export function hvacFloorHex(i: number): string {
  return mixHex(SLAB, hvacUnitHex(i), HVAC_FLOOR_MIX);
}
