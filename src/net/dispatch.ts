// What the live socket's messages do to the browser's state, apart from the
// transport (socket.ts): snapshots and numbered changes into the live buffer
// (door contacts, cameras, derived door states) and the store (open
// alarms), applied in seq order with gaps filled by `state:sync`; frames
// into the typed arrays. Telemetry never touches React state.
import {
  classifyChanges, decodeFrame, PROTOCOL_VERSION, type HelloPayload, type StateChange, type StateJson, type SyncReply, type TelemetryFrame,
} from '../core/protocol.ts';
import type { Alarm } from '../core/reducer.ts';
import { applyFrame, clearReadings, live, notifyLive, type LiveBuffer } from '../state/live.ts';
import { deriveDoorStates, type ClientAlarm } from '../state/alarms.ts';
import { useTwin } from '../state/store.ts';

/** Why this page cannot use a server that said `hello` (another protocol, another facility), or null. */
export function helloProblem(h: HelloPayload, facilityId: string, protocol = PROTOCOL_VERSION): string | null {
  if (h.protocol !== protocol) return `The server speaks live protocol ${h.protocol}; this page speaks ${protocol}. Reload the page to get the matching version.`;
  if (h.facility !== facilityId) return `The server now runs facility "${h.facility}", not "${facilityId}". Reload the page.`;
  return null;
}

