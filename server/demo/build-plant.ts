// Builds the demo plant shipped with the server (server/demo/plant.json): a
// two-storey pharmaceutical fill-finish and electronics plant, 120 × 70 m.
// Deterministic: the same code always writes the same bytes, and the unit
// test checks that the committed JSON is what this script produces.
//
//   npx tsx server/demo/build-plant.ts      validates, then writes plant.json
//
// Plan: x east 0..120, y north 0..70. L1 (ground, 6 m) covers the whole
// footprint; the warehouse and dock on the east (x ≥ 84) are a 10.5 m high
// bay with no storey above, so L2 (offices, electronics clean rooms, server
// room, HVAC plant room) covers x 0..84 only.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { formatProblems, loadFacility } from '../../src/core/facility/validate.ts';
import type { CoverageLevel as Level, facilitySchema, SensorKind, ZoneKind } from '../../src/core/facility/schema.ts';

type Pt = [number, number];
type Pt3 = [number, number, number];

/** A zone as written to the document (facility-format.md, Zone). */
interface ZoneDoc {
  id: string; name: string; kind: ZoneKind; polygon: Pt[];
  critical?: boolean; isoClass?: number;
  temperature?: { setpoint: number; tolerance: number; alarmDelayMinutes: number };
  coverage?: { required: Level; target: number };
}
interface WallDoc { id: string; from: Pt; to: Pt; height?: number; thickness?: number }
interface ObstacleDoc { id: string; name: string; polygon: Pt[]; height: number }
interface DoorDoc { id: string; name: string; position: Pt; width?: number; zones: [string, string]; reader: boolean; heldOpenSeconds?: number }
interface CameraDoc {
  id: string; name: string; position: Pt; mountHeight: number; yaw: number; tilt: number; hfov: number;
  resolution: [number, number]; manufacturer: string; model: string; ndaaCompliant: boolean;
}
interface SensorDoc { id: string; kind: SensorKind; zone: string; hvacUnit?: string; position: Pt3 }
interface FloorDoc {
  id: string; name: string; elevation: number; height: number; outline: Pt[];
  zones: ZoneDoc[]; walls: WallDoc[]; obstacles: ObstacleDoc[]; doors: DoorDoc[]; cameras: CameraDoc[]; sensors: SensorDoc[];
}
interface HvacDoc { id: string; name: string; kind: string; serves: string[] }
/** The whole demo document, in the shape of `twinspace.facility/1`. */
export interface PlantDoc {
  format: 'twinspace.facility/1'; id: string; name: string; timezone: string;
  businessHours: { days: number[]; start: string; end: string };
  floors: FloorDoc[]; hvacUnits: HvacDoc[];
}
/** What the schema accepts; `main` assigns a PlantDoc to it, so tsc fails if the two drift apart. */
type FacilityInput = z.input<typeof facilitySchema>;

// ───────────────────────────── helpers ─────────────────────────────

/** Rounds to millimetres so sums like 0.1 + 0.2 print cleanly. */
const mm = (v: number): number => Math.round(v * 1000) / 1000;

/** Axis-aligned rectangle, counter-clockwise from the south-west corner. */
function rect(x0: number, y0: number, x1: number, y1: number): Pt[] {
  return [[mm(x0), mm(y0)], [mm(x1), mm(y0)], [mm(x1), mm(y1)], [mm(x0), mm(y1)]];
}

/** A regular polygon approximating a round tank or vessel. */
function circle(cx: number, cy: number, r: number, sides = 8): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * (i + 0.5)) / sides;
    pts.push([mm(cx + r * Math.cos(a)), mm(cy + r * Math.sin(a))]);
  }
  return pts;
}

