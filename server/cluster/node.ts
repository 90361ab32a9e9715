// One server of several (DESIGN.md "More than one server"): the Socket.IO
// Redis Streams adapter shares broadcasts and connection state recovery
// between nodes, PostgreSQL holds the history, and one node per facility —
// the leader — runs the live fold and the alarm engine.
//
// - Leadership: a lease in Redis (`SET <prefix>:leader <node> NX PX
//   leaseMs`, renewed every leaseMs/3 by a compare-and-extend script).
//   Followers try to take it every retryMs; a dead leader's lapses within
//   leaseMs; one shut down gracefully hands it back at once. The leader
//   folds only while its lease is certainly its own (measured from before
//   each renewal was sent), so two engines never raise alarms together.
//   Why Redis and not a PostgreSQL advisory lock: every output of the
//   leader goes through Redis, so the node that can renew there is the one
//   that can be heard; the lease also lapses on its own when the leader
//   freezes or its network splits, where a session lock waits for TCP
//   keepalives. The price: a crashed leader is replaced after up to leaseMs.
// - The fold: the leader folds the store's tail (records in seq order,
//   whichever node stored them) with the same reorder window
//   (server/ingest/pipeline.ts) and broadcasts its numbered changes through
//   the adapter, so every node's clients get the same seqs, and recovery on
//   any node replays them from the stream. Every MARK_EVERY_MS it puts a
//   mark (seq, sealed time: a consistent point of its fold) in the same
//   stream; followers learn from it who leads and how far the fold is.
// - Followers ingest (validate, store, acknowledge), serve HTTP and sockets,
//   and mirror the leader's state: its whole state once (asked over pub/sub),
//   then its changes as they pass through this node's adapter (a hook on the
//   adapter's `onMessage`, before its own clients get them, so the mirror is
//   never behind them). A gap in the seqs asks for the whole state again.
// - Takeover: the new leader rebuilds the state from the store at the last
//   mark it saw and folds on from there. The fold is deterministic (records
//   in (ts, seq) order; where the watermark stopped between them does not
//   change what they raise), so when the rebuilt state has the mark's seq,
//   what it folds again (at most MARK_EVERY_MS of it) carries the seqs
//   already broadcast and is not sent twice: clients see no break.
//   Otherwise (an event stored too late for the old leader's fold, or no
//   mark) it broadcasts a snapshot and numbering resumes above the old.
// - Telemetry: each node sends the readings it committed to the others over
//   pub/sub (one message per commit, frame encoding); each node builds its
//   own frames for its own clients (io.local), latest value per sensor
//   wins. Nothing is sent twice and frames never enter the stream.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { decodeFrame, encodeFrame } from '../../src/core/protocol.ts';
import type { TelemetryRecord } from '../../src/core/records.ts';
import type { StateChange, TwinState } from '../../src/core/reducer.ts';
import type { Hub } from '../hub/hub.ts';
import type { FoldMark, Pipeline } from '../ingest/pipeline.ts';
import { UsageError } from '../shared.ts';
import { CLUSTER_ROOM, MARK_EVENT, type ClusterMark, type Hold, type ReadingsRelay, type StateReply } from './events.ts';

/** A node-redis (v4+) client. */
export type RedisClient = ReturnType<typeof createClient>;

/** How long a leader's lease lasts, ms: a crashed leader is replaced after at most this. */
export const LEASE_MS = 5000;
/** How often a follower tries to take the lease (and asks for the leader's state while it has none), ms. */
export const RETRY_MS = 1000;
/** A leader marks its fold at least this often, ms. */
export const MARK_EVERY_MS = 1000;
/** Entries the Redis stream keeps (trimmed approximately): broadcasts a reconnecting client can recover. */
export const STREAM_MAX_LEN = 10_000;
/** How often a node that is not leading tells the leader the times it holds (records received, not committed), ms. */
export const HOLD_EVERY_MS = 50;
/** A node's holds count this long after it last told them, ms (a node that died holds nothing). */
export const HOLD_TTL_MS = 2000;
/** Changes a node holds while it waits for the leader's state. */
const MAX_BUFFERED_CHANGES = 100_000;

/** Extends the lease only while this node holds it. */
const RENEW_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
/** Gives the lease back only if this node holds it. */
const RELEASE_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const PREFIX_RE = /^[A-Za-z0-9:_.-]{1,100}$/;

