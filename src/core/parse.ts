// Record parsing (../shared/spec/data-formats.md): one validation for every
// source — files, HTTP ingest, MQTT, the simulator. A bad record is refused
// on its own with a reason; the rest of the stream goes on.
import type { FacilityIndex } from './facility/model.ts';
import {
  EVENT_TYPES, type AlarmOutcome, type EventRecord, type EventType, type TelemetryRecord, type TwinRecord,
} from './records.ts';

/** A parsed timestamp in epoch ms, or why it is refused. */
export type TimestampResult = { ok: true; ms: number } | { ok: false; reason: string };

/** A validated record, or why it is refused. */
export type RecordResult = { ok: true; record: TwinRecord } | { ok: false; reason: string };

/** A refused line of a file: 1-based line number and reason. */
export interface Rejection { line: number; reason: string }

/** The record file formats. */
export type RecordFormat = 'jsonl' | 'csv';

/** Records of a file sorted by `ts` (ties keep file order), the 1-based line of each, and the refused lines. */
export interface ParsedRecords { records: TwinRecord[]; lines: number[]; rejected: Rejection[] }

/** The one header a telemetry CSV file must have. */
export const CSV_HEADER = 'ts,sensor,value';

/** Largest |epoch ms| a JavaScript Date can hold (±100,000,000 days). */
const MAX_EPOCH_MS = 8.64e15;

const EPOCH_STRING_RE = /^-?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

const OUTCOMES: readonly AlarmOutcome[] = ['genuine', 'false-alarm'];

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function epochMs(ms: number, shown: string): TimestampResult {
  if (!Number.isFinite(ms)) return { ok: false, reason: `must be a finite number of epoch milliseconds, got ${shown}` };
  if (!Number.isInteger(ms)) return { ok: false, reason: `epoch milliseconds must be an integer, got ${shown}` };
  if (Math.abs(ms) > MAX_EPOCH_MS) return { ok: false, reason: `epoch milliseconds out of range, got ${shown}` };
  return { ok: true, ms };
}

function notIso(v: string): TimestampResult {
  return { ok: false, reason: `${JSON.stringify(v)} is not an ISO 8601 time with offset or epoch milliseconds` };
}

/** The value of `n` decimal digits of `s` from `i`, or -1 if any is not a digit. */
function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Epoch ms of an ISO 8601 time with an offset (`2026-11-02T08:00:00Z`,
 * `…+01:00`, `…+0100`, `…+01`; seconds optional; fractions below a
 * millisecond truncated; a space may stand for `T`) or of epoch
 * milliseconds (an integer number, or a string of digits). A time without
 * an offset is refused because its instant is unknown.
 */
export function parseTimestamp(v: unknown): TimestampResult {
  if (typeof v === 'number') return epochMs(v, String(v));
  if (typeof v !== 'string') return { ok: false, reason: `expected an ISO 8601 time with offset or epoch milliseconds, got ${describe(v)}` };
  const s = v.trim();
  if (EPOCH_STRING_RE.test(s)) return epochMs(Number(s), JSON.stringify(v));
  // A hand-written scanner: this runs once per record, a million times for a big file.
  const y = digitsAt(s, 0, 4), mo = digitsAt(s, 5, 2), d = digitsAt(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] !== '-' || s[7] !== '-') return notIso(v);
  if (s.length === 10) return { ok: false, reason: `${JSON.stringify(v)} has no time of day and no UTC offset` };
  const sep = s[10];
  const h = digitsAt(s, 11, 2), mi = digitsAt(s, 14, 2);
  if ((sep !== 'T' && sep !== 't' && sep !== ' ') || h < 0 || mi < 0 || s[13] !== ':') return notIso(v);
  let i = 16, sec = 0, ms = 0;
  if (s[i] === ':') {
    sec = digitsAt(s, i + 1, 2);
    if (sec < 0) return notIso(v);
    i += 3;
    if (s[i] === '.' || s[i] === ',') {
      const j = ++i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === j) return notIso(v);
      ms = Number(s.slice(j, Math.min(i, j + 3)).padEnd(3, '0'));
    }
  }
  let offsetMin: number;
  const o = s[i];
  if (o === undefined) return { ok: false, reason: `${JSON.stringify(v)} has no UTC offset (add "Z" or "+HH:MM")` };
  if ((o === 'Z' || o === 'z') && i + 1 === s.length) offsetMin = 0;
  else if (o === '+' || o === '-') {
    const oh = digitsAt(s, i + 1, 2);
    const rest = s.length - (i + 3);
    const om = rest === 0 ? 0 : rest === 2 ? digitsAt(s, i + 3, 2) : rest === 3 && s[i + 3] === ':' ? digitsAt(s, i + 4, 2) : -1;
    if (oh < 0 || om < 0) return notIso(v);
    if (oh > 23 || om > 59) return { ok: false, reason: `${JSON.stringify(v)} has an invalid UTC offset` };
    offsetMin = (o === '-' ? -1 : 1) * (oh * 60 + om);
  } else return notIso(v);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) {
    return { ok: false, reason: `${JSON.stringify(v)} is not a valid date and time` };
  }
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  if (y < 100) { const date = new Date(t); date.setUTCFullYear(y); t = date.getTime(); } // Date.UTC maps 0–99 to 1900–1999
  t -= offsetMin * 60_000;
  if (!Number.isFinite(t) || Math.abs(t) > MAX_EPOCH_MS) return { ok: false, reason: `${JSON.stringify(v)} is out of range` };
  return { ok: true, ms: t };
}