/** Bounding box `[x0, y0, x1, y1]` of a polygon. */
function box(poly: readonly Pt[]): [number, number, number, number] {
  const xs = poly.map((p) => p[0]), ys = poly.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

// ───────────────────────────── zones ─────────────────────────────

/** A room of the table: its rectangle plus the zone fields it carries. */
interface Room extends Omit<ZoneDoc, 'polygon'> { rect: [number, number, number, number]; highBay?: boolean }

const temp = (setpoint: number, tolerance: number, alarmDelayMinutes: number) => ({ setpoint, tolerance, alarmDelayMinutes });
const cov = (required: Level, target: number) => ({ required, target });

// Ground floor. South band (y 0..12): lobby, security, stairs, welfare, QC,
// electrical and mechanical rooms. Main corridor y 12..15. North of it: the
// fill-finish clean room suite (x 0..44) round a clean corridor spine, the
// packaging and electronics production hall (x 44..84), then the high bay.
const L1_ROOMS: Room[] = [
  { id: 'LOB-100', name: 'Reception & Lobby', kind: 'other', rect: [0, 0, 14, 12], coverage: cov('recognition', 0.8) },
  { id: 'SEC-100', name: 'Security Control Room', kind: 'office', rect: [14, 0, 20, 12] },
  { id: 'ST-1-L1', name: 'Stair 1', kind: 'other', rect: [20, 0, 26, 12] },
  { id: 'CHG-100', name: 'Locker & Changing Rooms', kind: 'utility', rect: [26, 0, 38, 12] },
  { id: 'CAN-100', name: 'Canteen', kind: 'other', rect: [38, 0, 52, 12] },
  { id: 'QC-100', name: 'QC Microbiology Lab', kind: 'lab', rect: [52, 0, 64, 12] },
  { id: 'ELEC-100', name: 'Main Electrical Room', kind: 'utility', rect: [64, 0, 70, 12] },
  { id: 'MECH-100', name: 'Mechanical Room L1', kind: 'utility', rect: [70, 0, 78, 12] },
  { id: 'ST-2-L1', name: 'Stair 2', kind: 'other', rect: [78, 0, 84, 12] },
  { id: 'COR-101', name: 'Main Corridor L1', kind: 'corridor', rect: [0, 12, 84, 15], coverage: cov('detection', 0.9) },
  // fill-finish suite: corridor → gowning → ISO 8 → ISO 7 / ISO 5
  { id: 'CR-101', name: 'Prep & Washing (ISO 8)', kind: 'cleanroom', rect: [0, 15, 19, 33], critical: true, isoClass: 8, temperature: temp(20, 2, 10), coverage: cov('observation', 0.85) },
  { id: 'UTL-101', name: 'Clean Utility', kind: 'utility', rect: [0, 33, 11, 41] },
  { id: 'AL-103', name: 'Gowning Airlock B (ISO 7)', kind: 'cleanroom', rect: [11, 33, 19, 41], critical: true, isoClass: 7, temperature: temp(20, 2.5, 10), coverage: cov('recognition', 0.9) },
  { id: 'CR-102', name: 'Compounding & Buffer Prep (ISO 7)', kind: 'cleanroom', rect: [0, 41, 19, 56], critical: true, isoClass: 7, temperature: temp(19, 2, 5), coverage: cov('observation', 0.9) },
  { id: 'STB-101', name: 'Stability Chamber Room', kind: 'lab', rect: [0, 56, 19, 70], critical: true, temperature: temp(25, 2, 30), coverage: cov('detection', 0.8) },
  { id: 'AL-101', name: 'Gowning Airlock A', kind: 'cleanroom', rect: [19, 15, 25, 21], critical: true, isoClass: 8, temperature: temp(21, 3, 15), coverage: cov('identification', 0.9) },
  { id: 'COR-102', name: 'Clean Corridor (ISO 8)', kind: 'corridor', rect: [19, 21, 25, 70], coverage: cov('observation', 0.8) },
  { id: 'AL-102', name: 'Material Airlock MAL-1', kind: 'utility', rect: [25, 15, 33, 25], coverage: cov('recognition', 0.9) },
  { id: 'AUT-101', name: 'Autoclave & Depyrogenation', kind: 'utility', rect: [25, 25, 33, 36] },
  { id: 'AL-105', name: 'Gowning Airlock C (to ISO 5)', kind: 'cleanroom', rect: [25, 36, 33, 44], critical: true, isoClass: 7, temperature: temp(20, 2, 10), coverage: cov('identification', 0.9) },
  { id: 'INS-101', name: 'Visual Inspection', kind: 'production', rect: [33, 15, 44, 30] },
  { id: 'CR-104', name: 'Capping & Crimping (ISO 8)', kind: 'cleanroom', rect: [33, 30, 44, 44], critical: true, isoClass: 8, temperature: temp(21, 2, 10), coverage: cov('observation', 0.8) },
  { id: 'CR-103', name: 'Aseptic Filling (ISO 5)', kind: 'cleanroom', rect: [25, 44, 44, 70], critical: true, isoClass: 5, temperature: temp(20, 1.5, 3), coverage: cov('recognition', 0.85) },
  { id: 'PH-100', name: 'Production Hall — Packaging & Box Build', kind: 'production', rect: [44, 15, 84, 70], coverage: cov('detection', 0.8) },
  // high bay
  { id: 'WH-100', name: 'Warehouse', kind: 'warehouse', rect: [84, 0, 108, 70], highBay: true, coverage: cov('detection', 0.7) },
  { id: 'CLD-100', name: 'Cold Store 2–8 °C', kind: 'warehouse', rect: [108, 0, 120, 12], highBay: true, critical: true, temperature: temp(5, 3, 15), coverage: cov('detection', 0.8) },
  { id: 'GIN-100', name: 'Goods-In Office', kind: 'office', rect: [108, 12, 120, 22], highBay: true },
  { id: 'DOCK-100', name: 'Loading Dock', kind: 'loading-dock', rect: [108, 22, 120, 70], highBay: true, coverage: cov('observation', 0.8) },
];

// First floor: offices over the south band, server and UPS rooms, an
// office wing on the west, the electronics clean rooms in the middle, the
// HVAC plant room on the east.
const L2_ROOMS: Room[] = [
  { id: 'OFF-201', name: 'Open Office West', kind: 'office', rect: [0, 0, 20, 12] },
  { id: 'ST-1-L2', name: 'Stair 1', kind: 'other', rect: [20, 0, 26, 12] },
  { id: 'OFF-202', name: 'Meeting Rooms', kind: 'office', rect: [26, 0, 36, 12] },
  { id: 'OFF-203', name: 'Open Office East', kind: 'office', rect: [36, 0, 56, 12] },
  { id: 'OFF-204', name: 'Quality & Management Offices', kind: 'office', rect: [56, 0, 68, 12] },
  { id: 'NOC-201', name: 'IT Operations Room', kind: 'office', rect: [68, 0, 78, 12] },
  { id: 'ST-2-L2', name: 'Stair 2', kind: 'other', rect: [78, 0, 84, 12] },
  { id: 'COR-201', name: 'Main Corridor L2', kind: 'corridor', rect: [0, 12, 84, 15], coverage: cov('detection', 0.9) },
  { id: 'SRV-201', name: 'Server Room', kind: 'server-room', rect: [0, 15, 14, 27], critical: true, temperature: temp(22, 3, 10), coverage: cov('recognition', 0.9) },
  { id: 'UPS-201', name: 'UPS & Battery Room', kind: 'utility', rect: [14, 15, 22, 27], coverage: cov('observation', 0.8) },
  { id: 'COR-202', name: 'West Wing Corridor', kind: 'corridor', rect: [22, 15, 25, 70] },
  { id: 'OFF-205', name: 'Engineering Offices', kind: 'office', rect: [0, 27, 22, 48] },
  { id: 'OFF-206', name: 'Training Room', kind: 'office', rect: [0, 48, 22, 60] },
  { id: 'OFF-207', name: 'Break Room', kind: 'office', rect: [0, 60, 22, 70] },
  { id: 'AL-201', name: 'Gowning Airlock E', kind: 'cleanroom', rect: [25, 15, 33, 25], critical: true, isoClass: 8, temperature: temp(22, 3, 15), coverage: cov('recognition', 0.95) },
  { id: 'AL-202', name: 'Gowning Airlock F (ISO 7)', kind: 'cleanroom', rect: [25, 25, 33, 35], critical: true, isoClass: 7, temperature: temp(22, 2, 15), coverage: cov('recognition', 0.9) },
  { id: 'CR-202', name: 'SMT & Reflow (ISO 8)', kind: 'cleanroom', rect: [33, 15, 58, 35], critical: true, isoClass: 8, temperature: temp(22, 2, 10), coverage: cov('observation', 0.8) },
  { id: 'CR-201', name: 'Electronics Assembly (ISO 7)', kind: 'cleanroom', rect: [25, 35, 58, 70], critical: true, isoClass: 7, temperature: temp(22, 1, 10), coverage: cov('observation', 0.9) },
  { id: 'LAB-201', name: 'Electronics Test Lab', kind: 'lab', rect: [58, 15, 72, 35] },
  { id: 'STO-201', name: 'ESD Component Store', kind: 'warehouse', rect: [58, 35, 72, 70] },
  { id: 'MECH-201', name: 'HVAC Plant Room', kind: 'utility', rect: [72, 15, 84, 70] },
];

function zoneOf(room: Room): ZoneDoc {
  const z: ZoneDoc = { id: room.id, name: room.name, kind: room.kind, polygon: rect(...room.rect) };
  if (room.critical) z.critical = true;
  if (room.isoClass !== undefined) z.isoClass = room.isoClass;
  if (room.temperature) z.temperature = room.temperature;
  if (room.coverage) z.coverage = room.coverage;
  return z;
}

// ───────────────────────────── walls ─────────────────────────────

/** Wall heights: storey height except the high bay (no storey above it). */
const HIGH_BAY_WALL_M = 10.5;
const EXTERIOR_THICKNESS_M = 0.3;

/**
 * Walls along every room edge: edges on one line are split at every corner,
 * shared edges kept once (at the taller of their heights), open edges left
 * out, and consecutive pieces of equal height merged into one straight wall.
 * Doors sit on these lines; the spec treats them as closed for sight.
 */
function deriveWalls(floorId: string, rooms: readonly Room[], outline: readonly Pt[], storeyHeight: number, open: readonly [string, string][]): WallDoc[] {
  type Piece = { lo: number; hi: number; height: number; owners: string[] };
  // line key "h:<y>" or "v:<x>" → edge intervals
  const lines = new Map<string, Piece[]>();
  for (const r of rooms) {
    const [x0, y0, x1, y1] = r.rect;
    const height = r.highBay ? HIGH_BAY_WALL_M : storeyHeight;
    const add = (key: string, lo: number, hi: number) => {
      const list = lines.get(key) ?? [];
      list.push({ lo, hi, height, owners: [r.id] });
      lines.set(key, list);
    };
    add(`h:${y0}`, x0, x1); add(`h:${y1}`, x0, x1);
    add(`v:${x0}`, y0, y1); add(`v:${x1}`, y0, y1);
  }
  const [ox0, oy0, ox1, oy1] = box(outline);
  const isOpen = (owners: readonly string[]) => open.some(([a, b]) => owners.includes(a) && owners.includes(b));
  const walls: WallDoc[] = [];
  const keys = [...lines.keys()].sort((a, b) => (a[0] === b[0] ? Number(a.slice(2)) - Number(b.slice(2)) : a < b ? -1 : 1));
  for (const key of keys) {
    const list = lines.get(key)!;
    const at = Number(key.slice(2));
    const cuts = [...new Set(list.flatMap((p) => [p.lo, p.hi]))].sort((a, b) => a - b);
    const pieces: Piece[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i]!, hi = cuts[i + 1]!;
      const covering = list.filter((p) => p.lo <= lo && p.hi >= hi);
      if (covering.length === 0) continue;
      const owners = covering.flatMap((p) => p.owners);
      if (isOpen(owners)) continue;
      const height = Math.max(...covering.map((p) => p.height));
      const prev = pieces[pieces.length - 1];
      if (prev && prev.hi === lo && prev.height === height) prev.hi = hi;
      else pieces.push({ lo, hi, height, owners });
    }
    const horizontal = key.startsWith('h:');
    const exterior = horizontal ? at === oy0 || at === oy1 : at === ox0 || at === ox1;
    for (const p of pieces) {
      const w: WallDoc = {
        id: `W-${floorId}-${String(walls.length + 1).padStart(3, '0')}`,
        from: horizontal ? [p.lo, at] : [at, p.lo],
        to: horizontal ? [p.hi, at] : [at, p.hi],
      };
      if (p.height !== storeyHeight) w.height = p.height;
      if (exterior) w.thickness = EXTERIOR_THICKNESS_M;
      walls.push(w);
    }
  }
  return walls;
}

