// The facility model of ../shared/spec/facility-format.md as a zod schema.
// Structure and per-element rules live here; rules that need the whole
// document (ids, references, containment) live in validate.ts.
import { z } from 'zod';
import { findSelfIntersection, type Polygon, type Vec2 } from '../geometry.ts';

/** The one format string this version reads and writes. */
export const FACILITY_FORMAT = 'twinspace.facility/1';

export const ZONE_KINDS = ['cleanroom', 'production', 'warehouse', 'office', 'corridor', 'server-room', 'lab', 'utility', 'loading-dock', 'other'] as const;
export const SENSOR_KINDS = ['temperature', 'humidity', 'differential-pressure', 'co2', 'occupancy', 'power', 'airflow', 'fan-status', 'other'] as const;
export const COVERAGE_LEVELS = ['detection', 'observation', 'recognition', 'identification'] as const;

/** Default unit per sensor kind (facility-format.md, Sensor). */
export const SENSOR_UNITS: Record<SensorKind, string> = {
  temperature: '°C', humidity: '%RH', 'differential-pressure': 'Pa', co2: 'ppm',
  occupancy: 'persons', power: 'kW', airflow: 'm³/h', 'fan-status': '', other: '',
};

export type ZoneKind = (typeof ZONE_KINDS)[number];
export type SensorKind = (typeof SENSOR_KINDS)[number];
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];

const ID_RE = /^[A-Za-z0-9_.:-]+$/;
const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const id = z.string().min(1, 'must be a non-empty string').regex(ID_RE, 'may contain only letters, digits, "-", "_", "." and ":"');
const name = z.string();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be > 0');
const point2 = z.tuple([finite, finite]);
const point3 = z.tuple([finite, finite, finite]);

/** A polygon: ≥ 3 points, a repeated closing point dropped, not self-intersecting. */
export const polygonSchema = z
  .array(point2)
  .transform((pts): Vec2[] => {
    const out = pts.map((p) => [p[0], p[1]] as Vec2);
    const first = out[0], last = out[out.length - 1];
    if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
    return out;
  })
  .superRefine((pts, ctx) => {
    if (pts.length < 3) {
      ctx.addIssue({ code: 'custom', message: `polygon needs at least 3 points, got ${pts.length}` });
      return;
    }
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!, b = pts[(i + 1) % pts.length]!;
      if (a[0] === b[0] && a[1] === b[1]) {
        ctx.addIssue({ code: 'custom', message: `polygon repeats point ${i} at ${(i + 1) % pts.length}` });
        return;
      }
    }
    const hit = findSelfIntersection(pts);
    if (hit) ctx.addIssue({ code: 'custom', message: `polygon intersects itself at edges ${hit[0]} and ${hit[1]}` });
  });

const temperatureSpec = z.object({
  setpoint: finite,
  tolerance: positive,
  alarmDelayMinutes: finite.refine((v) => v >= 0, 'must be ≥ 0').default(0),
});

const coverageSpec = z.object({
  required: z.enum(COVERAGE_LEVELS),
  target: finite.refine((v) => v > 0 && v <= 1, 'must be in (0, 1]').default(1),
});

const zone = z.object({
  id, name,
  kind: z.enum(ZONE_KINDS),
  polygon: polygonSchema,
  critical: z.boolean().default(false),
  isoClass: z.number().int('must be an integer').min(1, 'must be 1–9').max(9, 'must be 1–9').optional(),
  temperature: temperatureSpec.optional(),
  coverage: coverageSpec.optional(),
});

const wall = z.object({
  id: id.optional(),
  from: point2,
  to: point2,
  height: positive.optional(),
  thickness: positive.default(0.2),
}).refine((w) => w.from[0] !== w.to[0] || w.from[1] !== w.to[1], { message: 'wall end points must be distinct', path: ['to'] });

const obstacle = z.object({ id, name: name.optional(), polygon: polygonSchema, height: positive });

const door = z.object({
  id, name,
  position: point2,
  width: positive.default(1),
  zones: z.tuple([id, id]),
  reader: z.boolean().default(false),
  heldOpenSeconds: positive.default(30),
});

const openAngle = (lo: string) => finite.refine((v) => v > 0 && v < 180, `must be in (${lo}0, 180)`);

const camera = z.object({
  id, name,
  position: point2,
  mountHeight: positive,
  yaw: finite,
  tilt: finite.refine((v) => v >= 0 && v <= 90, 'must be in [0, 90]'),
  hfov: openAngle(''),
  resolution: z.tuple([z.number().int('must be an integer').positive('must be > 0'), z.number().int('must be an integer').positive('must be > 0')]),
  vfov: openAngle('').optional(),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  ndaaCompliant: z.boolean().optional(),
}).transform((c) => ({
  ...c,
  vfov: c.vfov ?? (2 * Math.atan(Math.tan((c.hfov * Math.PI) / 360) * (c.resolution[1] / c.resolution[0])) * 180) / Math.PI,
}));

const sensor = z.object({
  id,
  kind: z.enum(SENSOR_KINDS),
  zone: id,
  hvacUnit: id.optional(),
  position: point3.optional(),
  unit: z.string().optional(),
}).transform((s) => ({ ...s, unit: s.unit ?? SENSOR_UNITS[s.kind] }));

const floor = z.object({
  id, name,
  elevation: finite,
  height: positive,
  outline: polygonSchema,
  zones: z.array(zone).default([]),
  walls: z.array(wall).default([]),
  obstacles: z.array(obstacle).default([]),
  doors: z.array(door).default([]),
  cameras: z.array(camera).default([]),
  sensors: z.array(sensor).default([]),
});

const hvacUnit = z.object({ id, name, kind: z.string().optional(), serves: z.array(id).min(1, 'must serve at least one zone') });

const businessHours = z.object({
  days: z.array(z.number().int('must be an integer').min(1, 'must be 1–7').max(7, 'must be 1–7')),
  start: z.string().regex(HHMM_RE, 'must be "HH:MM"'),
  end: z.string().regex(HHMM_RE, 'must be "HH:MM"'),
});

/** The whole document, with defaults applied on output. */
export const facilitySchema = z.object({
  format: z.literal(FACILITY_FORMAT, { error: `must be "${FACILITY_FORMAT}"` }),
  id, name,
  timezone: z.string().default('UTC'),
  businessHours: businessHours.optional(),
  floors: z.array(floor).min(1, 'must have at least one floor'),
  hvacUnits: z.array(hvacUnit).default([]),
});

/** A loaded, validated facility with every default filled in. */
export type Facility = z.output<typeof facilitySchema>;
export type Floor = Facility['floors'][number];
export type Zone = Floor['zones'][number];
export type Wall = Floor['walls'][number];
export type Obstacle = Floor['obstacles'][number];
export type Door = Floor['doors'][number];
export type Camera = Floor['cameras'][number];
export type Sensor = Floor['sensors'][number];
export type HvacUnit = Facility['hvacUnits'][number];
export type BusinessHours = NonNullable<Facility['businessHours']>;
export type { Polygon, Vec2 };