type Fields = Record<string, unknown>;

function nonEmptyString(o: Fields, key: string): { ok: true; value: string } | { ok: false; reason: string } {
  const v = o[key];
  if (v === undefined) return { ok: false, reason: `missing field "${key}"` };
  if (typeof v !== 'string' || v.length === 0) return { ok: false, reason: `${key}: expected a non-empty string, got ${describe(v)}` };
  return { ok: true, value: v };
}

function reference(o: Fields, key: 'door' | 'camera' | 'sensor', known: ReadonlyMap<string, unknown>): { ok: true; value: string } | { ok: false; reason: string } {
  const r = nonEmptyString(o, key);
  if (!r.ok) return r;
  if (!known.has(r.value)) return { ok: false, reason: `unknown ${key} ${JSON.stringify(r.value)}` };
  return r;
}

function validateEvent(o: Fields, ts: number, type: EventType, ix: FacilityIndex): RecordResult {
  switch (type) {
    case 'access.granted':
    case 'access.denied': {
      const door = reference(o, 'door', ix.doors);
      if (!door.ok) return door;
      const badge = nonEmptyString(o, 'badge');
      if (!badge.ok) return badge;
      return { ok: true, record: { ts, type, door: door.value, badge: badge.value } };
    }
    case 'access.rex':
    case 'door.opened':
    case 'door.closed': {
      const door = reference(o, 'door', ix.doors);
      if (!door.ok) return door;
      return { ok: true, record: { ts, type, door: door.value } };
    }
    case 'camera.offline':
    case 'camera.online': {
      const camera = reference(o, 'camera', ix.cameras);
      if (!camera.ok) return camera;
      return { ok: true, record: { ts, type, camera: camera.value } };
    }
    case 'alarm.acknowledged':
    case 'alarm.resolved': {
      const alarm = nonEmptyString(o, 'alarm');
      if (!alarm.ok) return alarm;
      const by = nonEmptyString(o, 'by');
      if (!by.ok) return by;
      if (type === 'alarm.acknowledged') return { ok: true, record: { ts, type, alarm: alarm.value, by: by.value } };
      const outcome = o['outcome'];
      if (outcome === undefined) return { ok: false, reason: 'missing field "outcome"' };
      if (!OUTCOMES.includes(outcome as AlarmOutcome)) {
        return { ok: false, reason: `outcome: must be "genuine" or "false-alarm", got ${describe(outcome)}` };
      }
      const note = o['note'];
      if (note !== undefined && note !== null && typeof note !== 'string') return { ok: false, reason: `note: expected a string, got ${describe(note)}` };
      const rec: EventRecord = { ts, type, alarm: alarm.value, by: by.value, outcome: outcome as AlarmOutcome };
      if (typeof note === 'string') rec.note = note;
      return { ok: true, record: rec };
    }
  }
}

/**
 * Checks one decoded record (a JSON object, or a CSV row as an object)
 * against data-formats.md and the facility: an object with `type` is an
 * event, one with `sensor` a reading. Alarm ids are checked by the reducer,
 * which knows which alarms were raised. Unknown extra fields are dropped.
 */
export function validateRecord(obj: unknown, ix: FacilityIndex): RecordResult {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, reason: `not an object (got ${describe(obj)})` };
  const o = obj as Fields;
  if (o['ts'] === undefined) return { ok: false, reason: 'missing field "ts"' };
  const t = parseTimestamp(o['ts']);
  if (!t.ok) return { ok: false, reason: `ts: ${t.reason}` };
  const type = o['type'];
  if (type !== undefined) {
    if (typeof type !== 'string') return { ok: false, reason: `type: expected a string, got ${describe(type)}` };
    if (!EVENT_TYPES.includes(type as EventType)) return { ok: false, reason: `unknown type ${JSON.stringify(type)}` };
    return validateEvent(o, t.ms, type as EventType, ix);
  }
  if (o['sensor'] === undefined) return { ok: false, reason: 'missing field "sensor" (a reading) or "type" (an event)' };
  const sensor = reference(o, 'sensor', ix.sensors);
  if (!sensor.ok) return sensor;
  const value = o['value'];
  if (value === undefined) return { ok: false, reason: 'missing field "value"' };
  if (typeof value !== 'number') return { ok: false, reason: `value: expected a finite number, got ${describe(value)}` };
  if (!Number.isFinite(value)) return { ok: false, reason: `value: non-finite value ${String(value)}` };
  const rec: TelemetryRecord = { ts: t.ms, sensor: sensor.value, value };
  return { ok: true, record: rec };
}