// ───────────────────────────── doors ─────────────────────────────

/** `[id, name, [x, y], [zone, zone|"outside"], options]` — on the wall line between the two zones. */
type DoorRow = [string, string, Pt, [string, string], { w?: number; reader?: boolean; held?: number }?];

const L1_DOORS: DoorRow[] = [
  ['D-101', 'Main Entrance', [7, 0], ['LOB-100', 'outside'], { w: 2, reader: true }],
  ['D-102', 'Lobby Turnstiles', [7, 12], ['LOB-100', 'COR-101'], { w: 1.8, reader: true }],
  ['D-103', 'Security Control Room', [17, 12], ['SEC-100', 'COR-101'], { reader: true }],
  ['D-104', 'Lobby to Security', [14, 6], ['LOB-100', 'SEC-100'], { reader: true }],
  ['D-105', 'Stair 1 L1', [23, 12], ['ST-1-L1', 'COR-101'], { w: 1.2, reader: true }],
  ['D-106', 'Stair 1 Fire Exit', [23, 0], ['ST-1-L1', 'outside'], { w: 1.2 }],
  ['D-107', 'Changing Rooms', [32, 12], ['CHG-100', 'COR-101']],
  ['D-108', 'Canteen', [45, 12], ['CAN-100', 'COR-101'], { w: 1.8 }],
  ['D-109', 'QC Microbiology Lab', [58, 12], ['QC-100', 'COR-101'], { reader: true }],
  ['D-110', 'Main Electrical Room', [67, 12], ['ELEC-100', 'COR-101'], { w: 1.6, reader: true }],
  ['D-111', 'Mechanical Room L1', [74, 12], ['MECH-100', 'COR-101'], { w: 1.6, reader: true }],
  ['D-112', 'Mechanical Room Service Door', [74, 0], ['MECH-100', 'outside'], { w: 1.6, reader: true }],
  ['D-113', 'Stair 2 L1', [81, 12], ['ST-2-L1', 'COR-101'], { w: 1.2, reader: true }],
  ['D-114', 'Stair 2 Fire Exit', [81, 0], ['ST-2-L1', 'outside'], { w: 1.2 }],
  // fill-finish suite
  ['D-115', 'Gowning Airlock A Entry', [22, 15], ['AL-101', 'COR-101'], { reader: true, held: 20 }],
  ['D-116', 'Gowning Airlock A to Clean Corridor', [22, 21], ['AL-101', 'COR-102'], { reader: true, held: 20 }],
  ['D-117', 'Gowning Airlock A to Prep & Washing', [19, 18], ['AL-101', 'CR-101'], { held: 20 }],
  ['D-118', 'Prep & Washing to Clean Corridor', [19, 28], ['CR-101', 'COR-102'], { held: 20 }],
  ['D-119', 'Clean Utility', [5.5, 33], ['UTL-101', 'CR-101'], { held: 20 }],
  ['D-120', 'Gowning Airlock B Entry', [19, 37], ['AL-103', 'COR-102'], { reader: true, held: 20 }],
  ['D-121', 'Gowning Airlock B to Compounding', [15, 41], ['AL-103', 'CR-102'], { held: 20 }],
  ['D-122', 'Stability Chamber Room', [19, 63], ['STB-101', 'COR-102'], { reader: true }],
  ['D-123', 'Material Airlock MAL-1 Entry', [29, 15], ['AL-102', 'COR-101'], { w: 1.6, reader: true, held: 60 }],
  ['D-124', 'Material Airlock MAL-1 to Clean Corridor', [25, 23], ['AL-102', 'COR-102'], { w: 1.6, held: 60 }],
  ['D-125', 'Autoclave Room', [25, 30.5], ['AUT-101', 'COR-102'], { w: 1.6, held: 60 }],
  ['D-126', 'Gowning Airlock C Entry', [25, 40], ['AL-105', 'COR-102'], { reader: true, held: 20 }],
  ['D-127', 'Gowning Airlock C to Aseptic Filling', [29, 44], ['AL-105', 'CR-103'], { reader: true, held: 20 }],
  ['D-128', 'Gowning Airlock C to Capping', [33, 40], ['AL-105', 'CR-104'], { held: 20 }],
  ['D-129', 'Capping to Visual Inspection', [38.5, 30], ['CR-104', 'INS-101'], { w: 1.2, held: 20 }],
  ['D-130', 'Visual Inspection', [38.5, 15], ['INS-101', 'COR-101'], { w: 1.2 }],
  ['D-131', 'Visual Inspection to Production Hall', [44, 22], ['INS-101', 'PH-100'], { w: 1.6 }],
  ['D-132', 'Clean Corridor Emergency Exit', [22, 70], ['COR-102', 'outside'], { w: 1.2 }],
  // production hall and high bay
  ['D-133', 'Production Hall Main Doors', [64, 15], ['PH-100', 'COR-101'], { w: 2.4, reader: true }],
  ['D-134', 'Production Hall Emergency Exit', [64, 70], ['PH-100', 'outside'], { w: 1.2 }],
  ['D-135', 'Production Hall to Warehouse High-Speed Door', [84, 36], ['PH-100', 'WH-100'], { w: 3.6, reader: true, held: 120 }],
  ['D-136', 'Corridor to Warehouse', [84, 13.5], ['WH-100', 'COR-101'], { reader: true }],
  ['D-137', 'Warehouse Emergency Exit', [96, 0], ['WH-100', 'outside'], { w: 1.2 }],
  ['D-138', 'Cold Store Door', [108, 6], ['CLD-100', 'WH-100'], { w: 2, reader: true, held: 60 }],
  ['D-139', 'Goods-In Office to Warehouse', [108, 17], ['GIN-100', 'WH-100']],
  ['D-140', 'Goods-In Office to Dock', [114, 22], ['GIN-100', 'DOCK-100']],
  ['D-141', 'Warehouse to Dock', [108, 36], ['WH-100', 'DOCK-100'], { w: 6, held: 300 }],
  ['D-142', 'Dock Door 1', [120, 30], ['DOCK-100', 'outside'], { w: 3, reader: true, held: 300 }],
  ['D-143', 'Dock Door 2', [120, 40], ['DOCK-100', 'outside'], { w: 3, reader: true, held: 300 }],
  ['D-144', 'Dock Door 3', [120, 50], ['DOCK-100', 'outside'], { w: 3, reader: true, held: 300 }],
  ['D-145', 'Dock Door 4', [120, 60], ['DOCK-100', 'outside'], { w: 3, reader: true, held: 300 }],
  ['D-146', 'Dock Personnel Door', [120, 25], ['DOCK-100', 'outside'], { reader: true }],
];

