// How both stores turn an event into its row: the door and subject it is
// filed under, and the text that is its identity; and how they merge their
// telemetry and event rows back into one ordered list. One module, so the
// two stores' idempotency and order cannot drift apart.
import { canonicalJson } from '../../src/core/canonical.ts';
import type { EventRecord, TelemetryRecord } from '../../src/core/records.ts';
import type { StoredRecord } from './types.ts';

/** The door an event is about: its own door, or the door in an alarm id `<kind>:<door>:<onset>`. */
export function doorOf(e: EventRecord): string | null {
  if ('door' in e) return e.door;
  if ('alarm' in e) {
    const first = e.alarm.indexOf(':'), last = e.alarm.lastIndexOf(':');
    return last > first + 1 ? e.alarm.slice(first + 1, last) : null;
  }
  return null;
}

/** The door, camera or alarm an event names. */
export function subjectOf(e: EventRecord): string {
  return 'door' in e ? e.door : 'camera' in e ? e.camera : e.alarm;
}

/** The event without `ts` as canonical JSON: equal events give equal text (the idempotency key). */
export function eventJson(e: EventRecord): string {
  const { ts: _ts, ...rest } = e;
  return canonicalJson(rest);
}

/** The event back from its stored time and text. */
export function eventFrom(ts: number, json: string): EventRecord {
  return { ts, ...(JSON.parse(json) as object) } as EventRecord;
}

/** A stored row's place in the store's order: its time and number. */
interface Placed { ts: number; seq: number }

/**
 * The first `limit` stored records of telemetry rows and event rows, each
 * already sorted in the store's order (by (ts, seq), or by seq alone for a
 * tail), merged into one list in that order.
 */
export function mergeRows<T extends Placed, E extends Placed>(
  tRows: readonly T[], eRows: readonly E[], limit: number, order: 'time' | 'seq',
  reading: (t: T) => TelemetryRecord, event: (e: E) => EventRecord,
): StoredRecord[] {
  const before = order === 'time'
    ? (a: Placed, b: Placed) => a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq)
    : (a: Placed, b: Placed) => a.seq < b.seq;
  const out: StoredRecord[] = [];
  let i = 0, j = 0;
  while (out.length < limit && (i < tRows.length || j < eRows.length)) {
    const t = tRows[i], e = eRows[j];
    if (t && (!e || before(t, e))) { out.push({ seq: t.seq, record: reading(t) }); i++; }
    else if (e) { out.push({ seq: e.seq, record: event(e) }); j++; }
  }
  return out;
}
