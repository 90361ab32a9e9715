// The live buffer: high-rate facts (sensor values, door and camera states)
// in preallocated typed arrays indexed by stable slots, outside React and
// the store. Writers bump `version` and notify; the scene subscribes with
// R3F's invalidate() and reads the arrays in useFrame (STYLE.md, Live data).
import type { FacilityIndex } from '../core/facility/model.ts';

export const DOOR_CLOSED = 0;
export const DOOR_OPEN = 1;
export const DOOR_HELD = 2;
export const DOOR_FORCED = 3;
/** A door state code (0 closed, 1 open, 2 held open too long, 3 forced). */
export type DoorState = typeof DOOR_CLOSED | typeof DOOR_OPEN | typeof DOOR_HELD | typeof DOOR_FORCED;

/** Typed arrays for one facility; slots come from the facility index (sensors) or model order (doors, cameras). */
export interface LiveBuffer {
  /** Latest value per sensor slot (`FacilityIndex.sensorSlot`); NaN before any reading. */
  values: Float64Array;
  /** Timestamp of the latest value, epoch ms; NaN before any reading. */
  timestamps: Float64Array;
  /** Door state per door slot (DOOR_*). */
  doors: Uint8Array;
  /** 1 online, 0 offline, per camera slot. Cameras count as online until told otherwise. */
  cameraOnline: Uint8Array;
  /** The door contact per door slot: 1 open, 0 closed (`doors` is what is drawn: contact and alarms). */
  doorOpen: Uint8Array;
  /** Newest reading time in the buffer, epoch ms (server clock); NaN before any. */
  newestReadingAt: number;
  doorSlot: Map<string, number>;
  cameraSlot: Map<string, number>;
  sensorSlot: Map<string, number>;
  /** Bumped on every write; readers compare it with the version they last drew. */
  version: number;
}

/** Allocates the buffer for a facility. */
export function createLiveBuffer(ix: FacilityIndex): LiveBuffer {
  const doorSlot = new Map<string, number>(), cameraSlot = new Map<string, number>();
  for (const floor of ix.facility.floors) {
    for (const d of floor.doors) doorSlot.set(d.id, doorSlot.size);
    for (const c of floor.cameras) cameraSlot.set(c.id, cameraSlot.size);
  }
  const n = ix.sensorIds.length;
  return {
    values: new Float64Array(n).fill(Number.NaN),
    timestamps: new Float64Array(n).fill(Number.NaN),
    doors: new Uint8Array(doorSlot.size),
    cameraOnline: new Uint8Array(cameraSlot.size).fill(1),
    doorOpen: new Uint8Array(doorSlot.size),
    newestReadingAt: Number.NaN,
    doorSlot, cameraSlot, sensorSlot: ix.sensorSlot,
    version: 0,
  };
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** The buffer of the loaded facility (null before loading). */
export const live: { buffer: LiveBuffer | null } = { buffer: null };

/** Installs the buffer for a newly loaded facility. */
export function resetLive(ix: FacilityIndex): LiveBuffer {
  live.buffer = createLiveBuffer(ix);
  notifyLive();
  return live.buffer;
}

/** Calls `fn` after every write; returns the unsubscribe. */
export function subscribeLive(fn: Listener): () => void {
  listeners.add(fn);
  return () => { listeners.delete(fn); };
}

/** Marks the buffer changed: bumps `version` and notifies (the scene invalidates). */
export function notifyLive(): void {
  if (live.buffer) live.buffer.version++;
  for (const fn of listeners) fn();
}

/**
 * Writes a frame of sensor readings: `slots[k]` gets `values[k]` at `ts[k]`
 * (epoch ms). No allocation; one notify per frame.
 */
export function applyFrame(buf: LiveBuffer, slots: ArrayLike<number>, values: ArrayLike<number>, ts: ArrayLike<number>): void {
  let newest = buf.newestReadingAt;
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    if (s < 0 || s >= buf.values.length) continue;
    const t = ts[k]!;
    buf.values[s] = values[k]!;
    buf.timestamps[s] = t;
    if (!(t <= newest)) newest = t; // NaN-safe: the first reading wins over NaN
  }
  buf.newestReadingAt = newest;
  if (buf === live.buffer) notifyLive(); else buf.version++;
}

/** Sets one door's state. */
export function setDoorState(buf: LiveBuffer, doorId: string, state: DoorState): void {
  const s = buf.doorSlot.get(doorId);
  if (s === undefined) return;
  buf.doors[s] = state;
  if (buf === live.buffer) notifyLive(); else buf.version++;
}

/** Sets one camera online or offline. */
export function setCameraOnline(buf: LiveBuffer, cameraId: string, online: boolean): void {
  const s = buf.cameraSlot.get(cameraId);
  if (s === undefined) return;
  buf.cameraOnline[s] = online ? 1 : 0;
  if (buf === live.buffer) notifyLive(); else buf.version++;
}

/** Forgets every reading (a full frame follows, carrying every sensor that has one). No notify. */
export function clearReadings(buf: LiveBuffer): void {
  buf.values.fill(Number.NaN);
  buf.timestamps.fill(Number.NaN);
  buf.newestReadingAt = Number.NaN;
}

/** A reading older than this (ms, against the server clock) no longer holds (metrics.md §1, 15 min). */
export const STALE_AFTER_MS = 15 * 60_000;

/**
 * The server clock as this browser estimates it: `Date.now()` plus the
 * offset measured at the last `hello` (ms). Module state, not React state.
 */
export const serverClock = { offsetMs: 0 };

/** Server time now, epoch ms. */
export function serverNow(): number {
  return Date.now() + serverClock.offsetMs;
}

/**
 * Replay (timeline.ts): while `active`, the buffer holds the state at
 * `atMs` and the socket's writes into it are paused; the scene's clock is
 * `atMs`. Module state, not React state.
 */
export const replay = { active: false, atMs: Number.NaN };

/** The time the scene shows, epoch ms: the replay cursor in replay, else server time now. */
export function sceneNow(): number {
  return replay.active ? replay.atMs : serverNow();
}

/**
 * A zone's temperature as metrics.md §1 defines it: the mean of its
 * sensors' readings that still hold at `nowMs` (taken within `staleMs`
 * before it); NaN when none does. `slots` are sensor slots. No allocation.
 */
export function zoneTemperature(buf: LiveBuffer, slots: ArrayLike<number>, nowMs: number, staleMs = STALE_AFTER_MS): number {
  let sum = 0, n = 0;
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    const t = buf.timestamps[s]!;
    if (!(nowMs - t < staleMs)) continue; // NaN (no reading) fails too
    sum += buf.values[s]!;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/**
 * When the zone's value next changes by time alone: the earliest moment
 * (epoch ms) one of its held readings stops holding; Infinity when none holds.
 */
export function zoneStaleAt(buf: LiveBuffer, slots: ArrayLike<number>, nowMs: number, staleMs = STALE_AFTER_MS): number {
  let at = Infinity;
  for (let k = 0; k < slots.length; k++) {
    const t = buf.timestamps[slots[k]!]!;
    if (nowMs - t < staleMs && t + staleMs < at) at = t + staleMs;
  }
  return at;
}