/** What a node does now: waiting for a state, mirroring the leader, taking over, or leading. */
export type ClusterRole = 'starting' | 'follower' | 'promoting' | 'leader';

/** How a node joins the cluster. */
export interface ClusterOptions {
  /** A node-redis client (connected, or connecting; the caller closes it), or a `redis://host[:port][/db][?prefix=name]` URL (the node connects and closes it). */
  redis: RedisClient | string;
  /** Prefix of every Redis key, stream and channel (default the URL's `prefix`, else `twinspace:<facility id>`): one Redis can serve several twins. */
  keyPrefix?: string;
  /** This node's name in /healthz and the lease (default host:pid:random). */
  nodeId?: string;
  /** Lease length, ms (default LEASE_MS). */
  leaseMs?: number;
  /** Follower retry interval, ms (default RETRY_MS). */
  retryMs?: number;
  /** Stream cap, entries (default STREAM_MAX_LEN). */
  streamMaxLen?: number;
}

/** For /healthz. */
export interface ClusterStats {
  node: string;
  role: ClusterRole;
  /** The node that leads, as its last mark said (this node when leading); null before any. */
  leader: string | null;
  /** The Redis connection is up. */
  redis: boolean;
  keyPrefix: string;
  /** Age of the leader's last mark, ms; null before any (a follower's view of how stale its mirror may be). */
  markAgeMs: number | null;
  /** Whole-state syncs with the leader so far (the first, then one per gap). */
  stateSyncs: number;
  /** Times this node took the lead. */
  takeovers: number;
}

/** Parses `redis://…[?prefix=name]`: the URL for the client (without `prefix`), the prefix, and a form to print (no password). */
export function parseRedisUrl(url: string): { url: string; prefix: string | null; shown: string } {
  let u: URL;
  try { u = new URL(url); } catch { throw new UsageError(`--redis ${JSON.stringify(url)}: not a URL; expected redis://host:port[/db][?prefix=name]`); }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--redis ${JSON.stringify(url)}: expected redis://… or rediss://…`);
  const prefix = u.searchParams.get('prefix');
  if (prefix !== null && !PREFIX_RE.test(prefix)) throw new UsageError(`--redis: prefix ${JSON.stringify(prefix)} must be 1–100 letters, digits or : _ . -`);
  u.searchParams.delete('prefix');
  const shown = new URL(u.toString());
  if (shown.password) shown.password = '***';
  return { url: u.toString(), prefix, shown: shown.toString() };
}

interface AdapterLike { uid: string; onMessage(message: unknown, offset?: string): void }
interface ClusterMessageLike { type?: number; uid?: string; nsp?: string; data?: { requestId?: unknown; packet?: { type?: number; data?: unknown }; opts?: { rooms?: unknown } } }
// socket.io-adapter's MessageType.BROADCAST and socket.io-parser's PacketType.EVENT.
const BROADCAST = 3, EVENT = 2;
type Emitter = { emit(ev: string, payload: unknown): boolean };

/** This server's part in a cluster; `createApp` builds it when given `redis`. */
export class ClusterNode {
  readonly nodeId: string;
  readonly keyPrefix: string;
  /** The Socket.IO adapter for the hub. */
  readonly adapter: NonNullable<ServerOptions['adapter']>;
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly leaderKey: string;
  private readonly leaseMs: number;
  private readonly retryMs: number;
  private readonly pipeline: Pipeline;
  private readonly ix: FacilityIndex;
  private readonly facilityId: string;
  private hub: Hub | null = null;
  private role: ClusterRole = 'starting';
  private leader: string | null = null;
  /** performance.now() before which the lease is certainly this node's. */
  private leaseUntil = 0;
  private stepTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private markTimer: NodeJS.Timeout | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  /** Leader: what the other nodes hold, by node. */
  private readonly holds = new Map<string, { times: number[]; at: number }>();
  private toldHold = false;
  private stepping = false;
  private renewing = false;
  /** Waiting for the leader's whole state (none yet, or a gap); changes meanwhile are held. */
  private resyncing = true;
  private held: StateChange[] = [];
  private askedAt = -Infinity;
  private lastMarkAt: number | null = null;
  private stateSyncs = 0;
  private takeovers = 0;
  private closed = false;
  private readonly warned = new Set<string>();

