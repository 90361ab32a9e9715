// The incident and its exported bundle (issue 6): the JSON shape of
// `GET /api/incidents/<alarmId>`, the `twinspace.incident-bundle/1` document
// of `GET /api/incidents/<alarmId>/bundle`, and the checks of
// `twinspace verify-bundle`. Each part's SHA-256 is taken over its canonical
// JSON (canonical.ts), so a bundle re-indented or with its keys reordered
// still verifies, and any change to a value does not.
// NOTE: the manifest makes a bundle tamper-evident against edits of a part,
// not against someone who rewrites a part and its manifest entry together:
// it carries no signature.
// Pure: no Node API, shared by the server, the command line and the browser.
import type { AlarmKind, AlarmOutcome, EventType } from './records.ts';
import type { CoverageLevel } from './facility/schema.ts';
import type { StateJson } from './reducer.ts';
import { canonicalJson } from './canonical.ts';
import { sha256Hex, utf8Bytes } from './sha256.ts';

/** The `format` of an exported bundle. */
export const BUNDLE_FORMAT = 'twinspace.incident-bundle/1';

/** The parts of a bundle, in the order they are written. */
export const BUNDLE_PARTS = ['alarm', 'lifecycle', 'events', 'badges', 'cameras', 'readings', 'stateAtOnset'] as const;
export type BundlePartName = (typeof BUNDLE_PARTS)[number];

/** A door as the incident shows it: where it is and what it joins. */
export interface IncidentDoor {
  id: string;
  name: string;
  floor: string;
  /** Plan position, m. */
  position: [number, number];
  /** The two zones it joins (`outside` for the exterior). */
  zones: [string, string];
  hasReader: boolean;
}

/** `alarm` part: what was raised, where, and the window the other parts cover. */
export interface IncidentAlarm {
  id: string;
  kind: AlarmKind;
  /** ISO UTC. */
  onset: string;
  door: IncidentDoor;
  /** The alarm's door and every door of the zones on either side of it (the alarm's door first). */
  doors: IncidentDoor[];
  /**
   * The events, cameras and readings cover `[from, to]` (ISO UTC): by default
   * onset − 15 min to onset + 15 min, or to the resolution when that is later
   * (at most 24 h after the onset). `isComplete` is false while `to` is still
   * ahead of the live state (the window was cut at `to`).
   */
  window: { from: string; to: string; beforeMinutes: number; afterMinutes: number; isComplete: boolean };
}

/** One acknowledgement or resolution, as stored. */
export interface IncidentAction {
  ts: string;
  type: 'alarm.acknowledged' | 'alarm.resolved';
  by: string;
  outcome?: AlarmOutcome;
  note?: string;
}

/**
 * `lifecycle` part, by the rules of metrics.md §3: the first acknowledgement
 * counts; a resolution with no earlier acknowledgement acknowledges at the
 * same instant; the first resolution closes the alarm. Times ISO UTC, null
 * until they happen; `ttaS`/`ttrS` in seconds.
 */
export interface IncidentLifecycle {
  status: 'open' | 'acknowledged' | 'resolved';
  raised: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: AlarmOutcome | null;
  note: string | null;
  ttaS: number | null;
  ttrS: number | null;
  /** Every stored action on the alarm at or after its onset, in time order (a second acknowledgement too). */
  actions: IncidentAction[];
}

/** An event of the window: the stored record with `ts` as ISO UTC. */
export type IncidentEvent = { ts: string; type: EventType } & Record<string, unknown>;

/** One step of a badge's trail. */
export interface BadgeStep {
  ts: string;
  type: 'access.granted' | 'access.denied';
  door: string;
  /** The zones the door joins. */
  zones: [string, string];
  floor: string;
}

/** `badges` part: each badge seen at the incident's doors in the window, with its trail anywhere in the window ± 1 h. */
export interface IncidentBadge {
  badge: string;
  /** The incident doors it was seen at in the window. */
  doors: string[];
  trail: BadgeStep[];
}

/** `cameras` part: a camera that sees the alarm's door at recognition level or better, and its stream through the window. */
export interface IncidentCamera {
  id: string;
  name: string;
  floor: string;
  level: CoverageLevel;
  /** Pixel density at the door, px/m (metrics.md §2, a person 1.5 m tall half a metre in front of it; the better side). */
  pixelDensity: number;
  /** The zone on the side it sees the door from (`outside` for the exterior). */
  seenFrom: string | null;
  /** Online at the window's start, at the onset, and each change in the window. */
  onlineAtStart: boolean;
  onlineAtOnset: boolean;
  changes: { ts: string; online: boolean }[];
  /** Time offline within the window, ms. */
  offlineMs: number;
}

