// The live socket protocol (../shared/spec/interfaces.md, "Live socket"),
// shared by the server hub and the browser client: event maps, payloads and
// the schemas that check what the client sends. Pure: no socket import.
//
// Two kinds of message flow from the server:
// - `telemetry:frame`: readings coalesced to a fixed tick, latest value per
//   sensor wins, sent volatile (a frame may be dropped). A client that missed
//   frames gets, with its next one, every reading that changed since the
//   last frame it got: the latest values, never a backlog.
// - `state:changed`: door, camera and alarm changes, numbered by `seq`
//   (contiguous, from 1 per server start) and never lost: after a reconnect
//   the server replays what was missed, or the client asks `state:sync` and
//   gets the missed changes or a whole `state:snapshot`.
// Sensor values travel only in frames: a snapshot over the socket has the
// `/api/state` shape with `sensors` left empty, and the first frame after
// connecting is `full` (every sensor's latest reading).
import { z } from 'zod';
import type { StateChange, StateJson } from './reducer.ts';
import type { AlarmOutcome } from './records.ts';

/** Bumped when a payload changes incompatibly; the client refuses a server with another version. */
export const PROTOCOL_VERSION = 1;

/**
 * Telemetry frames are built and broadcast once per this many milliseconds.
 * 100 ms keeps a reading's ingest-to-screen p99 under 250 ms at 1,000
 * clients (a 250 ms tick alone put it at ~370 ms); a frame is encoded once
 * for all clients, so the cost is ~10 deliveries per client per second.
 */
export const FRAME_TICK_MS = 100;

/** Roles in ascending power: viewer reads, operator also handles alarms, admin also changes the model and tokens. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` has at least the power of `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Whether a string names a role. */
export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export type { StateChange, StateJson };

/** First message on every connection (and again after a recovered reconnect). */
export interface HelloPayload {
  protocol: number;
  /** The facility id the server runs. */
  facility: string;
  role: Role;
  /** Seq of the latest state change at connect time. */
  seq: number;
  /** The connection state was recovered: missed `state:changed` follow (or have been replayed); no snapshot is sent. */
  recovered: boolean;
  frameTickMs: number;
  /** Server clock, epoch ms. */
  serverTime: number;
}

/**
 * Latest readings since the previous frame the client got, packed in one
 * binary attachment (`encodeFrame` / `decodeFrame`) so the browser copies
 * them into its typed arrays without parsing numbers out of JSON.
 */
export interface TelemetryFrame {
  /** When the frame was built, server epoch ms. */
  at: number;
  /** Readings in the frame. */
  n: number;
  /** `n` values (float64), then `n` reading times in epoch ms (float64), then `n` sensor slots (uint32), little-endian. */
  data: ArrayBuffer | ArrayBufferView;
  /** Carries every sensor with a reading (a client that fell far behind, or one just connected). */
  full?: true;
}

/** A frame's readings as typed arrays; `slots` index `FacilityIndex.sensorSlot`. */
export interface FrameReadings { slots: Uint32Array; values: Float64Array; times: Float64Array }

/** Bytes per reading in a frame. */
export const FRAME_BYTES_PER_READING = 20;

/** Packs `n` readings (slot, value, time ms) into a frame's binary payload. */
export function encodeFrame(n: number, slots: ArrayLike<number>, values: ArrayLike<number>, times: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const buf = new ArrayBuffer(n * FRAME_BYTES_PER_READING);
  const v = new Float64Array(buf, 0, n), t = new Float64Array(buf, 8 * n, n), s = new Uint32Array(buf, 16 * n, n);
  for (let i = 0; i < n; i++) { v[i] = values[i]!; t[i] = times[i]!; s[i] = slots[i]!; }
  // NOTE: typed arrays are in platform byte order; every platform a browser or Node runs on is little-endian.
  return new Uint8Array(buf);
}

