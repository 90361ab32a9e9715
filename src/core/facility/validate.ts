// Loading a facility: the structural schema plus the rules that need the
// whole document. Every problem is found and listed at once; nothing
// half-loaded is returned.
import type { z } from 'zod';
import { polygonInsidePolygon, type Vec2 } from '../geometry.ts';
import { facilitySchema, type Facility } from './schema.ts';

/** One reason a document is refused, at a JSON path like `floors[0].zones[3].polygon`. */
export interface Problem { path: string; reason: string }

export type LoadResult = { ok: true; facility: Facility } | { ok: false; problems: Problem[] };

/** `floors[0].zones[3].polygon` from `['floors', 0, 'zones', 3, 'polygon']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || '(document)';
}

/** `path: reason` lines, one per problem. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.path}: ${p.reason}`).join('\n');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v;
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    const opts = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return issue.values.length === 1 ? issue.message.startsWith('must') ? issue.message : `must be ${opts}` : `must be one of ${opts}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array' && !issue.message.startsWith('must')) return `must have at least ${String(issue.minimum)} items`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `must have exactly ${String(issue.maximum)} items`;
  return issue.message;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function isPoint(v: unknown): v is Vec2 {
  return Array.isArray(v) && v.length === 2 && v.every((c) => typeof c === 'number' && Number.isFinite(c));
}

function closedDropped(v: unknown): Vec2[] | undefined {
  if (!Array.isArray(v) || !v.every(isPoint) || v.length < 3) return undefined;
  const pts = v.slice() as Vec2[];
  const a = pts[0]!, b = pts[pts.length - 1]!;
  if (a[0] === b[0] && a[1] === b[1]) pts.pop();
  return pts.length >= 3 ? pts : undefined;
}

const ID_KINDS = ['zones', 'walls', 'obstacles', 'doors', 'cameras', 'sensors'] as const;

/**
 * Rules across the document, run on the raw input so they report even when
 * other parts fail the schema: one id namespace, references, containment.
 */
function crossChecks(doc: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isObj(doc)) return problems;
  const firstAt = new Map<string, string>();
  const zones = new Set<string>();
  const hvac = new Set<string>();
  const claim = (idv: unknown, at: string) => {
    const id = str(idv);
    if (id === undefined) return;
    const prev = firstAt.get(id);
    if (prev !== undefined) problems.push({ path: `${at}.id`, reason: `duplicate id "${id}" (first at ${prev})` });
    else firstAt.set(id, at);
  };
  claim(doc['id'], '(document)');
  const floors = arr(doc['floors']);
  floors.forEach((fl, fi) => {
    if (!isObj(fl)) return;
    claim(fl['id'], `floors[${fi}]`);
    for (const kind of ID_KINDS) {
      arr(fl[kind]).forEach((el, i) => {
        if (!isObj(el)) return;
        claim(el['id'], `floors[${fi}].${kind}[${i}]`);
        if (kind === 'zones' && str(el['id'])) zones.add(el['id'] as string);
      });
    }
  });
  arr(doc['hvacUnits']).forEach((u, i) => {
    if (!isObj(u)) return;
    claim(u['id'], `hvacUnits[${i}]`);
    if (str(u['id'])) hvac.add(u['id'] as string);
  });

  const zoneRef = (v: unknown, at: string, allowOutside: boolean) => {
    const ref = str(v);
    if (ref === undefined) return;
    if (allowOutside && ref === 'outside') return;
    if (!zones.has(ref)) problems.push({ path: at, reason: `unknown zone "${ref}"` });
  };

  floors.forEach((fl, fi) => {
    if (!isObj(fl)) return;
    const outline = closedDropped(fl['outline']);
    arr(fl['zones']).forEach((z, i) => {
      if (!isObj(z) || !outline) return;
      const poly = closedDropped(z['polygon']);
      if (poly && !polygonInsidePolygon(poly, outline)) {
        problems.push({ path: `floors[${fi}].zones[${i}].polygon`, reason: `zone lies outside its floor outline (floor "${String(fl['id'])}")` });
      }
    });
    arr(fl['doors']).forEach((d, i) => {
      if (!isObj(d) || !Array.isArray(d['zones'])) return;
      const [a, b] = d['zones'] as unknown[];
      zoneRef(a, `floors[${fi}].doors[${i}].zones[0]`, false);
      zoneRef(b, `floors[${fi}].doors[${i}].zones[1]`, true);
      if (str(a) && a === b) problems.push({ path: `floors[${fi}].doors[${i}].zones`, reason: `a door joins two different zones, got "${String(a)}" twice` });
    });
    arr(fl['sensors']).forEach((s, i) => {
      if (!isObj(s)) return;
      zoneRef(s['zone'], `floors[${fi}].sensors[${i}].zone`, false);
      const unit = str(s['hvacUnit']);
      if (unit !== undefined && !hvac.has(unit)) problems.push({ path: `floors[${fi}].sensors[${i}].hvacUnit`, reason: `unknown HVAC unit "${unit}"` });
    });
  });
  arr(doc['hvacUnits']).forEach((u, i) => {
    if (!isObj(u)) return;
    arr(u['serves']).forEach((z, j) => zoneRef(z, `hvacUnits[${i}].serves[${j}]`, false));
  });

  const tz = doc['timezone'];
  if (typeof tz === 'string') {
    try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); } catch {
      problems.push({ path: 'timezone', reason: `unknown IANA time zone "${tz}"` });
    }
  }
  return problems;
}

/** Checks a parsed JSON value against the facility contract. */
export function loadFacility(doc: unknown): LoadResult {
  const parsed = facilitySchema.safeParse(doc, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: formatPath(i.path), reason: reasonOf(i) }));
  problems.push(...crossChecks(doc));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, facility: parsed.data };
}

/** Parses and checks facility JSON text; a syntax error is a problem at the document. */
export function loadFacilityText(text: string): LoadResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(document)', reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  return loadFacility(doc);
}

/** Thrown where a caller needs a facility or nothing: its message lists every problem. */
export class FacilityError extends Error {
  constructor(readonly problems: Problem[], source = 'facility') {
    super(`Twinspace: ${source} refused:\n${formatProblems(problems)}`);
    this.name = 'FacilityError';
  }
}
