// The one record type that flows through the pipeline (../shared/spec/data-formats.md).
// Times are epoch milliseconds inside the twin; ISO strings only at the edges.

/** A sensor reading in the sensor's unit. */
export interface TelemetryRecord { ts: number; sensor: string; value: number }

export type AccessGranted = { ts: number; type: 'access.granted'; door: string; badge: string };
export type AccessDenied = { ts: number; type: 'access.denied'; door: string; badge: string };
export type AccessRex = { ts: number; type: 'access.rex'; door: string };
export type DoorOpened = { ts: number; type: 'door.opened'; door: string };
export type DoorClosed = { ts: number; type: 'door.closed'; door: string };
export type CameraOffline = { ts: number; type: 'camera.offline'; camera: string };
export type CameraOnline = { ts: number; type: 'camera.online'; camera: string };
export type AlarmAcknowledged = { ts: number; type: 'alarm.acknowledged'; alarm: string; by: string };
export type AlarmResolved = { ts: number; type: 'alarm.resolved'; alarm: string; by: string; outcome: AlarmOutcome; note?: string };

export type AlarmOutcome = 'genuine' | 'false-alarm';

/** An event record: access, doors, cameras, alarm handling. */
export type EventRecord =
  | AccessGranted | AccessDenied | AccessRex | DoorOpened | DoorClosed
  | CameraOffline | CameraOnline | AlarmAcknowledged | AlarmResolved;

export type EventType = EventRecord['type'];

export const EVENT_TYPES: readonly EventType[] = [
  'access.granted', 'access.denied', 'access.rex', 'door.opened', 'door.closed',
  'camera.offline', 'camera.online', 'alarm.acknowledged', 'alarm.resolved',
];

/** Either kind of record. */
export type TwinRecord = TelemetryRecord | EventRecord;

export function isEvent(r: TwinRecord): r is EventRecord {
  return 'type' in r;
}

/** The alarm kinds of metrics.md §3. */
export const ALARM_KINDS = ['door-forced', 'door-held', 'denied-burst', 'after-hours'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** `<kind>:<door>:<onset ms>` (metrics.md §3). */
export function alarmId(kind: AlarmKind, door: string, onsetMs: number): string {
  return `${kind}:${door}:${onsetMs}`;
}