/** Splits one CSV line into fields: commas, RFC 4180 double quotes, fields trimmed. */
function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) {
    const out = line.split(',');
    for (let k = 0; k < out.length; k++) {
      const f = out[k]!;
      if (f.length > 0 && (f.charCodeAt(0) <= 32 || f.charCodeAt(f.length - 1) <= 32)) out[k] = f.trim();
    }
    return out;
  }
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null; // unterminated quote
        const c = line[i]!;
        if (c === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += c;
        i++;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const j = line.indexOf(',', i);
      field = (j < 0 ? line.slice(i) : line.slice(i, j)).trim();
      i = j < 0 ? line.length : j;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function csvValue(text: string): unknown {
  if (text === '') return undefined;
  if (NUMBER_RE.test(text)) return Number(text);
  if (NON_FINITE_RE.test(text)) return text.toLowerCase().includes('nan') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
  return text;
}

/**
 * Parses a whole record file: JSON Lines (readings and events) or CSV with
 * exactly the header `ts,sensor,value`. Blank lines are skipped; each bad
 * line is refused with its 1-based number; a wrong CSV header refuses the
 * whole file as line 1. Records come back sorted by `ts`, ties in file order.
 */
export function parseRecordsText(text: string, format: RecordFormat, ix: FacilityIndex): ParsedRecords {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rawLines = body.split('\n');
  const records: TwinRecord[] = [];
  const lines: number[] = [];
  const rejected: Rejection[] = [];
  let start = 0;
  if (format === 'csv') {
    const header = (rawLines[0] ?? '').trim();
    const fields = splitCsvLine(header);
    if (fields === null || fields.join(',') !== CSV_HEADER) {
      const got = header === '' ? 'an empty line' : JSON.stringify(header.length > 60 ? `${header.slice(0, 60)}…` : header);
      return { records, lines, rejected: [{ line: 1, reason: `expected the CSV header "${CSV_HEADER}", got ${got}; file refused` }] };
    }
    start = 1;
  }
  for (let i = start; i < rawLines.length; i++) {
    const line = rawLines[i]!.trim();
    if (line === '') continue;
    let obj: unknown;
    if (format === 'jsonl') {
      try {
        obj = JSON.parse(line);
      } catch (e) {
        rejected.push({ line: i + 1, reason: `not valid JSON: ${(e as Error).message}` });
        continue;
      }
    } else {
      const f = splitCsvLine(line);
      if (f === null) { rejected.push({ line: i + 1, reason: 'unterminated or misplaced double quote' }); continue; }
      if (f.length !== 3) { rejected.push({ line: i + 1, reason: `expected 3 fields (${CSV_HEADER}), got ${f.length}` }); continue; }
      obj = { ts: f[0] === '' ? undefined : f[0], sensor: f[1] === '' ? undefined : f[1], value: csvValue(f[2]!) };
    }
    const r = validateRecord(obj, ix);
    if (r.ok) { records.push(r.record); lines.push(i + 1); } else rejected.push({ line: i + 1, reason: r.reason });
  }
  return sortWithLines(records, lines, rejected);
}

function sortWithLines(records: TwinRecord[], lines: number[], rejected: Rejection[]): ParsedRecords {
  let sorted = true;
  for (let i = 1; i < records.length; i++) if (records[i]!.ts < records[i - 1]!.ts) { sorted = false; break; }
  if (sorted) return { records, lines, rejected };
  const ts = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) ts[i] = records[i]!.ts;
  // Ties broken by position: file order, whatever the sort's stability.
  const order = Array.from({ length: records.length }, (_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  return { records: order.map((i) => records[i]!), lines: order.map((i) => lines[i]!), rejected };
}

/** `'csv'` for `*.csv`, `'jsonl'` for `*.jsonl` / `*.ndjson`, else null (case-insensitive). */
export function detectFormat(filename: string): RecordFormat | null {
  const f = filename.toLowerCase();
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/** Stable sort of records by `ts` (epoch ms), ties in their given order; returns a new array. */
export function sortByTs<T extends { ts: number }>(records: readonly T[]): T[] {
  return records.slice().sort((a, b) => a.ts - b.ts);
}