const L2_DOORS: DoorRow[] = [
  ['D-201', 'Stair 1 L2', [23, 12], ['ST-1-L2', 'COR-201'], { w: 1.2, reader: true }],
  ['D-202', 'Stair 2 L2', [81, 12], ['ST-2-L2', 'COR-201'], { w: 1.2, reader: true }],
  ['D-203', 'Open Office West', [10, 12], ['OFF-201', 'COR-201'], { w: 1.6 }],
  ['D-204', 'Meeting Rooms', [31, 12], ['OFF-202', 'COR-201']],
  ['D-205', 'Open Office East', [46, 12], ['OFF-203', 'COR-201'], { w: 1.6 }],
  ['D-206', 'Quality & Management Offices', [62, 12], ['OFF-204', 'COR-201']],
  ['D-207', 'IT Operations Room', [73, 12], ['NOC-201', 'COR-201'], { reader: true }],
  ['D-208', 'Server Room', [7, 15], ['SRV-201', 'COR-201'], { w: 1.2, reader: true, held: 15 }],
  ['D-209', 'UPS & Battery Room', [22, 21], ['UPS-201', 'COR-202'], { w: 1.2, reader: true }],
  ['D-210', 'Server Room to UPS Room', [14, 21], ['SRV-201', 'UPS-201'], { reader: true, held: 15 }],
  ['D-211', 'Engineering Offices', [22, 37.5], ['OFF-205', 'COR-202']],
  ['D-212', 'Training Room', [22, 54], ['OFF-206', 'COR-202'], { w: 1.6 }],
  ['D-213', 'Break Room', [22, 65], ['OFF-207', 'COR-202']],
  ['D-214', 'Gowning Airlock E Entry', [29, 15], ['AL-201', 'COR-201'], { reader: true, held: 20 }],
  ['D-215', 'Gowning Airlock E to SMT & Reflow', [33, 20], ['AL-201', 'CR-202'], { held: 20 }],
  ['D-216', 'Gowning Airlock E to Airlock F', [29, 25], ['AL-201', 'AL-202'], { reader: true, held: 20 }],
  ['D-217', 'Gowning Airlock F to Electronics Assembly', [29, 35], ['AL-202', 'CR-201'], { held: 20 }],
  ['D-218', 'Electronics Assembly Emergency Exit', [25, 62], ['CR-201', 'COR-202'], { w: 1.2 }],
  ['D-219', 'Electronics Test Lab', [65, 15], ['LAB-201', 'COR-201'], { reader: true }],
  ['D-220', 'Test Lab to SMT & Reflow', [58, 25], ['LAB-201', 'CR-202'], { held: 20 }],
  ['D-221', 'Component Store', [65, 35], ['STO-201', 'LAB-201'], { reader: true }],
  ['D-222', 'Component Store Pass-Through', [58, 52], ['STO-201', 'CR-201'], { w: 1.2, held: 20 }],
  ['D-223', 'HVAC Plant Room', [78, 15], ['MECH-201', 'COR-201'], { w: 1.8, reader: true }],
];

function doorOf([id, name, position, zones, o = {}]: DoorRow): DoorDoc {
  return {
    id, name, position,
    ...(o.w !== undefined ? { width: o.w } : {}),
    zones,
    reader: o.reader ?? false,
    ...(o.held !== undefined ? { heldOpenSeconds: o.held } : {}),
  };
}

// ───────────────────────────── obstacles ─────────────────────────────

type ObstacleRow = [string, string, Pt[], number];

