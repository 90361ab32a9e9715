// The one ingest pipeline every source feeds (DESIGN.md "Shape"):
//
//   raw objects ─► validate ─► batch (≤ BATCH_MS or BATCH_MAX) ─► store.append
//   (one transaction) ─► the sender's promise resolves ─► readings to the hub
//   at once ─► reorder window ─► reducer (live state, alarms) ─► changes to the hub
//
// A record is acknowledged only after its transaction commits, so a crash
// after the answer loses nothing.
//
// Out-of-order records. The reducer folds in `ts` order and refuses an event
// earlier than the time it has reached (its alarm rules depend on order).
// Sources do not deliver in order: the door controller, the sensors and the
// operators' consoles have their own clocks and paths. So the live fold runs
// behind a watermark, `clock() − reorderMs`: committed records wait in a
// small sorted buffer and are folded in (ts, arrival) order once the
// watermark passes them, then the reducer is advanced to the watermark
// (raising door-held and door-forced alarms on time). Within the window,
// live state equals replay exactly. A record arriving later than the window:
// - a reading is folded at once; the reducer keeps a sensor's newest reading,
//   so an old reading never regresses the live value;
// - an event is stored (history, metrics and state-at-T see it) and answered
//   `late`; the live state is then folded again from the store (the latest
//   keyframe before it, then every stored record in order: the same replay
//   as state-at-T) beside the live fold, which it holds only to catch up
//   the last moment; when the result differs every client gets the new
//   state as a snapshot (`onRefold`).
//   Late events arriving together take one refold. Counted in /healthz.
// Readings reach the hub's frames at commit, without waiting for the window.
//
// In a cluster (server/cluster/node.ts) every node ingests, but one alarm
// engine runs per facility: the leader's fold takes records from the
// store's tail in seq order (what every node committed) instead of from its
// own commits, with the same window and the same (ts, arrival) order; the
// other nodes (followers) keep a mirror of the leader's state from its
// numbered changes and fold nothing. Alone (no cluster) the pipeline is
// 'solo' and folds its own commits as above.
import { performance } from 'node:perf_hooks';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { validateRecord } from '../../src/core/parse.ts';
import { alarmId, isEvent, type EventRecord, type TelemetryRecord, type TwinRecord } from '../../src/core/records.ts';
import { advance, initialState, reduce, type StateChange, type TwinState } from '../../src/core/reducer.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { canonicalJson } from '../../src/core/canonical.ts';
import type { AcknowledgeRequest, ActionReply, ResolveRequest } from '../../src/core/protocol.ts';
import type { Principal } from '../auth/tokens.ts';
import { iterateRecords, type AuditEntry, type Store } from '../store/types.ts';
import { saveSnapshotAt, stateAt } from '../store/replay.ts';

/** Longest a record waits for its batch, ms. */
export const BATCH_MS = 20;
/** Most records in one transaction. */
export const BATCH_MAX = 1000;
/** How far the live fold runs behind the clock to put records in order, ms. */
export const REORDER_MS = 500;
/** How often the live fold catches up with the watermark, ms. */
export const FOLD_TICK_MS = 100;
/** Records waiting for the store beyond this are refused ("retry later"). */
export const MAX_QUEUE = 200_000;
/**
 * A record stamped further than this ahead of the server clock is refused:
 * a source with a wrong clock (it would wait in the reorder window until the
 * clock got there), ms.
 */
export const MAX_AHEAD_MS = 5 * 60_000;
/** Records replayed on start past which a keyframe is saved at once. */
export const RESTORE_SNAPSHOT_AFTER = 50_000;
/** How often a snapshot is saved when records arrived since the last, ms. */
export const SNAPSHOT_EVERY_MS = 10 * 60_000;
/** A late event waits this long for others before the live state is folded again, ms. */
export const REFOLD_DELAY_MS = 250;
/** Catch-ups of a refold beside the live fold before the last one, which holds it. */
export const REFOLD_CATCHUP_ROUNDS = 2;

/** Refusals that say nothing about the record (the store failed, the queue is full, the server is stopping): send it again later. */
export function isTransientRefusal(reason: string): boolean {
  return reason.startsWith('not stored') || reason.startsWith('ingest queue full') || reason === 'the server is shutting down';
}

/** What happened to one submitted record. */
export type RecordOutcome =
  | { ok: true; /** False when an identical record was stored before (not applied twice). */ isNew: boolean; /** Stored, but too late to change the live state. */ late: boolean }
  | { ok: false; reason: string };