/** Epoch ms of an ISO time, or null. */
function ms(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

function fromAlarm(a: Alarm): ClientAlarm {
  return { id: a.id, kind: a.kind, door: a.door, onset: a.onset, acknowledgedAt: a.acknowledgedAt, acknowledgedBy: a.acknowledgedBy };
}

/**
 * Writes a snapshot (doors, cameras, open alarms) into `buf` and the store.
 * `announceNew`: alarms not known before get a toast (a reconnect that
 * missed them), not on the first snapshot of a page. Returns the ids announced.
 */
export function applySnapshot(buf: LiveBuffer, snap: StateJson, announceNew: boolean): string[] {
  for (const [id, d] of Object.entries(snap.doors)) {
    const s = buf.doorSlot.get(id);
    if (s !== undefined) buf.doorOpen[s] = d.open ? 1 : 0;
  }
  for (const [id, c] of Object.entries(snap.cameras)) {
    const s = buf.cameraSlot.get(id);
    if (s !== undefined) buf.cameraOnline[s] = c.online ? 1 : 0;
  }
  const before = useTwin.getState().alarms;
  const alarms: Record<string, ClientAlarm> = {};
  const fresh: string[] = [];
  for (const a of snap.alarms) {
    const onset = ms(a.onset);
    if (onset === null) continue;
    const known = Object.hasOwn(before, a.id) ? before[a.id] : undefined;
    const acknowledgedAt = ms(a.acknowledgedAt);
    // Who acknowledged: the snapshot says (an older server's does not: keep what a change told us).
    const acknowledgedBy = acknowledgedAt !== null ? (typeof a.acknowledgedBy === 'string' ? a.acknowledgedBy : known?.acknowledgedBy ?? null) : null;
    alarms[a.id] = { id: a.id, kind: a.kind, door: a.door, onset, acknowledgedAt, acknowledgedBy };
    if (!known) fresh.push(a.id);
  }
  fresh.sort((x, y) => alarms[x]!.onset - alarms[y]!.onset);
  const announce = announceNew ? fresh : [];
  useTwin.getState().setAlarms(alarms, announce);
  deriveDoorStates(buf, Object.values(alarms));
  if (buf === live.buffer) notifyLive(); else buf.version++;
  return announce;
}

/**
 * Applies numbered changes (already in seq order, without a gap) to `buf`
 * and the store. Returns the ids of alarms raised by them that are still
 * open (to announce).
 */
export function applyChanges(buf: LiveBuffer, changes: readonly StateChange[]): string[] {
  let alarms: Record<string, ClientAlarm> | null = null;
  const raised: string[] = [];
  let touched = false;
  for (const c of changes) {
    switch (c.kind) {
      case 'door': {
        const s = buf.doorSlot.get(c.door);
        if (s !== undefined) { buf.doorOpen[s] = c.open ? 1 : 0; touched = true; }
        break;
      }
      case 'camera': {
        const s = buf.cameraSlot.get(c.camera);
        if (s !== undefined) { buf.cameraOnline[s] = c.online ? 1 : 0; touched = true; }
        break;
      }
      default: {
        alarms ??= { ...useTwin.getState().alarms };
        if (c.kind === 'alarm.resolved' || c.alarm.resolvedAt !== null) delete alarms[c.alarm.id];
        else alarms[c.alarm.id] = fromAlarm(c.alarm);
        if (c.kind === 'alarm.raised') raised.push(c.alarm.id);
      }
    }
  }
  const open = alarms ?? useTwin.getState().alarms;
  const announce = raised.filter((id) => Object.hasOwn(open, id));
  if (alarms) useTwin.getState().setAlarms(alarms, announce);
  if (deriveDoorStates(buf, Object.values(open)) || touched || alarms) {
    if (buf === live.buffer) notifyLive(); else buf.version++;
  }
  return announce;
}

/**
 * Replaces everything `buf` holds with a whole state (`GET /api/state[?at=]`):
 * readings, door contacts (absent: closed), cameras (absent: online), open
 * alarms into the store (no toasts), derived door states. One notify.
 */
export function applyStateAt(buf: LiveBuffer, snap: StateJson): void {
  clearReadings(buf);
  let newest = Number.NaN;
  for (const [id, r] of Object.entries(snap.sensors)) {
    const s = buf.sensorSlot.get(id);
    const t = ms(r.ts);
    if (s === undefined || t === null) continue;
    buf.values[s] = r.value;
    buf.timestamps[s] = t;
    if (!(t <= newest)) newest = t;
  }
  buf.newestReadingAt = newest;
  buf.doorOpen.fill(0);
  buf.cameraOnline.fill(1);
  applySnapshot(buf, snap, false);
}

/** Writes a telemetry frame into `buf` (a full frame replaces every reading). No React state. */
export function applyTelemetry(buf: LiveBuffer, f: TelemetryFrame): void {
  const r = decodeFrame(f);
  if (f.full) clearReadings(buf);
  applyFrame(buf, r.slots, r.values, r.times);
}

/** Delay before asking `state:sync` again after it failed, ms. */
export const SYNC_RETRY_MS = 2_000;

/**
 * Keeps numbered changes in order: applies a batch that follows on from the
 * last applied seq, and on a gap asks `state:sync` (changes or a whole
 * snapshot), holding what arrives meanwhile.
 */
export class ChangeSequencer {
  /** Seq of the last change applied (or of the snapshot). */
  lastSeq = 0;
  private syncing = false;
  private held: StateChange[] = [];
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: {
    apply: (changes: StateChange[]) => void;
    snapshot: (s: StateJson) => void;
    /** Sends `state:sync {lastSeq}`; rejects when it cannot be answered (disconnected, timeout). */
    sync: (lastSeq: number) => Promise<SyncReply>;
  }) {}

  /** A snapshot replaced the state: start over from its seq. */
  reset(seq: number): void {
    this.lastSeq = seq;
    this.held = this.held.filter((c) => c.seq > seq);
  }

  /** A `state:changed` batch. */
  receive(changes: readonly StateChange[]): void {
    if (this.syncing) { this.held.push(...changes); return; }
    const all = this.held.length ? [...this.held, ...changes] : [...changes];
    this.held = [];
    all.sort((a, b) => a.seq - b.seq);
    const unique = all.filter((c, i) => i === 0 || c.seq !== all[i - 1]!.seq);
    const r = classifyChanges(this.lastSeq, unique);
    if (r.action === 'apply') {
      if (r.changes.length === 0) return;
      this.lastSeq = r.changes[r.changes.length - 1]!.seq;
      this.deps.apply(r.changes);
      return;
    }
    // Apply what follows on, keep the rest, and ask for the missing ones.
    const fresh = unique.filter((c) => c.seq > this.lastSeq);
    this.held = fresh;
    void this.syncNow();
  }

  /** The server says its latest seq is `seq` (hello): catch up when behind. */
  expect(seq: number): void {
    if (seq > this.lastSeq && !this.syncing) void this.syncNow();
  }

  /** Asks `state:sync` now (also after a failure). */
  async syncNow(): Promise<void> {
    if (this.retry) { clearTimeout(this.retry); this.retry = null; }
    if (this.syncing) return;
    this.syncing = true;
    let ok = false;
    try {
      const reply = await this.deps.sync(this.lastSeq);
      if (reply.ok && reply.mode === 'snapshot') {
        this.deps.snapshot(reply.snapshot);
        this.reset(reply.snapshot.seq);
        ok = true;
      } else if (reply.ok) {
        this.held.push(...reply.changes);
        ok = true;
      }
    } catch {
      // Disconnected or timed out: a reconnect brings a snapshot or a recovery; retry meanwhile.
    } finally {
      this.syncing = false;
    }
    const held = this.held;
    this.held = [];
    if (!ok) {
      this.held = held;
      this.retry = setTimeout(() => { void this.syncNow(); }, SYNC_RETRY_MS);
      return;
    }
    this.receive(held);
  }

  /** Stops retrying. */
  stop(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }
}