  constructor(o: ClusterOptions & { facilityId: string; pipeline: Pipeline; index: FacilityIndex }) {
    if (o.keyPrefix !== undefined && !PREFIX_RE.test(o.keyPrefix)) throw new UsageError(`Twinspace: cluster: keyPrefix ${JSON.stringify(o.keyPrefix)} must be 1–100 letters, digits or : _ . -`);
    this.pipeline = o.pipeline;
    this.ix = o.index;
    this.facilityId = o.facilityId;
    this.nodeId = o.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? LEASE_MS;
    this.retryMs = o.retryMs ?? RETRY_MS;
    let urlPrefix: string | null = null;
    if (typeof o.redis === 'string') {
      const parsed = parseRedisUrl(o.redis);
      urlPrefix = parsed.prefix;
      this.client = createClient({ url: parsed.url });
      this.ownsClient = true;
      this.client.on('error', (e: Error) => this.warnOnce(`redis:${e.message}`, `Twinspace: cluster: Redis ${parsed.shown}: ${e.message}; retrying`));
      this.client.connect().catch((e: unknown) => console.error(`Twinspace: cluster: cannot connect to Redis ${parsed.shown}:`, (e as Error).message));
    } else {
      this.client = o.redis;
      this.ownsClient = false;
    }
    this.keyPrefix = o.keyPrefix ?? urlPrefix ?? `twinspace:${o.facilityId}`;
    this.leaderKey = `${this.keyPrefix}:leader`;
    const make = createAdapter(this.client, {
      streamName: `${this.keyPrefix}:stream`, channelPrefix: `${this.keyPrefix}:io`, sessionKeyPrefix: `${this.keyPrefix}:session:`,
      maxLen: o.streamMaxLen ?? STREAM_MAX_LEN,
    });
    const tap = (a: AdapterLike) => this.tap(a);
    // NOTE: a function, not an arrow: Socket.IO calls the adapter with `new`.
    this.adapter = function clusterAdapter(nsp: { name: string }) {
      const adapter = make(nsp) as unknown as AdapterLike;
      if (nsp.name === '/') tap(adapter);
      return adapter;
    } as unknown as NonNullable<ServerOptions['adapter']>;
  }

  /** Starts taking part: listens to the other nodes and tries for the lead at once. */
  attach(hub: Hub): void {
    this.hub = hub;
    const io = hub.io;
    io.on('cluster:readings', (r) => this.safely('readings from another node', () => this.onReadings(r)));
    io.on('cluster:state-request', (r) => this.safely('state request', () => this.onStateRequest(r.from)));
    io.on('cluster:state', (r) => this.safely('leader state', () => this.onState(r)));
    io.on('cluster:hold', (h) => this.safely('hold', () => this.onHold(h)));
    this.stepTimer = setInterval(() => { void this.step(); }, this.retryMs);
    this.stepTimer.unref();
    this.holdTimer = setInterval(() => this.safely('telling holds', () => this.tellHold()), HOLD_EVERY_MS);
    this.holdTimer.unref();
    void this.step();
  }

  /** Readings this node committed: to the other nodes' frames (and mirrors). */
  relayReadings(readings: readonly TelemetryRecord[]): void {
    // NOTE: not while Redis is away: stale readings would queue in the client and arrive as a burst.
    if (this.closed || !this.hub || !this.client.isReady) return;
    const slots: number[] = [], values: number[] = [], times: number[] = [];
    for (const r of readings) {
      const k = this.ix.sensorSlot.get(r.sensor);
      if (k === undefined) continue;
      slots.push(k); values.push(r.value); times.push(r.ts);
    }
    if (slots.length === 0) return;
    this.hub.io.serverSideEmit('cluster:readings', { facility: this.facilityId, sensors: this.ix.sensorIds.length, n: slots.length, data: encodeFrame(slots.length, slots, values, times) });
  }

  stats(): ClusterStats {
    return {
      node: this.nodeId, role: this.role, leader: this.role === 'leader' ? this.nodeId : this.leader, redis: this.client.isReady,
      keyPrefix: this.keyPrefix, markAgeMs: this.lastMarkAt === null ? null : Math.round(performance.now() - this.lastMarkAt),
      stateSyncs: this.stateSyncs, takeovers: this.takeovers,
    };
  }