/** A sensor's readings in the window, down-sampled to `stepMs` buckets. */
export interface IncidentSensorReadings {
  sensor: string;
  kind: string;
  unit: string;
  zone: string;
  buckets: { ts: string; min: number; max: number; mean: number; count: number }[];
}

/** `readings` part: the sensors of the door's two zones. */
export interface IncidentReadings {
  stepMs: number;
  zones: { id: string; name: string; isCritical: boolean; temperature: { setpoint: number; tolerance: number } | null }[];
  sensors: IncidentSensorReadings[];
}

/** The parts of an incident, the content of a bundle. */
export interface IncidentParts {
  alarm: IncidentAlarm;
  lifecycle: IncidentLifecycle;
  events: IncidentEvent[];
  badges: IncidentBadge[];
  cameras: IncidentCamera[];
  readings: IncidentReadings;
  /** The `/api/state?at=<onset>` document. */
  stateAtOnset: StateJson;
}

/** `GET /api/incidents/<alarmId>`: the parts, and how long the server took to build them, ms. */
export type IncidentJson = IncidentParts & { buildMs: number };

/** `GET /api/incidents/stats`: reconstruction time over the latest requests, ms (nearest rank). */
export interface IncidentStatsJson { count: number; window: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null }

/** A part's entry in the manifest: SHA-256 (hex) and byte length of its canonical JSON in UTF-8. */
export interface PartDigest { sha256: string; bytes: number }

export interface BundleManifest {
  /** The alarm id. */
  alarm: string;
  /** The label of the token that exported it. */
  exportedBy: string;
  /** ISO UTC. */
  exportedAt: string;
  facility: { id: string; name: string };
  parts: Record<BundlePartName, PartDigest>;
}

/** An exported incident bundle. */
export interface IncidentBundle {
  format: typeof BUNDLE_FORMAT;
  manifest: BundleManifest;
  parts: IncidentParts;
}

/** The manifest entry of one part's value. */
export function partDigest(value: unknown): PartDigest {
  const bytes = utf8Bytes(canonicalJson(value));
  return { sha256: sha256Hex(bytes), bytes: bytes.length };
}

/** Builds a bundle around the parts, hashing each. */
export function buildBundle(parts: IncidentParts, meta: { exportedBy: string; exportedAt: string; facility: { id: string; name: string } }): IncidentBundle {
  const digests = {} as Record<BundlePartName, PartDigest>;
  for (const name of BUNDLE_PARTS) digests[name] = partDigest(parts[name]);
  return {
    format: BUNDLE_FORMAT,
    manifest: { alarm: parts.alarm.id, exportedBy: meta.exportedBy, exportedAt: meta.exportedAt, facility: { id: meta.facility.id, name: meta.facility.name }, parts: digests },
    parts,
  };
}

/** The download name of a bundle: `incident-door-forced-D-101-2026-11-02T0814Z.json` (kind, door, onset to the minute, UTC). */
export function bundleFileName(kind: string, door: string, onsetMs: number): string {
  const iso = new Date(onsetMs).toISOString(); // 2026-11-02T08:14:07.123Z
  const stamp = `${iso.slice(0, 13)}${iso.slice(14, 16)}Z`;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `incident-${safe(kind)}-${safe(door)}-${stamp}.json`;
}

/** What verifying a bundle found: every problem as `path: reason`, and on success what it is. */
export interface BundleVerdict {
  ok: boolean;
  problems: string[];
  /** Parts whose hash and size match, when ok. */
  parts: number;
  alarm: string | null;
  exportedBy: string | null;
  exportedAt: string | null;
}

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const isDigest = (d: unknown): d is PartDigest => isObject(d) && typeof own(d, 'sha256') === 'string' && HEX64.test(own(d, 'sha256') as string)
  && Number.isSafeInteger(own(d, 'bytes')) && (own(d, 'bytes') as number) >= 0;
const short = (hex: string) => `${hex.slice(0, 12)}…`;
const shown = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 80) ?? String(v));

/**
 * Checks a parsed bundle: its format, its manifest, that every part the
 * manifest lists is present with the SHA-256 and size of its canonical JSON,
 * and that no part is present that the manifest does not list. Lists every
 * problem, each as `path: reason`
 * (`parts.events: sha256 mismatch (manifest 3f2a…, actual 91c0…)`).
 */