/** Warehouse racking: 1.1 m single rows against the walls, 2.2 m back-to-back rows, 3.2 m aisles. */
function racks(): ObstacleRow[] {
  const rows: [string, number, number, number][] = [ // [label, x0, x1, height south block]
    ['A', 85.2, 86.3, 5.5], ['B', 89.5, 91.7, 7.5], ['C', 94.9, 97.1, 7.5], ['D', 100.3, 102.5, 7.5], ['E', 105.7, 106.8, 5.5],
  ];
  const out: ObstacleRow[] = [];
  for (const [label, x0, x1, h] of rows) {
    out.push([`RK-${label}1`, `Rack Row ${label} South`, rect(x0, 16, x1, 32), h]);
    out.push([`RK-${label}2`, `Rack Row ${label} North`, rect(x0, 40, x1, 66), h === 7.5 ? 8 : h]);
  }
  out.push(['RK-S1', 'Staging Shelving', rect(88, 4, 100, 5.2), 2.5]);
  return out;
}

const L1_OBSTACLES: ObstacleRow[] = [
  ['OB-101', 'Vial Washer', rect(4, 19, 10, 22), 2.2],
  ['OB-102', 'Depyrogenation Tunnel', rect(10, 19, 17, 21.5), 2.4],
  ['OB-103', 'Compounding Vessel 500 L', circle(6, 48, 1.2), 2.8],
  ['OB-104', 'Compounding Vessel 200 L', circle(11, 48, 0.9), 2.3],
  ['OB-105', 'Filling Line RABS', rect(29, 54, 41, 57), 2.4],
  ['OB-106', 'Stopper Bowl & Feeder', rect(39, 57, 42, 60), 2.6],
  ['OB-107', 'Freeze Dryer', rect(27, 63, 33, 69), 3.2],
  ['OB-108', 'Capping Machine', rect(36, 35, 41, 38), 2],
  ['OB-109', 'Steam Autoclave', rect(26, 28, 31, 33), 2.5],
  ['OB-110', 'Stability Chambers', rect(1, 66.5, 16, 69.5), 2.2],
  ['OB-123', 'Walk-In Stability Chamber', rect(1, 57, 7, 61), 2.6],
  ['OB-111', 'Automated Inspection Machine', rect(35, 20, 42, 23), 2],
  ['OB-112', 'Blister Line 1', rect(48, 21, 64, 24), 2.2],
  ['OB-113', 'Cartoner 1', rect(66, 21, 72, 24), 2],
  ['OB-114', 'Blister Line 2', rect(48, 30, 64, 33), 2.2],
  ['OB-115', 'Cartoner 2', rect(66, 30, 72, 33), 2],
  ['OB-116', 'Case Packer & Palletiser Cell', rect(75, 24, 82, 32), 3],
  ['OB-117', 'Box Build Benches', rect(48, 44, 62, 46), 1.4],
  ['OB-118', 'Final Test Racks', rect(48, 52, 62, 54), 2],
  ['OB-119', 'Conformal Coating Booth', rect(66, 44, 72, 50), 2.6],
  ['OB-120', 'Packaging Material Racking', rect(74, 58, 82, 68), 4.5],
  ['OB-121', 'AHU-3 Air Handler', rect(71, 6, 77, 10), 2.6],
  ['OB-122', 'Main Switchboard', rect(65, 9, 69, 11), 2.2],
  ...racks(),
];

const L2_OBSTACLES: ObstacleRow[] = [
  ['OB-201', 'Server Rack Row A', rect(3, 18, 11, 19.2), 2.2],
  ['OB-202', 'Server Rack Row B', rect(3, 22.2, 11, 23.4), 2.2],
  ['OB-204', 'UPS Cabinets', rect(15, 24, 21, 26), 2],
  ['OB-205', 'SMT Line 1 (Printer, Pick & Place)', rect(36, 20, 50, 22), 1.6],
  ['OB-206', 'Reflow Oven', rect(50, 20, 55, 22), 1.5],
  ['OB-207', 'SMT Line 2', rect(36, 28, 53, 30), 1.6],
  ['OB-208', 'Assembly Benches Row 1', rect(30, 42, 52, 43.5), 1.2],
  ['OB-209', 'Assembly Benches Row 2', rect(30, 50, 52, 51.5), 1.2],
  ['OB-210', 'Wave Solder Machine', rect(45, 60, 55, 63), 1.8],
  ['OB-211', 'Dry Storage Cabinets', rect(59, 37, 71, 38), 2],
  ['OB-212', 'ESD Shelving', rect(60, 44, 70, 45.2), 2.4],
  ['OB-213', 'ESD Shelving', rect(60, 54, 70, 55.2), 2.4],
  ['OB-214', 'AHU-1 Air Handler', rect(74, 20, 82, 25), 3.2],
  ['OB-215', 'AHU-2 Air Handler', rect(74, 32, 82, 37), 3.2],
  ['OB-216', 'AHU-4 Air Handler', rect(74, 44, 82, 49), 3.2],
  ['OB-217', 'Chillers', rect(74, 56, 82, 66), 2.8],
];

const obstacleOf = ([id, name, polygon, height]: ObstacleRow): ObstacleDoc => ({ id, name, polygon, height });

// ───────────────────────────── cameras ─────────────────────────────

/** Camera models on the site. The Hikvision units are legacy, slated for replacement (not NDAA 889 compliant). */
const MODELS = {
  dome: { manufacturer: 'Axis', model: 'P3265-LVE', resolution: [1920, 1080] as [number, number], hfov: 100, ndaaCompliant: true },
  dome4k: { manufacturer: 'Axis', model: 'P3268-LVE', resolution: [3840, 2160] as [number, number], hfov: 100, ndaaCompliant: true },
  box: { manufacturer: 'Axis', model: 'Q1656', resolution: [2688, 1512] as [number, number], hfov: 90, ndaaCompliant: true },
  vari: { manufacturer: 'Hanwha Vision', model: 'XNV-8081Z', resolution: [2560, 1920] as [number, number], hfov: 60, ndaaCompliant: true },
  wide: { manufacturer: 'Hikvision', model: 'DS-2CD2387G2', resolution: [3840, 2160] as [number, number], hfov: 110, ndaaCompliant: false },
} as const;
type ModelKey = keyof typeof MODELS;

/** `[id, name, model, [x, y], mountHeight, yaw, tilt, hfov override]` */
type CameraRow = [string, string, ModelKey, Pt, number, number, number, number?];