  /** Serving: has the leader's state or leads, and Redis is up. */
  get healthy(): boolean {
    return this.client.isReady && (this.role === 'leader' || (this.role !== 'starting' && this.pipeline.foldRole === 'follower' && this.pipeline.mirrored));
  }

  /** Stops leading (and hands the lease back at once) before the app closes; then stops trying. */
  async stepDown(): Promise<void> {
    this.closed = true;
    for (const t of [this.stepTimer, this.renewTimer, this.markTimer, this.holdTimer]) if (t) clearInterval(t);
    this.stepTimer = this.renewTimer = this.markTimer = this.holdTimer = null;
    if (this.role !== 'leader' && this.role !== 'promoting') return;
    this.role = 'follower';
    this.leaseUntil = 0;
    this.pipeline.demote();
    await withTimeout(this.client.eval(RELEASE_LUA, { keys: [this.leaderKey], arguments: [this.nodeId] }), 2000).catch(() => undefined);
  }

  /** After the hub closed (and with it the adapter): closes the Redis client this node opened. */
  async close(): Promise<void> {
    await this.stepDown();
    if (this.ownsClient && this.client.isOpen) await withTimeout(this.client.close(), 2000).catch(() => this.client.destroy());
  }

  // --- the stream ----------------------------------------------------------

  /**
   * Sees every broadcast another node put in the stream, before this node's
   * clients get it. Only broadcasts to everyone (the leader's changes and
   * snapshots) and to CLUSTER_ROOM (marks) are the cluster's; the rest are
   * emits to one socket that recovery stores too.
   */
  private tap(adapter: AdapterLike): void {
    const original = adapter.onMessage.bind(adapter);
    adapter.onMessage = (message: unknown, offset?: string) => {
      const m = message as ClusterMessageLike;
      if (m.type === BROADCAST && m.uid !== adapter.uid && m.nsp === '/' && m.data?.requestId === undefined && m.data?.packet?.type === EVENT) {
        const data = m.data.packet.data, rooms = m.data.opts?.rooms;
        if (Array.isArray(data) && typeof data[0] === 'string' && Array.isArray(rooms)) {
          const event = data[0];
          const scope = rooms.length === 0 ? 'all' : rooms.length === 1 && rooms[0] === CLUSTER_ROOM ? 'cluster' : null;
          if (scope !== null) this.safely(`stream ${event}`, () => this.onBroadcast(event, data[1], scope));
        }
      }
      original(message, offset);
    };
  }

  private onBroadcast(event: string, payload: unknown, scope: 'all' | 'cluster'): void {
    if (scope === 'cluster') {
      if (event === MARK_EVENT) this.onMark(payload as ClusterMark);
    } else if (event === 'state:changed') {
      const changes = (payload as { changes?: unknown } | undefined)?.changes;
      if (Array.isArray(changes)) this.onChanges(changes as StateChange[]);
    } else if (event === 'state:snapshot' && this.pipeline.foldRole !== 'leader') {
      // A new leader could not continue the old numbering: take its whole state.
      this.resync();
    }
  }

  private onChanges(changes: StateChange[]): void {
    if (this.pipeline.foldRole === 'leader') { this.warnOnce('foreign', `Twinspace: cluster: node ${this.nodeId} leads but another node broadcast state changes; ignoring them`); return; }
    if (this.resyncing || !this.pipeline.mirrored) { this.hold(changes); return; }
    const applied = this.pipeline.applyChanges(changes);
    if (applied === 'gap') { this.hold(changes); this.resync(); return; }
    if (applied.length > 0) this.hub?.noteChanges(applied);
  }

  private onMark(m: ClusterMark): void {
    if (typeof m?.seq !== 'number' || typeof m.node !== 'string') return;
    this.leader = m.node;
    this.lastMarkAt = performance.now();
    if (this.pipeline.foldRole === 'leader' || this.resyncing) return;
    if (this.pipeline.applyMark(m) === 'gap') this.resync();
  }

  private hold(changes: readonly StateChange[]): void {
    for (const c of changes) this.held.push(c);
    if (this.held.length > MAX_BUFFERED_CHANGES) this.held = this.held.slice(-MAX_BUFFERED_CHANGES);
  }