export interface PipelineOptions {
  store: Store;
  index: FacilityIndex;
  /** Epoch ms; tests pass their own. Default Date.now. */
  clock?: () => number;
  batchMs?: number;
  batchMax?: number;
  reorderMs?: number;
  foldTickMs?: number;
  maxQueue?: number;
  /** 0 turns periodic snapshots off. */
  snapshotEveryMs?: number;
  /** Committed readings, at once (the hub coalesces them into frames). */
  onReadings?: (readings: readonly TelemetryRecord[]) => void;
  /** Numbered state changes, in seq order, as the live fold makes them. */
  onChanges?: (changes: readonly StateChange[]) => void;
  /** The live state was folded again to take in late events, and it changed: send it whole (numbering continues above the old). */
  onRefold?: () => void;
  /** How long late events wait for others before the refold, ms. Default REFOLD_DELAY_MS. */
  refoldDelayMs?: number;
  /** One node of a cluster: no state until `follow()` or `lead()` (server/cluster/node.ts). Default false: 'solo'. */
  clustered?: boolean;
}

/** Who folds: one server alone ('solo'), or in a cluster the one 'leader' (folds the store's tail) and its 'follower's (mirror its changes). */
export type FoldRole = 'solo' | 'leader' | 'follower';

/** A consistent point of the leader's fold: every change up to `seq` came from folding the records up to `sealed` (epoch ms). */
export interface FoldMark { seq: number; sealed: number | null; at: number | null }

/** Pending times a follower tells the leader at most (`pendingTimes`). */
export const HOLD_TIMES_MAX = 32;
/**
 * Longest another node's uncommitted records hold the leader's fold past
 * the reorder window, ms: a node whose commits stall does not stall the
 * alarm engine longer (its records then arrive late).
 */
export const HOLD_AT_MOST_MS = 10_000;

/**
 * A new leader folds again at most this much of what the previous one
 * folded, ms; from an older mark (the cluster had no leader for a while) it
 * starts at its own watermark and a snapshot goes to every client instead.
 */
export const REFOLD_AT_MOST_MS = 30_000;

/** Records read from the store's tail per query by a leader. */
export const TAIL_PAGE = 5000;

/** Counters for /healthz. */
export interface PipelineStats {
  received: number;
  accepted: number;
  duplicates: number;
  /** Stored events later than the reorder window (each taken in by a refold of the live state). */
  late: number;
  /** Refolds of the live state for late events; those that changed it; the longest, ms; the longest the live fold was held by one, ms. */
  refolds: number;
  refoldsChanged: number;
  refoldMsMax: number;
  refoldPauseMsMax: number;
  rejected: number;
  /** Rejections by reason, ids and numbers elided (at most 50 kinds). */
  rejectedByReason: Record<string, number>;
  storeErrors: number;
  /** Stored records the live reducer refused (should stay 0). */
  foldRefused: number;
  queued: number;
  reordering: number;
  /** Epoch ms of the last commit, null before any. */
  lastCommitAt: number | null;
  /** Mean and worst time of a store transaction, ms. */
  commitMsMean: number;
  commitMsMax: number;
  /** The live fold's watermark, ISO time. */
  watermark: string | null;
}

interface Item { record: TwinRecord; audit: AuditEntry | null; done: (o: RecordOutcome) => void }

/** Groups rejection reasons: quoted values and numbers elided. */
export function reasonKind(reason: string): string {
  return reason.replace(/"(?:[^"\\]|\\.)*"/g, '…').replace(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, 'N').slice(0, 100);
}

const MAX_REASON_KINDS = 50;