export function verifyBundle(doc: unknown): BundleVerdict {
  const problems: string[] = [];
  const verdict = (): BundleVerdict => ({ ok: problems.length === 0, problems, parts: 0, alarm: null, exportedBy: null, exportedAt: null });
  if (!isObject(doc)) {
    problems.push(`(bundle): expected a JSON object with format, manifest and parts, got ${Array.isArray(doc) ? 'an array' : shown(doc)}`);
    return verdict();
  }
  for (const k of Object.keys(doc)) if (k !== 'format' && k !== 'manifest' && k !== 'parts') problems.push(`${k}: unexpected key; a bundle has format, manifest and parts`);
  const format = own(doc, 'format');
  if (format !== BUNDLE_FORMAT) problems.push(`format: expected ${JSON.stringify(BUNDLE_FORMAT)}, got ${shown(format)}`);

  const manifest = own(doc, 'manifest');
  let listed: Record<string, unknown> | null = null;
  let alarm: string | null = null, exportedBy: string | null = null, exportedAt: string | null = null;
  if (!isObject(manifest)) problems.push(`manifest: expected an object, got ${shown(manifest)}`);
  else {
    const a = own(manifest, 'alarm'), by = own(manifest, 'exportedBy'), at = own(manifest, 'exportedAt'), fac = own(manifest, 'facility');
    if (typeof a === 'string' && a.length > 0) alarm = a; else problems.push(`manifest.alarm: expected the alarm id, got ${shown(a)}`);
    if (typeof by === 'string' && by.length > 0) exportedBy = by; else problems.push(`manifest.exportedBy: expected who exported it, got ${shown(by)}`);
    if (typeof at === 'string' && ISO_UTC.test(at) && Number.isFinite(Date.parse(at))) exportedAt = at;
    else problems.push(`manifest.exportedAt: expected an ISO 8601 UTC time, got ${shown(at)}`);
    if (!isObject(fac) || typeof own(fac, 'id') !== 'string' || typeof own(fac, 'name') !== 'string') problems.push(`manifest.facility: expected {id, name}, got ${shown(fac)}`);
    const p = own(manifest, 'parts');
    if (!isObject(p)) problems.push(`manifest.parts: expected an object of {sha256, bytes} by part name, got ${shown(p)}`);
    else {
      listed = p;
      for (const name of BUNDLE_PARTS) if (!Object.hasOwn(p, name)) problems.push(`manifest.parts.${name}: missing; a bundle lists ${BUNDLE_PARTS.join(', ')}`);
      for (const [name, d] of Object.entries(p)) {
        if (!(BUNDLE_PARTS as readonly string[]).includes(name)) problems.push(`manifest.parts.${name}: unknown part; a bundle has ${BUNDLE_PARTS.join(', ')}`);
        if (!isDigest(d)) {
          problems.push(`manifest.parts.${name}: expected {sha256: 64 hex digits, bytes: integer ≥ 0}, got ${shown(d)}`);
        }
      }
    }
  }

  const parts = own(doc, 'parts');
  let verified = 0;
  if (!isObject(parts)) problems.push(`parts: expected an object of parts by name, got ${shown(parts)}`);
  else {
    if (listed) {
      for (const [name, d] of Object.entries(listed)) {
        if (!Object.hasOwn(parts, name)) { problems.push(`parts.${name}: missing (listed in the manifest)`); continue; }
        if (!isDigest(d)) continue; // already reported
        let actual: PartDigest;
        try {
          actual = partDigest(parts[name]);
        } catch (e) {
          problems.push(`parts.${name}: ${(e as Error).message}`);
          continue;
        }
        if (d.sha256 !== actual.sha256) problems.push(`parts.${name}: sha256 mismatch (manifest ${short(d.sha256)}, actual ${short(actual.sha256)})`);
        if (d.bytes !== actual.bytes) problems.push(`parts.${name}: size mismatch (manifest ${d.bytes} bytes, actual ${actual.bytes})`);
        if (d.sha256 === actual.sha256 && d.bytes === actual.bytes) verified++;
      }
    }
    for (const name of Object.keys(parts)) {
      if (!listed || !Object.hasOwn(listed, name)) problems.push(`parts.${name}: not listed in the manifest`);
    }
    const alarmPart = own(parts, 'alarm');
    if (alarm !== null && isObject(alarmPart) && own(alarmPart, 'id') !== alarm) {
      problems.push(`parts.alarm.id: ${shown(own(alarmPart, 'id'))} is not the manifest's alarm ${JSON.stringify(alarm)}`);
    }
  }
  return { ...verdict(), parts: problems.length === 0 ? verified : 0, alarm, exportedBy, exportedAt };
}