  private resync(): void {
    this.resyncing = true;
    this.askState();
  }

  // --- the leader's state -------------------------------------------------

  private askState(): void {
    const now = performance.now();
    if (!this.hub || !this.client.isReady || now - this.askedAt < this.retryMs) return;
    this.askedAt = now;
    this.hub.io.serverSideEmit('cluster:state-request', { from: this.nodeId });
  }

  private onStateRequest(from: string): void {
    if (this.role !== 'leader' || !this.hub || typeof from !== 'string') return;
    this.hub.io.serverSideEmit('cluster:state', { to: from, leader: this.nodeId, state: JSON.stringify(this.pipeline.state) });
  }

  private onState(r: StateReply): void {
    if (r?.to !== this.nodeId || this.pipeline.foldRole === 'leader' || this.role === 'promoting' || this.closed) return;
    const state = JSON.parse(r.state) as TwinState;
    this.pipeline.follow(state);
    this.hub?.resetChanges();
    this.stateSyncs++;
    this.leader = r.leader;
    this.lastMarkAt = performance.now();
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    const applied = this.pipeline.applyChanges(held);
    if (applied === 'gap') { this.hold(held); this.askedAt = -Infinity; this.askState(); return; }
    if (applied.length > 0) this.hub?.noteChanges(applied);
    this.resyncing = false;
    if (this.role === 'starting') {
      this.role = 'follower';
      console.log(`Twinspace: cluster: node ${this.nodeId} follows ${r.leader} (seq ${this.pipeline.state.seq})`);
    }
  }

  // --- the lease ------------------------------------------------------------

  private leaseValid(): boolean {
    return (this.role === 'leader' || this.role === 'promoting') && performance.now() < this.leaseUntil;
  }

  private leaseFrom(sentAt: number): number {
    // Measured from before the command was sent: Redis started its PX no earlier.
    return sentAt + this.leaseMs - Math.min(500, this.leaseMs / 10);
  }

  private async step(): Promise<void> {
    if (this.closed || this.stepping || this.role === 'leader' || this.role === 'promoting') return;
    this.stepping = true;
    try {
      const sentAt = performance.now();
      const got = await this.client.set(this.leaderKey, this.nodeId, { condition: 'NX', expiration: { type: 'PX', value: this.leaseMs } });
      if (got === 'OK' && !this.closed) {
        this.leaseUntil = this.leaseFrom(sentAt);
        await this.promote();
        return;
      }
    } catch (e) {
      this.warnOnce(`step:${(e as Error).message}`, `Twinspace: cluster: could not reach Redis for the lease: ${(e as Error).message}`);
    } finally {
      this.stepping = false;
    }
    if (this.resyncing || !this.pipeline.mirrored) this.askState();
  }