const L1_CAMERAS: CameraRow[] = [
  ['CAM-101', 'Main Entrance (face capture)', 'vari', [7, 11.7], 3.5, 270, 15, 35],
  ['CAM-102', 'Lobby North-East', 'box', [13.7, 11.7], 3, 225, 25],
  ['CAM-103', 'Lobby South-West', 'box', [0.3, 0.3], 3, 45, 25],
  ['CAM-104', 'Main Corridor L1 West', 'box', [0.3, 13.5], 3, 0, 15, 45],
  ['CAM-105', 'Main Corridor L1 East', 'box', [83.7, 13.5], 3, 180, 15, 45],
  ['CAM-106', 'Gowning Airlock A South-East', 'dome4k', [24.8, 15.2], 2.8, 135, 30],
  ['CAM-107', 'Gowning Airlock A North-West', 'dome4k', [19.2, 20.8], 2.8, 315, 30],
  ['CAM-108', 'Material Airlock MAL-1', 'dome4k', [32.8, 24.8], 2.8, 225, 30],
  ['CAM-109', 'Gowning Airlock B', 'dome4k', [18.8, 40.8], 2.8, 225, 30],
  ['CAM-110', 'Gowning Airlock C South-West', 'dome4k', [25.2, 36.2], 2.8, 45, 30],
  ['CAM-111', 'Gowning Airlock C North-East', 'dome4k', [32.8, 43.8], 2.8, 225, 30],
  ['CAM-112', 'Prep & Washing North-East', 'dome4k', [18.8, 32.8], 3, 225, 25],
  ['CAM-113', 'Prep & Washing South-West', 'dome4k', [0.2, 15.2], 3, 45, 25],
  ['CAM-114', 'Compounding South-East', 'dome4k', [18.8, 41.2], 3, 135, 25],
  ['CAM-115', 'Compounding North-West', 'dome4k', [0.2, 55.8], 3, 315, 25],
  ['CAM-116', 'Aseptic Filling South-West', 'dome4k', [25.2, 44.2], 3, 45, 25],
  ['CAM-117', 'Aseptic Filling North-East', 'dome4k', [43.8, 69.8], 3, 225, 25],
  ['CAM-118', 'Capping & Crimping South-East', 'dome4k', [43.8, 30.2], 3, 135, 25],
  ['CAM-119', 'Capping & Crimping North-West', 'dome', [33.2, 43.8], 3, 315, 25],
  ['CAM-120', 'Clean Corridor North', 'vari', [22, 69.8], 3, 270, 15],
  ['CAM-121', 'Clean Corridor South', 'vari', [22, 21.2], 3, 90, 15],
  ['CAM-122', 'Visual Inspection', 'dome', [43.8, 15.2], 3, 135, 25],
  ['CAM-123', 'Stability Chamber Room', 'dome', [18.8, 65.8], 3, 225, 25],
  ['CAM-124', 'Production Hall South-West', 'box', [44.3, 15.3], 5, 45, 20],
  ['CAM-125', 'Production Hall North-East', 'box', [83.7, 69.7], 5, 225, 20],
  ['CAM-126', 'Production Hall South-East', 'box', [83.7, 15.3], 5, 135, 20],
  ['CAM-127', 'Production Hall North-West', 'box', [44.3, 69.7], 5, 315, 20],
  ['CAM-128', 'Warehouse Aisle 1', 'wide', [87.9, 69.7], 5, 270, 15],
  ['CAM-129', 'Warehouse Aisle 2', 'wide', [93.3, 69.7], 5, 270, 15],
  ['CAM-130', 'Warehouse Aisle 3', 'wide', [98.7, 69.7], 5, 270, 15],
  ['CAM-131', 'Warehouse Aisle 4', 'wide', [104.1, 69.7], 5, 270, 15],
  ['CAM-132', 'Warehouse Marshalling', 'wide', [84.3, 0.3], 5, 45, 20],
  ['CAM-133', 'Warehouse Cross Aisle', 'box', [107.7, 38], 5, 180, 15],
  ['CAM-134', 'Loading Dock South', 'wide', [108.3, 22.3], 5, 60, 20],
  ['CAM-135', 'Loading Dock North', 'wide', [108.3, 69.7], 5, 300, 20],
  ['CAM-136', 'Cold Store', 'dome', [108.3, 11.7], 3, 315, 25],
  ['CAM-137', 'Stair 1 L1', 'dome', [25.7, 11.7], 2.8, 225, 30],
  ['CAM-138', 'Stair 2 L1', 'dome', [78.3, 11.7], 2.8, 315, 30],
];

const L2_CAMERAS: CameraRow[] = [
  ['CAM-201', 'Server Room South-East (door)', 'dome4k', [13.8, 15.2], 3, 135, 25],
  ['CAM-202', 'Server Room South-West', 'dome4k', [0.2, 15.2], 3, 45, 25],
  ['CAM-203', 'Server Room Middle Aisle', 'dome4k', [13.8, 20.7], 3, 180, 20],
  ['CAM-204', 'Server Room North-West', 'dome4k', [0.2, 26.8], 3, 315, 25],
  ['CAM-205', 'Server Room North-East', 'dome4k', [13.8, 26.8], 3, 225, 25],
  ['CAM-206', 'UPS & Battery Room', 'dome', [21.8, 15.2], 2.8, 135, 30],
  ['CAM-207', 'Main Corridor L2 West', 'box', [0.3, 13.5], 3, 0, 15, 45],
  ['CAM-208', 'Main Corridor L2 East', 'box', [83.7, 13.5], 3, 180, 15, 45],
  ['CAM-209', 'Gowning Airlock E South-West', 'dome4k', [25.2, 15.2], 2.8, 50, 30],
  ['CAM-210', 'Gowning Airlock E North-East', 'dome4k', [32.8, 24.8], 2.8, 230, 30],
  ['CAM-211', 'Gowning Airlock F', 'dome4k', [32.8, 34.8], 2.8, 230, 30],
  ['CAM-212', 'Electronics Assembly South-West', 'dome4k', [25.2, 35.2], 3.5, 45, 20],
  ['CAM-213', 'Electronics Assembly North-East', 'dome4k', [57.8, 69.8], 3.5, 225, 20],
  ['CAM-214', 'Electronics Assembly South-East', 'dome4k', [57.8, 35.2], 3.5, 135, 20],
  ['CAM-215', 'Electronics Assembly North-West', 'dome4k', [25.2, 69.8], 3.5, 315, 20],
  ['CAM-216', 'SMT & Reflow West', 'dome4k', [33.2, 34.8], 3.5, 315, 20],
  ['CAM-217', 'SMT & Reflow East', 'dome4k', [57.8, 15.2], 3.5, 135, 20],
  ['CAM-218', 'Electronics Test Lab', 'dome', [71.8, 15.2], 3, 135, 25],
  ['CAM-219', 'IT Operations Room', 'dome', [77.8, 11.8], 2.8, 225, 25],
  ['CAM-220', 'Stair 1 L2', 'dome', [25.7, 11.7], 2.8, 225, 30],
  ['CAM-221', 'Stair 2 L2', 'dome', [78.3, 11.7], 2.8, 315, 30],
  ['CAM-222', 'HVAC Plant Room', 'dome', [72.3, 15.3], 3.5, 60, 20],
  ['CAM-223', 'Component Store', 'dome', [71.8, 69.8], 3, 225, 20],
];

