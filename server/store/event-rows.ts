// How both stores turn an event into its row: the door and subject it is
// filed under, and the text that is its identity. One module, so the two
// stores' idempotency cannot drift apart.
import { canonicalJson } from '../../src/core/canonical.ts';
import type { EventRecord } from '../../src/core/records.ts';

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