export class Pipeline {
  /** The live state. Written only by the reducer, here (a follower's mirror only from the leader's changes). */
  state: TwinState;
  readonly ready: Promise<void>;
  private markReady: () => void = () => {};
  private role: FoldRole = 'solo';
  /** Follower: the state mirrors the leader's (from its state, then its changes). */
  private hasMirror = false;
  /** Follower: the latest mark consistent with the mirror (where a takeover starts folding). */
  private mark: FoldMark | null = null;
  /** Leader: every stored record numbered up to this is in the fold (or was late). */
  private foldedSeq = 0;
  /** Leader: a tick reading the store's tail. */
  private folding: Promise<void> | null = null;
  private stillLeader: () => boolean = () => false;
  /** Leader: the other nodes' pending times (`pendingTimes`), fresh ones only. */
  private holds: () => Iterable<readonly number[]> = () => [];
  /** Leader after a takeover: changes up to this seq were broadcast by the previous leader already. */
  private emitAbove = 0;
  private readonly store: Store;
  private readonly ix: FacilityIndex;
  private readonly clock: () => number;
  private readonly opts: Required<Pick<PipelineOptions, 'batchMs' | 'batchMax' | 'reorderMs' | 'foldTickMs' | 'maxQueue' | 'snapshotEveryMs'>>;
  private readonly onReadings: (r: readonly TelemetryRecord[]) => void;
  private readonly onChanges: (c: readonly StateChange[]) => void;
  private readonly onRefold: () => void;
  private readonly refoldDelayMs: number;
  /** A refold is scheduled or running; late events meanwhile ask for another (`refoldAgain`). */
  private refoldTimer: NodeJS.Timeout | null = null;
  private refolding: Promise<void> | null = null;
  private refoldAgain = false;
  /** A refold's last catch-up holds the live fold. */
  private foldPaused = false;
  /** Readings folded late while a refold ran: applied again to its result. */
  private lateReadings: TelemetryRecord[] = [];
  private queue: Item[] = [];
  /** Items in the transaction being committed. */
  private inFlight: Item[] = [];
  /** Committed records waiting for the watermark, sorted by ts, ties in arrival order. */
  private reorder: TwinRecord[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushImmediate: NodeJS.Immediate | null = null;
  private draining: Promise<void> | null = null;
  private foldTimer: NodeJS.Timeout | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotting: Promise<void> | null = null;
  private committedSinceSnapshot = false;
  private closed = false;
  private commits = 0;
  private commitMsTotal = 0;
  private readonly counters = {
    received: 0, accepted: 0, duplicates: 0, late: 0, rejected: 0, storeErrors: 0, foldRefused: 0,
    refolds: 0, refoldsChanged: 0, refoldMsMax: 0, refoldPauseMsMax: 0,
    commitMsMax: 0, lastCommitAt: null as number | null,
  };
  private readonly byReason = new Map<string, number>();

  constructor(opts: PipelineOptions) {
    this.store = opts.store;
    this.ix = opts.index;
    this.clock = opts.clock ?? Date.now;
    this.opts = {
      batchMs: opts.batchMs ?? BATCH_MS, batchMax: opts.batchMax ?? BATCH_MAX, reorderMs: opts.reorderMs ?? REORDER_MS,
      foldTickMs: opts.foldTickMs ?? FOLD_TICK_MS, maxQueue: opts.maxQueue ?? MAX_QUEUE, snapshotEveryMs: opts.snapshotEveryMs ?? SNAPSHOT_EVERY_MS,
    };
    this.onReadings = opts.onReadings ?? (() => {});
    this.onChanges = opts.onChanges ?? (() => {});
    this.onRefold = opts.onRefold ?? (() => {});
    this.refoldDelayMs = opts.refoldDelayMs ?? REFOLD_DELAY_MS;
    this.state = initialState(this.ix);
    if (opts.clustered) {
      this.role = 'follower';
      this.ready = new Promise<void>((resolve) => { this.markReady = resolve; });
    } else {
      this.ready = this.restore();
    }
  }

  /**
   * Rebuilds the live state from the store (latest snapshot, then the stored
   * records up to the watermark) and starts the fold and snapshot timers.
   */
  private async restore(): Promise<void> {
    const r = await this.rebuild(this.watermark());
    this.state = r.state;
    this.reorder = r.reorder;
    if (this.closed) return;
    this.startTimers(r.folded);
  }

  /** The state at `wm` from the store, with the records stamped after it (a source ahead of this clock) waiting like fresh ones. */
  private async rebuild(wm: number): Promise<{ state: TwinState; reorder: TwinRecord[]; seq: number; folded: number }> {
    const r = await stateAt(this.store, this.ix, wm);
    if (r.refused > 0) console.warn(`Twinspace: rebuilding the live state, the reducer refused ${r.refused} stored record(s); first: ${r.firstRefusal ?? ''}`);
    const reorder: TwinRecord[] = [];
    for await (const page of iterateRecords(this.store, { from: wm + 1, maxSeq: r.seq })) {
      for (const { record } of page) reorder.push(record);
    }
    return { state: r.state, reorder, seq: r.seq, folded: r.folded };
  }

  private startTimers(folded: number): void {
    // Records stored without this pipeline (an import, a backfill) are in no keyframe yet:
    // save one now when the replay was long, so the next start and state-at-T need not repeat it.
    if (folded > 0) this.committedSinceSnapshot = true;
    if (folded >= RESTORE_SNAPSHOT_AFTER) void this.snapshot();
    this.foldTimer = setInterval(() => this.safely('live fold', () => this.tick()), this.opts.foldTickMs);
    this.foldTimer.unref();
    if (this.opts.snapshotEveryMs > 0) {
      this.snapshotTimer = setInterval(() => { void this.snapshot(); }, this.opts.snapshotEveryMs);
      this.snapshotTimer.unref();
    }
  }

  private stopTimers(): void {
    if (this.foldTimer) clearInterval(this.foldTimer);
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    this.foldTimer = null; this.snapshotTimer = null;
  }

  /** 'solo', 'leader' or 'follower'. */
  get foldRole(): FoldRole { return this.role; }

  /**
   * Cluster: becomes the one node that folds. Rebuilds the state from the
   * store at `from.sealed` (the last mark of the previous leader this node
   * saw; the clock's watermark on a cold start) and folds the store's tail
   * from there. When the rebuilt state numbers its changes as the previous
   * leader did (`from.seq`), the changes it makes again are not broadcast
   * twice and clients go on without a break: `continuous`. Otherwise the
   * caller broadcasts a snapshot. The mirror goes on serving meanwhile.
   * `holds` gives the other nodes' pending times: the fold waits for them
   * as for this node's own queue.
   */
  async lead(from: FoldMark | null, stillLeader: () => boolean, holds: () => Iterable<readonly number[]> = () => []): Promise<{ continuous: boolean }> {
    if (this.role === 'leader') return { continuous: true };
    const now = this.watermark();
    if (from !== null && (from.sealed === null || now - from.sealed > REFOLD_AT_MOST_MS)) from = null;
    const wm = from?.sealed ?? now;
    const r = await this.rebuild(wm);
    if (this.closed) return { continuous: false };
    const mirrorSeq = this.hasMirror ? this.state.seq : 0;
    const continuous = from !== null && r.state.seq === from.seq;
    // NOTE: no seq is ever handed out twice for different changes: when the replay disagrees with
    // what was broadcast (an event stored too late for the old leader's fold), numbering resumes above both.
    if (!continuous) r.state.seq = Math.max(r.state.seq, mirrorSeq);
    this.emitAbove = continuous ? mirrorSeq : 0;
    this.state = r.state;
    this.reorder = r.reorder;
    this.foldedSeq = r.seq;
    this.role = 'leader';
    this.hasMirror = false;
    this.mark = null;
    this.stillLeader = stillLeader;
    this.holds = holds;
    this.startTimers(r.folded);
    this.markReady();
    return { continuous };
  }

  /** Cluster: stops folding (the lease was lost); the state stays as it is until `follow()` gives the new leader's. */
  demote(): void {
    if (this.role !== 'leader') return;
    this.role = 'follower';
    this.stopTimers();
    this.reorder = [];
    this.emitAbove = 0;
  }

  /**
   * Cluster follower: takes the leader's state as the mirror (its pending
   * alarms and door memory dropped: only the leader's engine raises alarms).
   */
  follow(leaderState: TwinState): void {
    if (this.role === 'leader') return;
    this.state = { ...leaderState, pending: [], memory: {} };
    this.hasMirror = true;
    this.mark = { seq: leaderState.seq, sealed: leaderState.sealed, at: leaderState.at };
    this.markReady();
  }

  /** Follower: whether the mirror holds the leader's state. */
  get mirrored(): boolean { return this.role === 'follower' && this.hasMirror; }

  /** Follower: the last mark consistent with the mirror, where a takeover starts. */
  get lastMark(): FoldMark | null { return this.mark; }

  /**
   * Follower: applies the leader's numbered changes to the mirror and
   * returns those that were new, or 'gap' when some are missing (ask the
   * leader for its state again). Changes already applied are skipped.
   */
  applyChanges(changes: readonly StateChange[]): StateChange[] | 'gap' {
    if (!this.mirrored) return [];
    const s = this.state;
    const applied: StateChange[] = [];
    for (const c of changes) {
      if (c.seq <= s.seq) continue;
      if (c.seq !== s.seq + 1) return 'gap';
      if (c.kind === 'door') setOwn(s.doors, c.door, { open: c.open, since: c.since });
      else if (c.kind === 'camera') setOwn(s.cameras, c.camera, { online: c.online, since: c.since });
      else setOwn(s.alarms, c.alarm.id, { ...c.alarm });
      s.seq = c.seq;
      applied.push(c);
    }
    return applied;
  }

  /** Follower: the leader's fold reached `m`; 'gap' when the mirror lacks changes it had made by then. */
  applyMark(m: FoldMark): 'ok' | 'gap' {
    if (!this.mirrored) return 'ok';
    const s = this.state;
    if (m.seq > s.seq) return 'gap';
    if (m.seq < s.seq) return 'ok'; // an older leader's, or one from before a re-sync
    if (m.sealed !== null && (s.sealed === null || m.sealed > s.sealed)) s.sealed = m.sealed;
    if (m.at !== null && (s.at === null || m.at > s.at)) s.at = m.at;
    this.mark = { seq: m.seq, sealed: s.sealed, at: s.at };
    return 'ok';
  }

  /** Follower: readings committed on any node; each sensor keeps its newest (as the reducer does). */
  mirrorReadings(readings: readonly TelemetryRecord[]): void {
    if (!this.mirrored) return;
    const sensors = this.state.sensors;
    for (const r of readings) {
      if (!this.ix.sensors.has(r.sensor)) continue;
      const prev = Object.hasOwn(sensors, r.sensor) ? sensors[r.sensor] : undefined;
      if (prev === undefined) setOwn(sensors, r.sensor, { value: r.value, ts: r.ts });
      else if (r.ts >= prev.ts) { prev.value = r.value; prev.ts = r.ts; }
    }
  }

  /**
   * Where the live fold may go: `clock() − reorderMs`, but not past a record
   * received in time and still waiting for its commit (our own batching must
   * not make a record late).
   */
  private watermark(): number {
    const now = this.clock();
    let wm = now - this.opts.reorderMs;
    const sealed = this.state.sealed ?? -Infinity;
    for (const list of [this.queue, this.inFlight]) {
      for (const it of list) if (it.record.ts > sealed && it.record.ts <= wm) wm = it.record.ts - 1;
    }
    // Leader: the same for what the other nodes have received and not yet committed (their holds).
    if (this.role === 'leader') {
      const oldest = now - this.opts.reorderMs - HOLD_AT_MOST_MS;
      for (const times of this.holds()) {
        const h = times.find((t) => t > sealed);
        if (h === undefined) {
          // All it told are late, but it holds more than it could tell: wait for it.
          if (times.length >= HOLD_TIMES_MAX && this.state.sealed !== null && times[times.length - 1]! >= oldest) wm = Math.min(wm, this.state.sealed);
        } else if (h <= wm && h >= oldest) {
          wm = h - 1;
        }
      }
    }
    return wm;
  }

  /**
   * The distinct times of the records received and not yet committed, the
   * earliest `max` ascending: what a cluster follower tells the leader so
   * its fold waits for them, as this node's own fold does.
   */
  pendingTimes(max = HOLD_TIMES_MAX): number[] {
    const out: number[] = [];
    for (const list of [this.inFlight, this.queue]) {
      for (const it of list) {
        const ts = it.record.ts;
        if (out.length >= max && ts >= out[out.length - 1]!) continue;
        let lo = 0, hi = out.length;
        while (lo < hi) { const mid = (lo + hi) >>> 1; if (out[mid]! < ts) lo = mid + 1; else hi = mid; }
        if (out[lo] === ts) continue;
        out.splice(lo, 0, ts);
        if (out.length > max) out.pop();
      }
    }
    return out;
  }

  /**
   * Validates and stores raw records (one source message); resolves once
   * every accepted one is committed, with one outcome per record in order.
   * A bad record is refused on its own; the others go on.
   */
  async submit(raw: readonly unknown[], audit: AuditEntry | null = null): Promise<RecordOutcome[]> {
    await this.ready;
    const outcomes = new Array<RecordOutcome>(raw.length);
    let waiting = 0;
    let release: () => void = () => {};
    const allDone = new Promise<void>((r) => { release = r; });
    this.counters.received += raw.length;
    for (let i = 0; i < raw.length; i++) {
      const v = validateRecord(raw[i], this.ix);
      const reason = !v.ok ? v.reason : this.refusal(v.record);
      if (reason !== null || !v.ok) {
        const why = reason ?? 'invalid record';
        outcomes[i] = { ok: false, reason: why };
        this.countRejection(why);
        continue;
      }
      waiting++;
      this.queue.push({
        record: v.record, audit: waiting === 1 ? audit : null, // one audit entry per submission
        done: (o) => { outcomes[i] = o; if (--waiting === 0) release(); },
      });
    }
    if (waiting === 0) return outcomes;
    this.scheduleFlush();
    await allDone;
    return outcomes;
  }

  /** An operator's acknowledgement or resolution, stamped now, stored with its audit entry. */
  async alarmAction(who: Principal, kind: 'acknowledge', req: AcknowledgeRequest): Promise<ActionReply>;
  async alarmAction(who: Principal, kind: 'resolve', req: ResolveRequest): Promise<ActionReply>;
  async alarmAction(who: Principal, kind: 'acknowledge' | 'resolve', req: AcknowledgeRequest | ResolveRequest): Promise<ActionReply> {
    await this.ready;
    // After everything folded so far, so the reducer takes it in order.
    const sealed = this.state.sealed ?? -Infinity, at = this.state.at ?? -Infinity;
    const ts = Math.max(this.clock(), sealed + 1, at);
    const record: Record<string, unknown> = kind === 'acknowledge'
      ? { ts, type: 'alarm.acknowledged', alarm: req.alarm, by: who.label }
      : { ts, type: 'alarm.resolved', alarm: req.alarm, by: who.label, outcome: (req as ResolveRequest).outcome, ...(req.note !== undefined ? { note: req.note } : {}) };
    const detail: Record<string, unknown> = { alarm: req.alarm, role: who.role };
    if ('outcome' in req) detail['outcome'] = req.outcome;
    if (req.note !== undefined) detail['note'] = req.note;
    const [out] = await this.submit([record], { ts, actor: who.label, action: `alarm.${kind}`, detail });
    if (!out || !out.ok) return { ok: false, error: out?.reason ?? 'not stored' };
    return { ok: true };
  }

  /** Why a valid record cannot be taken now, or null. */
  private refusal(r: TwinRecord): string | null {
    if (this.closed) return 'the server is shutting down';
    const ahead = r.ts - this.clock();
    if (ahead > MAX_AHEAD_MS) return `ts: ${toIso(r.ts)} is ${Math.round(ahead / 1000)} s ahead of the server clock (at most ${MAX_AHEAD_MS / 1000} s); check the source's clock`;
    if (isAlarmAction(r)) { const why = this.checkAlarmAction(r); if (why) return why; }
    if (this.queue.length >= this.opts.maxQueue) return `ingest queue full (${this.opts.maxQueue} records); retry later`;
    return null;
  }

  /**
   * What the reducer will say of an acknowledgement or resolution: the alarm
   * must be raised (or due by the record's time) and the record not earlier
   * than its onset. Checked before storing so a bad one is never kept.
   */
  private checkAlarmAction(e: Extract<EventRecord, { type: 'alarm.acknowledged' | 'alarm.resolved' }>): string | null {
    const s = this.state;
    const known = s.alarms[e.alarm];
    const onset = known?.onset ?? s.pending.find((p) => p.onset <= e.ts && alarmId(p.kind, p.door, p.onset) === e.alarm)?.onset;
    if (onset === undefined) return `alarm: names no raised alarm ${JSON.stringify(e.alarm)}`;
    if (e.ts < onset) return `alarm: ${e.type === 'alarm.acknowledged' ? 'acknowledgement' : 'resolution'} at ${toIso(e.ts)} is earlier than the onset of ${JSON.stringify(e.alarm)} (${toIso(onset)})`;
    return null;
  }

  private countRejection(reason: string): void {
    this.counters.rejected++;
    let k = reasonKind(reason);
    if (!this.byReason.has(k) && this.byReason.size >= MAX_REASON_KINDS) k = 'other';
    this.byReason.set(k, (this.byReason.get(k) ?? 0) + 1);
  }

  private scheduleFlush(): void {
    if (this.queue.length >= this.opts.batchMax) {
      this.flushImmediate ??= setImmediate(() => { this.flushImmediate = null; void this.drain(); });
    } else {
      this.flushTimer ??= setTimeout(() => { this.flushTimer = null; void this.drain(); }, this.opts.batchMs);
    }
  }

  /** Commits the queue, one transaction per `batchMax` records; one drain runs at a time. */
  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    if (this.queue.length === 0) return Promise.resolve();
    // NOTE: cleared in a `.finally` reaction, which runs after this assignment. A `finally`
    // block inside the async function could run before it (with nothing to await), and the
    // settled promise would then stand for a drain in progress forever (test/repro/pipeline-drain-stall).
    const run = this.drainQueue().finally(() => { if (this.draining === run) this.draining = null; });
    this.draining = run;
    return run;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue.length <= this.opts.batchMax ? this.queue : this.queue.slice(0, this.opts.batchMax);
      this.queue = items === this.queue ? [] : this.queue.slice(items.length);
      this.inFlight = items;
      try {
        await this.commit(items);
      } finally {
        this.inFlight = [];
      }
    }
  }

  private async commit(items: Item[]): Promise<void> {
    const audits: AuditEntry[] = [];
    for (const it of items) if (it.audit) audits.push(it.audit);
    const t0 = performance.now();
    let isNew: boolean[];
    try {
      isNew = (await this.store.append(items.map((it) => it.record), audits)).isNew;
    } catch (e) {
      this.counters.storeErrors++;
      console.error('Twinspace: ingest: store append failed:', e);
      const reason = `not stored: ${(e as Error).message}`;
      for (const it of items) { this.countRejection('not stored: store error'); it.done({ ok: false, reason }); }
      return;
    }
    const ms = performance.now() - t0;
    this.commits++;
    this.commitMsTotal += ms;
    if (ms > this.counters.commitMsMax) this.counters.commitMsMax = ms;
    this.counters.lastCommitAt = this.clock();
    this.committedSinceSnapshot = true;
    const readings: TelemetryRecord[] = [];
    const isSolo = this.role === 'solo';
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const r = it.record;
      if (!isNew[i]) {
        this.counters.duplicates++;
        it.done({ ok: true, isNew: false, late: false });
        continue;
      }
      this.counters.accepted++;
      if (!isEvent(r)) readings.push(r);
      // In a cluster the leader folds it from the store's tail; `late` is what it will find
      // (a follower judges by the leader's last mark, which may be up to a second old).
      const late = isSolo ? this.takeCommitted(r) : isEvent(r) && this.isLate(r);
      it.done({ ok: true, isNew: true, late });
    }
    if (readings.length > 0) {
      if (this.role === 'follower') this.mirrorReadings(readings);
      this.safely('onReadings', () => this.onReadings(readings));
    }
  }

  /** An event at or before the sealed time cannot change the live state any more. */
  private isLate(e: EventRecord): boolean {
    const s = this.state;
    return (s.sealed !== null && e.ts <= s.sealed) || (s.at !== null && e.ts < s.at);
  }

  /** A committed record into the fold: waits for the watermark, or (too late for it) a reading folds at once and an event is counted late. */
  private takeCommitted(r: TwinRecord): boolean {
    const sealed = this.state.sealed;
    if (!isEvent(r)) {
      if (sealed !== null && r.ts <= sealed) this.foldLate(r);
      else this.enqueueFold(r);
      return false;
    }
    if (this.isLate(r)) { this.counters.late++; this.scheduleRefold(); return true; }
    this.enqueueFold(r);
    return false;
  }

  /** A reading older than the watermark: the reducer keeps each sensor's newest, so folding it now cannot regress anything. */
  private foldLate(r: TelemetryRecord): void {
    const out = reduce(this.state, r, this.ix);
    if (!out.ok) this.counters.foldRefused++;
    if (this.refolding) this.lateReadings.push(r);
  }

  /** Late events stored: fold the live state again once they have had a moment to come together. */
  private scheduleRefold(): void {
    if (this.role === 'follower' || this.closed) return;
    if (this.refolding) { this.refoldAgain = true; return; }
    if (this.refoldTimer) return;
    this.refoldTimer = setTimeout(() => {
      this.refoldTimer = null;
      const run: Promise<void> = this.refold()
        .catch((e: unknown) => { this.counters.storeErrors++; console.error('Twinspace: refolding the live state for late events failed (the fold goes on without them):', e); })
        .finally(() => {
          if (this.refolding === run) this.refolding = null;
          if (this.refoldAgain) { this.refoldAgain = false; this.scheduleRefold(); }
        });
      this.refolding = run;
    }, this.refoldDelayMs);
  }

  /**
   * Folds the live state again from the store (state-at-T's replay), so
   * events stored too late for the fold count as they would have in time.
   * The replay runs beside the live fold and then catches up with it; only
   * the last catch-up (the records of a moment) holds the fold. Readings
   * folded late meanwhile are applied again. A changed state keeps numbering
   * above the old and goes to every client whole.
   */
  private async refold(): Promise<void> {
    await this.folding; // a leader's tail read folds into the state: let it finish
    const sealed = this.state.sealed;
    if (sealed === null || this.closed || this.role === 'follower') return;
    let at: number = sealed;
    const t0 = performance.now();
    this.lateReadings = [];
    const r = await stateAt(this.store, this.ix, at);
    let refused = r.refused, firstRefusal = r.firstRefusal;
    const next = r.state;
    let pausedAt = 0;
    try {
      for (let round = 0; round <= REFOLD_CATCHUP_ROUNDS; round++) {
        if (round === REFOLD_CATCHUP_ROUNDS) { this.foldPaused = true; pausedAt = performance.now(); await this.folding; }
        if (this.closed || (this.role as FoldRole) === 'follower') return; // demoted: the new leader's state comes
        const to: number = this.state.sealed ?? at;
        if (to <= at) continue;
        // A leader takes only what its fold has read from the tail; the rest it will find late, and refold again.
        for await (const page of iterateRecords(this.store, { from: at + 1, to, ...(this.role === 'leader' ? { maxSeq: this.foldedSeq } : {}) })) {
          for (const { record } of page) {
            const out = reduce(next, record, this.ix);
            if (!out.ok) { refused++; firstRefusal ??= out.reason; }
          }
        }
        advance(next, to);
        at = to;
      }
      if (this.closed || (this.role as FoldRole) === 'follower') return;
      if (refused > 0) console.warn(`Twinspace: refolding the live state, the reducer refused ${refused} stored record(s); first: ${firstRefusal ?? ''}`);
      for (const reading of this.lateReadings) reduce(next, reading, this.ix);
      this.lateReadings = [];
      const old = this.state;
      const changed = canonicalJson([old.doors, old.cameras, old.alarms]) !== canonicalJson([next.doors, next.cameras, next.alarms]);
      next.seq = changed ? old.seq + 1 : old.seq;
      this.state = next;
      const now = performance.now();
      this.counters.refolds++;
      this.counters.refoldMsMax = Math.max(this.counters.refoldMsMax, now - t0);
      this.counters.refoldPauseMsMax = Math.max(this.counters.refoldPauseMsMax, now - pausedAt);
      if (changed) {
        this.counters.refoldsChanged++;
        this.safely('onRefold', () => this.onRefold());
      }
    } finally {
      this.foldPaused = false;
    }
  }

  private enqueueFold(r: TwinRecord): void {
    const buf = this.reorder;
    if (buf.length === 0 || buf[buf.length - 1]!.ts <= r.ts) { buf.push(r); return; }
    let lo = 0, hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buf[mid]!.ts <= r.ts) lo = mid + 1; else hi = mid;
    }
    buf.splice(lo, 0, r);
  }

  /** Folds the records the watermark has passed and advances the reducer to it; hands the changes to the hub. */
  tick(): void {
    if (this.closed || this.role === 'follower' || this.foldPaused) return; // a refold's last catch-up: the fold waits
    if (this.role === 'leader') { void this.leaderTick(); return; }
    this.foldTo(this.watermark());
  }

  /**
   * Leader: the watermark first, then every record committed so far (on any
   * node) from the store's tail, then the fold. A record of this process not
   * in the tail yet was still queued or in flight when the watermark was
   * taken, so the watermark stayed behind it. A store that cannot be read,
   * or a lease that may have lapsed, stops the fold (no alarm raised twice).
   */
  private leaderTick(): Promise<void> {
    if (this.folding) return this.folding;
    if (!this.stillLeader()) return Promise.resolve();
    // NOTE: cleared in a `.finally` reaction, after the assignment (see drain()).
    const run = this.foldTail().finally(() => { if (this.folding === run) this.folding = null; });
    this.folding = run;
    return run;
  }

  private async foldTail(): Promise<void> {
    try {
      const wm = this.watermark();
      for (;;) {
        const page = await this.store.tail(this.foldedSeq, TAIL_PAGE);
        if (this.role !== 'leader') return;
        for (const { seq, record } of page) { this.foldedSeq = seq; this.takeCommitted(record); }
        if (page.length > 0) this.committedSinceSnapshot = true;
        if (page.length < TAIL_PAGE) break;
      }
      if (this.closed || this.role !== 'leader' || !this.stillLeader()) return;
      this.foldTo(wm);
    } catch (e) {
      this.counters.storeErrors++;
      console.error('Twinspace: live fold: reading the store\'s tail failed; the fold waits:', e);
    }
  }

  private foldTo(wm: number): void {
    const s = this.state;
    if (s.sealed !== null && wm <= s.sealed) return;
    const changes: StateChange[] = [];
    const buf = this.reorder;
    let n = 0;
    while (n < buf.length && buf[n]!.ts <= wm) {
      const out = reduce(s, buf[n]!, this.ix);
      if (out.ok) { for (const c of out.changes) changes.push(c); }
      else {
        this.counters.foldRefused++;
        console.warn(`Twinspace: live fold refused a stored record: ${out.reason}`);
      }
      n++;
    }
    if (n > 0) this.reorder = n === buf.length ? [] : buf.slice(n);
    for (const c of advance(s, wm)) changes.push(c);
    // After a takeover the first folds remake what the previous leader broadcast: those are not sent again.
    const fresh = this.emitAbove > 0 && changes.length > 0 && changes[0]!.seq <= this.emitAbove ? changes.filter((c) => c.seq > this.emitAbove) : changes;
    if (fresh.length > 0) this.safely('onChanges', () => this.onChanges(fresh));
  }

  private safely(what: string, fn: () => void): void {
    try { fn(); } catch (e) { console.error(`Twinspace: ingest: ${what} failed:`, e); }
  }

  /** Saves a snapshot at the watermark when records were stored since the last one. */
  snapshot(): Promise<void> {
    if (this.role === 'follower') return Promise.resolve(); // the leader keeps the keyframes
    if (this.snapshotting) return this.snapshotting;
    if (!this.committedSinceSnapshot) return Promise.resolve();
    this.committedSinceSnapshot = false;
    const at = this.state.sealed ?? this.watermark();
    this.snapshotting = saveSnapshotAt(this.store, this.ix, at)
      .then((saved) => { if (!saved) this.committedSinceSnapshot = true; })
      .catch((e: unknown) => { console.error('Twinspace: snapshot failed:', e); })
      .finally(() => { this.snapshotting = null; });
    return this.snapshotting;
  }

  /** Counters for /healthz. */
  stats(): PipelineStats {
    const c = this.counters;
    return {
      received: c.received, accepted: c.accepted, duplicates: c.duplicates, late: c.late, rejected: c.rejected,
      refolds: c.refolds, refoldsChanged: c.refoldsChanged, refoldMsMax: c.refoldMsMax, refoldPauseMsMax: c.refoldPauseMsMax,
      rejectedByReason: Object.fromEntries(this.byReason), storeErrors: c.storeErrors, foldRefused: c.foldRefused,
      queued: this.queue.length, reordering: this.reorder.length, lastCommitAt: c.lastCommitAt,
      commitMsMean: this.commits ? this.commitMsTotal / this.commits : 0, commitMsMax: c.commitMsMax,
      watermark: this.state.sealed === null ? null : toIso(this.state.sealed),
    };
  }

  /** Commits what is queued, stops the timers; later submissions are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.markReady(); // a cluster node that never got a state: nothing to wait for
    await this.ready.catch(() => {});
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.stopTimers();
    if (this.refoldTimer) clearTimeout(this.refoldTimer);
    this.flushTimer = null; this.flushImmediate = null; this.refoldTimer = null;
    await this.drain();
    await this.folding;
    await this.refolding;
    await this.snapshotting;
  }
}

function isAlarmAction(r: TwinRecord): r is Extract<EventRecord, { type: 'alarm.acknowledged' | 'alarm.resolved' }> {
  return isEvent(r) && (r.type === 'alarm.acknowledged' || r.type === 'alarm.resolved');
}

/** Sets an own data property (ids are facility data; "__proto__" is a valid one), as the reducer does. */
function setOwn<T>(rec: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true });
}