function cameraOf([id, name, key, position, mountHeight, yaw, tilt, hfov]: CameraRow): CameraDoc {
  const m = MODELS[key];
  return {
    id, name, position, mountHeight, yaw, tilt, hfov: hfov ?? m.hfov, resolution: [...m.resolution],
    manufacturer: m.manufacturer, model: m.model, ndaaCompliant: m.ndaaCompliant,
  };
}

// ───────────────────────────── HVAC ─────────────────────────────

const HVAC: HvacDoc[] = [
  { id: 'AHU-1', name: 'AHU-1 Fill-Finish Clean Rooms', kind: 'AHU', serves: ['CR-101', 'CR-102', 'CR-103', 'CR-104', 'AL-101', 'AL-102', 'AL-103', 'AL-105', 'COR-102', 'UTL-101', 'AUT-101'] },
  { id: 'AHU-2', name: 'AHU-2 Electronics Clean Rooms', kind: 'AHU', serves: ['CR-201', 'CR-202', 'AL-201', 'AL-202'] },
  { id: 'AHU-3', name: 'AHU-3 Offices & General', kind: 'AHU', serves: [
    'LOB-100', 'SEC-100', 'ST-1-L1', 'ST-2-L1', 'CHG-100', 'CAN-100', 'QC-100', 'ELEC-100', 'MECH-100', 'COR-101',
    'OFF-201', 'ST-1-L2', 'ST-2-L2', 'OFF-202', 'OFF-203', 'OFF-204', 'NOC-201', 'COR-201', 'COR-202', 'OFF-205', 'OFF-206', 'OFF-207',
    'LAB-201', 'STO-201', 'MECH-201', 'UPS-201',
  ] },
  { id: 'AHU-4', name: 'AHU-4 Production Hall', kind: 'AHU', serves: ['PH-100', 'INS-101'] },
  { id: 'CRAC-1', name: 'CRAC-1 Server Room (duty)', kind: 'CRAC', serves: ['SRV-201'] },
  { id: 'CRAC-2', name: 'CRAC-2 Server Room (standby)', kind: 'CRAC', serves: ['SRV-201'] },
  { id: 'RTU-1', name: 'RTU-1 Warehouse & Dock', kind: 'RTU', serves: ['WH-100', 'DOCK-100', 'GIN-100'] },
  { id: 'FCU-1', name: 'FCU-1 Stability Chamber Room', kind: 'FCU', serves: ['STB-101'] },
  { id: 'FCU-2', name: 'FCU-2 Cold Store Evaporator', kind: 'FCU', serves: ['CLD-100'] },
];

// ───────────────────────────── sensors ─────────────────────────────

/** Where each unit's own sensors (power, fan status, supply airflow) stand: `[zone, x, y]`, beside the unit. */
const UNIT_LOCATION: Record<string, [string, number, number]> = {
  'AHU-1': ['MECH-201', 73.4, 21], 'AHU-2': ['MECH-201', 73.4, 33], 'AHU-3': ['MECH-100', 77.6, 7],
  'AHU-4': ['MECH-201', 73.4, 45], 'CRAC-1': ['SRV-201', 0.4, 16.5], 'CRAC-2': ['SRV-201', 13.6, 24.5],
  'RTU-1': ['WH-100', 84.4, 8], 'FCU-1': ['STB-101', 18.6, 57], 'FCU-2': ['CLD-100', 119.6, 9],
};

/** Occupied rooms that get one room thermostat (critical rooms get more, below). */
const THERMOSTAT_ROOMS = ['LOB-100', 'SEC-100', 'CAN-100', 'QC-100', 'PH-100', 'INS-101', 'WH-100', 'GIN-100', 'DOCK-100',
  'OFF-201', 'OFF-202', 'OFF-203', 'OFF-204', 'NOC-201', 'OFF-205', 'OFF-206', 'OFF-207', 'LAB-201', 'STO-201', 'UPS-201'];
const CO2_ROOMS = ['SEC-100', 'CAN-100', 'GIN-100', 'OFF-201', 'OFF-202', 'OFF-203', 'OFF-204', 'NOC-201', 'OFF-205', 'OFF-206', 'OFF-207'];
const OCCUPANCY_ROOMS = ['LOB-100', 'CAN-100', 'PH-100', 'CR-103', 'OFF-201', 'OFF-202', 'OFF-203', 'OFF-206', 'CR-201', 'SRV-201'];
/** Wall spots for temperature sensors, as fractions of the room's rectangle; the first ones clear of equipment are used. */
const TEMPERATURE_SPOTS: [number, number][] = [[0.1, 0.5], [0.9, 0.5], [0.5, 0.9], [0.5, 0.1], [0.1, 0.1], [0.9, 0.9], [0.1, 0.9], [0.9, 0.1]];
const SENSOR_CLEARANCE_M = 0.3;