  private async promote(): Promise<void> {
    const was = this.role;
    this.role = 'promoting';
    this.renewTimer = setInterval(() => { void this.renew(); }, Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
    const from: FoldMark | null = this.pipeline.mirrored && !this.resyncing ? this.pipeline.lastMark : null;
    const t0 = performance.now();
    try {
      const { continuous } = await this.pipeline.lead(from, () => this.leaseValid(), () => this.freshHolds());
      if (this.role !== 'promoting') return; // the lease lapsed meanwhile
      this.role = 'leader';
      this.takeovers++;
      this.leader = this.nodeId;
      this.held = [];
      this.resyncing = false;
      if (!continuous) this.hub?.broadcastSnapshot();
      this.emitMark();
      this.markTimer = setInterval(() => this.emitMark(), MARK_EVERY_MS);
      this.markTimer.unref();
      console.log(`Twinspace: cluster: node ${this.nodeId} leads facility ${this.facilityId} (was ${was}; state rebuilt from the store in ${Math.round(performance.now() - t0)} ms, seq ${this.pipeline.state.seq}, ${continuous ? 'numbering continued' : 'snapshot broadcast'})`);
    } catch (e) {
      console.error('Twinspace: cluster: could not take the lead (rebuilding the state from the store failed); handing the lease back:', e);
      await this.loseLease('the state could not be rebuilt');
      await this.client.eval(RELEASE_LUA, { keys: [this.leaderKey], arguments: [this.nodeId] }).catch(() => undefined);
    }
  }

  private async renew(): Promise<void> {
    if (this.role !== 'leader' && this.role !== 'promoting') return;
    // Redis may hold a command until it reconnects: a lease not renewed in time is gone either way.
    if (performance.now() >= this.leaseUntil) { await this.loseLease('it lapsed before Redis answered'); return; }
    if (this.renewing) return;
    this.renewing = true;
    const sentAt = performance.now();
    try {
      const r = await this.client.eval(RENEW_LUA, { keys: [this.leaderKey], arguments: [this.nodeId, String(this.leaseMs)] });
      if (this.role !== 'leader' && this.role !== 'promoting') return;
      if (r === 1) this.leaseUntil = this.leaseFrom(sentAt);
      else await this.loseLease('another node holds the lease');
    } catch (e) {
      if (performance.now() >= this.leaseUntil) await this.loseLease(`could not renew it: ${(e as Error).message}`);
    } finally {
      this.renewing = false;
    }
  }

  /** The lease is gone: stop folding at once and mirror whoever leads next. */
  private async loseLease(why: string): Promise<void> {
    if (this.role !== 'leader' && this.role !== 'promoting') return;
    console.error(`Twinspace: cluster: node ${this.nodeId} lost the lead (${why}); following again`);
    this.role = 'follower';
    this.leaseUntil = 0;
    for (const t of [this.renewTimer, this.markTimer]) if (t) clearInterval(t);
    this.renewTimer = this.markTimer = null;
    this.pipeline.demote();
    this.resync();
  }

  private emitMark(): void {
    if (!this.hub || !this.leaseValid() || !this.client.isReady) return;
    const s = this.pipeline.state;
    const mark: ClusterMark = { node: this.nodeId, seq: s.seq, sealed: s.sealed, at: s.at };
    (this.hub.io.to(CLUSTER_ROOM) as unknown as Emitter).emit(MARK_EVENT, mark);
    this.lastMarkAt = performance.now();
  }

  // --- holds: records received at a follower, not yet in the store -------------

  /**
   * Not leading: tells the leader the times of what this node received and
   * has not committed, so its fold waits for them as for its own (a record
   * is never late because of where it was sent). Once more when empty.
   */
  private tellHold(): void {
    if (!this.hub || this.role === 'leader' || this.role === 'promoting' || !this.client.isReady) return;
    const times = this.pipeline.pendingTimes();
    if (times.length === 0 && !this.toldHold) return;
    this.toldHold = times.length > 0;
    this.hub.io.serverSideEmit('cluster:hold', { node: this.nodeId, times });
  }

  private onHold(h: Hold): void {
    if (this.role !== 'leader' && this.role !== 'promoting') return;
    if (typeof h?.node !== 'string' || !Array.isArray(h.times)) return;
    if (h.times.length === 0) this.holds.delete(h.node);
    else this.holds.set(h.node, { times: h.times.filter((t) => typeof t === 'number'), at: performance.now() });
  }

  private *freshHolds(): Iterable<readonly number[]> {
    const now = performance.now();
    for (const [node, h] of this.holds) {
      if (now - h.at > HOLD_TTL_MS) this.holds.delete(node);
      else yield h.times;
    }
  }

  // --- telemetry -------------------------------------------------------------

  private onReadings(r: ReadingsRelay): void {
    if (r.facility !== this.facilityId || r.sensors !== this.ix.sensorIds.length) {
      this.warnOnce('facility', `Twinspace: cluster: another node runs facility ${JSON.stringify(r.facility)} with ${r.sensors} sensors, this one ${JSON.stringify(this.facilityId)} with ${this.ix.sensorIds.length}: its readings are ignored (run every node with the same facility file)`);
      return;
    }
    const f = decodeFrame({ n: r.n, data: r.data });
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < f.slots.length; i++) {
      const sensor = this.ix.sensorIds[f.slots[i]!];
      if (sensor !== undefined) records.push({ ts: f.times[i]!, sensor, value: f.values[i]! });
    }
    this.hub?.publishReadings(records);
    this.pipeline.mirrorReadings(records);
  }

  private safely(what: string, fn: () => void): void {
    try { fn(); } catch (e) { console.error(`Twinspace: cluster: ${what} failed:`, e); }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    if (this.warned.size > 100) this.warned.clear();
    this.warned.add(key);
    console.warn(message);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}