/** Unpacks a frame's readings; throws when the payload does not hold `n` of them. */
export function decodeFrame(f: Pick<TelemetryFrame, 'n' | 'data'>): FrameReadings {
  const n = f.n;
  const view = ArrayBuffer.isView(f.data) ? f.data : new Uint8Array(f.data);
  if (!Number.isInteger(n) || n < 0 || view.byteLength !== n * FRAME_BYTES_PER_READING) {
    throw new Error(`Twinspace: telemetry frame of ${view.byteLength} bytes does not hold ${n} readings`);
  }
  // Views need an 8-byte aligned start; a Node Buffer from a pool may not have one.
  const bytes = view.byteOffset % 8 === 0
    ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
  const b = bytes.buffer, o = bytes.byteOffset;
  return { values: new Float64Array(b, o, n), times: new Float64Array(b, o + 8 * n, n), slots: new Uint32Array(b, o + 16 * n, n) };
}

/** Numbered state changes, ascending and contiguous in `seq`. */
export interface StateChangedPayload { changes: StateChange[] }

/** Reply of an operator action. */
export type ActionReply = { ok: true } | { ok: false; error: string };

/** Reply of `state:sync`: the changes after `lastSeq`, or the whole state when they are no longer kept. */
export type SyncReply =
  | { ok: true; mode: 'changes'; changes: StateChange[] }
  | { ok: true; mode: 'snapshot'; snapshot: StateJson }
  | { ok: false; error: string };

const alarmIdSchema = z.string().min(1).max(200);
const noteSchema = z.string().max(2000);

/** `alarm:acknowledge` request. */
export const acknowledgeRequestSchema = z.strictObject({ alarm: alarmIdSchema, note: noteSchema.optional() });
export type AcknowledgeRequest = z.infer<typeof acknowledgeRequestSchema>;

/** `alarm:resolve` request (also the body of `POST /api/alarms/<id>/resolve`, without `alarm`). */
export const resolveRequestSchema = z.strictObject({
  alarm: alarmIdSchema,
  outcome: z.enum(['genuine', 'false-alarm'] as const satisfies readonly AlarmOutcome[]),
  note: noteSchema.optional(),
});
export type ResolveRequest = z.infer<typeof resolveRequestSchema>;

/** `state:sync` request: the seq of the latest change the client applied (0 for none). */
export const syncRequestSchema = z.strictObject({ lastSeq: z.number().int().min(0) });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

/** Events the server sends. */
export interface ServerToClientEvents {
  hello: (p: HelloPayload) => void;
  'telemetry:frame': (f: TelemetryFrame) => void;
  'state:changed': (p: StateChangedPayload) => void;
  /** Doors, cameras, open alarms and `seq`; `sensors` is empty (see the top of this file). */
  'state:snapshot': (s: StateJson) => void;
}

/** Events the client sends; each is answered through its acknowledgement. */
export interface ClientToServerEvents {
  'alarm:acknowledge': (req: AcknowledgeRequest, ack: (r: ActionReply) => void) => void;
  'alarm:resolve': (req: ResolveRequest, ack: (r: ActionReply) => void) => void;
  'state:sync': (req: SyncRequest, ack: (r: SyncReply) => void) => void;
}

/** What a client does with a `state:changed` batch given the seq it last applied. */
export type ChangeAction =
  | { action: 'apply'; changes: StateChange[] }
  | { action: 'gap'; missingFrom: number };

/**
 * Drops changes already applied (seq ≤ lastSeq) and says whether the rest
 * follow on without a gap; on a gap the client asks `state:sync`.
 */
export function classifyChanges(lastSeq: number, changes: readonly StateChange[]): ChangeAction {
  const fresh = changes.filter((c) => c.seq > lastSeq);
  let expect = lastSeq + 1;
  for (const c of fresh) {
    if (c.seq !== expect) return { action: 'gap', missingFrom: expect };
    expect++;
  }
  return { action: 'apply', changes: fresh };
}