/** The sensors standing in one floor's rooms, each at a point clear of that floor's obstacles. */
function buildSensors(rooms: readonly Room[], obstacles: readonly ObstacleRow[], units: readonly HvacDoc[]): SensorDoc[] {
  const byId = new Map(rooms.map((r) => [r.id, r]));
  const boxes = obstacles.map(([, , poly]) => box(poly));
  const clear = (x: number, y: number) => boxes.every(([x0, y0, x1, y1]) =>
    x < x0 - SENSOR_CLEARANCE_M || x > x1 + SENSOR_CLEARANCE_M || y < y0 - SENSOR_CLEARANCE_M || y > y1 + SENSOR_CLEARANCE_M);
  const out: SensorDoc[] = [];
  const add = (id: string, kind: SensorKind, zone: string, x: number, y: number, z: number, hvacUnit?: string) => {
    out.push({ id, kind, zone, ...(hvacUnit !== undefined ? { hvacUnit } : {}), position: [mm(x), mm(y), z] });
  };
  /** The point at fractions (fx, fy) of the room, or failing that the nearest clear point on a 0.5 m search ring. */
  const spot = (zone: string, fx: number, fy: number): Pt => {
    const [x0, y0, x1, y1] = byId.get(zone)!.rect;
    const px = x0 + fx * (x1 - x0), py = y0 + fy * (y1 - y0);
    for (let ring = 0; ring <= 20; ring++) {
      for (let k = 0; k < (ring === 0 ? 1 : 8); k++) {
        const a = (k * Math.PI) / 4;
        const x = mm(px + ring * 0.5 * Math.cos(a)), y = mm(py + ring * 0.5 * Math.sin(a));
        if (x > x0 + 0.2 && x < x1 - 0.2 && y > y0 + 0.2 && y < y1 - 0.2 && clear(x, y)) return [x, y];
      }
    }
    throw new Error(`build-plant: no clear sensor spot in ${zone}`);
  };
  const tag = (zone: string) => zone.replace('-', '');
  for (const r of rooms) {
    if (!r.critical) continue;
    const area = (r.rect[2] - r.rect[0]) * (r.rect[3] - r.rect[1]);
    const n = area >= 400 ? 4 : area >= 200 ? 3 : 2;
    const free = TEMPERATURE_SPOTS.filter(([fx, fy]) => {
      const [x0, y0, x1, y1] = r.rect;
      return clear(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0));
    });
    for (let i = 0; i < n; i++) {
      const [fx, fy] = free[i] ?? TEMPERATURE_SPOTS[i]!;
      const [x, y] = spot(r.id, fx, fy);
      add(`T-${tag(r.id)}-${i + 1}`, 'temperature', r.id, x, y, 1.6);
    }
    const [hx, hy] = spot(r.id, 0.1, 0.6);
    add(`RH-${tag(r.id)}-1`, 'humidity', r.id, hx, hy, 1.6);
    if (r.kind === 'cleanroom') {
      const [px, py] = spot(r.id, 0.5, 0.15);
      add(`DP-${tag(r.id)}`, 'differential-pressure', r.id, px, py, 2.2);
    }
  }
  const on = (ids: readonly string[]) => ids.filter((id) => byId.has(id));
  // the pressure cascade is also read at the material airlock and the clean corridor
  for (const id of on(['AL-102', 'COR-102'])) {
    const [x, y] = spot(id, 0.5, 0.5);
    add(`DP-${tag(id)}`, 'differential-pressure', id, x, y, 2.2);
  }
  for (const id of on(['QC-100'])) {
    const [x, y] = spot(id, 0.1, 0.5);
    add(`RH-${tag(id)}-1`, 'humidity', id, x, y, 1.6);
  }
  for (const id of on(THERMOSTAT_ROOMS)) {
    const [x, y] = spot(id, 0.5, 0.1);
    add(`T-${tag(id)}-1`, 'temperature', id, x, y, 1.5);
  }
  for (const id of on(CO2_ROOMS)) {
    const [x, y] = spot(id, 0.5, 0.9);
    add(`CO2-${tag(id)}`, 'co2', id, x, y, 1.5);
  }
  for (const id of on(OCCUPANCY_ROOMS)) {
    const [x, y] = spot(id, 0.5, 0.5);
    add(`OCC-${tag(id)}`, 'occupancy', id, x, y, 3);
  }
  // per unit: power, fan status for fan-driven units, supply airflow for the air handlers
  for (const u of units) {
    const [zone, x, y] = UNIT_LOCATION[u.id]!;
    if (!byId.has(zone)) continue;
    add(`PWR-${u.id}`, 'power', zone, x, y, 1.8, u.id);
    if (u.kind !== 'FCU') add(`FAN-${u.id}`, 'fan-status', zone, x, y + 0.6, 2.2, u.id);
    if (u.kind === 'AHU' || u.kind === 'RTU') add(`AF-${u.id}`, 'airflow', zone, x, y + 1.2, 2.6, u.id);
  }
  if (byId.has('SRV-201')) add('PWR-SRV201-IT', 'power', 'SRV-201', 7, 15.4, 1.8);
  return out;
}

// ───────────────────────────── the document ─────────────────────────────

const L1_HEIGHT_M = 6;
const L2_ELEVATION_M = 6;
const L2_HEIGHT_M = 4.5;

/** The demo plant as a plain JSON-ready object; the same every call. */
export function buildPlant(): PlantDoc {
  const l1Outline = rect(0, 0, 120, 70);
  const l2Outline = rect(0, 0, 84, 70);
  const floor = (id: string, name: string, elevation: number, height: number, outline: Pt[], rooms: Room[], open: [string, string][], doors: DoorRow[], obstacles: ObstacleRow[], cameras: CameraRow[]): FloorDoc => ({
    id, name, elevation, height, outline,
    zones: rooms.map(zoneOf),
    walls: deriveWalls(id, rooms, outline, height, open),
    obstacles: obstacles.map(obstacleOf),
    doors: doors.map(doorOf),
    cameras: cameras.map(cameraOf),
    sensors: buildSensors(rooms, obstacles, HVAC),
  });
  return {
    format: 'twinspace.facility/1',
    id: 'demo-plant',
    name: 'Twinspace Demo Plant — Fill-Finish & Electronics',
    timezone: 'Europe/Dublin',
    businessHours: { days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' },
    floors: [
      floor('L1', 'Ground Floor', 0, L1_HEIGHT_M, l1Outline, L1_ROOMS, [], L1_DOORS, L1_OBSTACLES, L1_CAMERAS),
      floor('L2', 'First Floor', L2_ELEVATION_M, L2_HEIGHT_M, l2Outline, L2_ROOMS, [['COR-201', 'COR-202']], L2_DOORS, L2_OBSTACLES, L2_CAMERAS),
    ],
    hvacUnits: HVAC.map((u) => ({ ...u, serves: [...u.serves] })),
  };
}

const INLINE_MAX_CHARS = 140;
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * JSON with 2-space indent, except that arrays of numbers or strings (points,
 * resolutions, door sides) and arrays of points (polygons) stay on one line
 * when it is short enough: a polygon reads as one line, a diff stays small.
 */
export function serializePlant(doc: PlantDoc): string {
  const isFlat = (v: Json): boolean => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((e) => e === null || typeof e !== 'object'));
  const inline = (v: Json): string => (Array.isArray(v) ? `[${v.map(inline).join(', ')}]` : JSON.stringify(v));
  const fmt = (v: Json, pad: string, lead: number): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${pad}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every(isFlat)) {
        const one = inline(v);
        if (lead + one.length <= INLINE_MAX_CHARS) return one;
      }
      return `[\n${v.map((e) => inner + fmt(e, inner, inner.length)).join(',\n')}\n${pad}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, e]) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return key + fmt(e, inner, key.length);
    }).join(',\n')}\n${pad}}`;
  };
  return `${fmt(JSON.parse(JSON.stringify(doc)) as Json, '', 0)}\n`;
}

/** Where the generated plant is written. */
export const PLANT_JSON = fileURLToPath(new URL('./plant.json', import.meta.url));

function main(): void {
  const doc = buildPlant();
  const input: FacilityInput = doc;
  const loaded = loadFacility(input);
  if (!loaded.ok) {
    process.stderr.write(`Twinspace: demo plant refused:\n${formatProblems(loaded.problems)}\n`);
    process.exit(1);
  }
  writeFileSync(PLANT_JSON, serializePlant(doc));
  const f = loaded.facility;
  const count = (k: 'zones' | 'walls' | 'doors' | 'cameras' | 'sensors' | 'obstacles') => f.floors.reduce((n, fl) => n + fl[k].length, 0);
  process.stdout.write(`wrote ${PLANT_JSON}: ${f.floors.length} floors, ${count('zones')} zones, ${count('walls')} walls, ${count('obstacles')} obstacles, ${count('doors')} doors, ${count('cameras')} cameras, ${count('sensors')} sensors, ${f.hvacUnits.length} HVAC units\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
