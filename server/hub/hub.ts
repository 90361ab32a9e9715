// The live socket (Socket.IO): telemetry frames and numbered state changes to
// every browser, operator actions back (../shared/NUMBERS.md for the why).
//
// - Telemetry: readings are coalesced per sensor (latest wins) and one frame
//   per FRAME_TICK_MS is built once and broadcast volatile to everyone (a
//   broadcast is encoded once). A client whose transport is still busy at a
//   tick skips it; at the first tick it can take data again it gets, instead
//   of the backlog, every sensor that changed since the last frame it got
//   (clients that missed the same ticks share one encoded catch-up frame).
//   A new connection catches up from nothing: every sensor's latest value.
// - State changes: broadcast non-volatile and without ack, so connection
//   state recovery stores and replays them; also kept in a ring buffer so a
//   client that noticed a gap can `state:sync` and get the missed ones, or a
//   whole snapshot when they are gone. A connection that was not recovered
//   gets a snapshot at once.
// - Every handshake is authenticated, recovered ones too (skipMiddlewares
//   false); every inbound payload is checked; a listener never throws.
// - In a cluster (server/cluster/node.ts) the Redis Streams adapter carries
//   the leader's state changes to every node's clients and keeps recovery
//   working across nodes; frames stay local (`io.local`): each node builds
//   its own from the readings of every node, so none crosses Redis twice
//   and the stream holds only what recovery must replay.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import {
  acknowledgeRequestSchema, encodeFrame, FRAME_TICK_MS, PROTOCOL_VERSION, resolveRequestSchema, roleAtLeast, syncRequestSchema,
  type ActionReply, type ClientToServerEvents, type ServerToClientEvents, type SyncReply, type TelemetryFrame,
} from '../../src/core/protocol.ts';
import type { TelemetryRecord } from '../../src/core/records.ts';
import { stateToJson, type StateChange, type StateJson } from '../../src/core/reducer.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import { originAllowed } from '../auth/guard.ts';
import { TokenBucket, type RateSpec } from '../auth/rate.ts';
import type { Authenticator, Principal } from '../auth/tokens.ts';
import type { ClusterEvents } from '../cluster/events.ts';

/** State changes kept for `state:sync`. */
export const CHANGE_RING_SIZE = 10_000;
/** Connection state recovery window, ms. */
export const RECOVERY_WINDOW_MS = 2 * 60_000;
/** Largest message a client may send, bytes (its messages are small requests). */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
/** Default per-connection message rate. */
export const SOCKET_RATE: RateSpec = { perSecond: 20, burst: 40 };
/** Messages refused for rate before the connection is dropped. */
export const SOCKET_STRIKES_BEFORE_DISCONNECT = 200;

interface SocketData {
  principal: Principal;
  bucket: TokenBucket;
  strikes: number;
  /** Number of the last tick whose readings this client got; -1 for none yet. */
  lastTick: number;
}
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

export interface HubOptions {
  httpServer: HttpServer;
  index: FacilityIndex;
  pipeline: Pipeline;
  auth: Authenticator;
  /** Resolves when the app can serve (the live state is rebuilt). */
  ready: Promise<void>;
  clock?: () => number;
  frameTickMs?: number;
  ringSize?: number;
  /** Extra origins allowed to connect (the server's own always is); null: only its own. */
  allowedOrigins?: readonly string[] | null;
  maxMessageBytes?: number;
  socketRate?: RateSpec;
  /** Socket.IO adapter (a cluster's Redis Streams adapter); default in-memory. */
  adapter?: ServerOptions['adapter'];
}

/** Counters for /healthz and the benchmarks. */
export interface HubStats {
  clients: number;
  /** Frame broadcasts. */
  framesSent: number;
  /** Catch-up frames (one per group of clients that missed the same ticks). */
  catchUpFrames: number;
  /** Client deliveries of catch-up frames. */
  catchUps: number;
  changesSent: number;
  snapshotsSent: number;
  syncs: number;
  seq: number;
}

/** A small ring of the latest state changes by seq. */
class ChangeRing {
  private readonly buf: (StateChange | undefined)[];
  private count = 0;
  private next = 0;
  private lastSeq = 0;
  constructor(private readonly size: number) { this.buf = new Array<StateChange | undefined>(size); }

  push(c: StateChange): void {
    if (c.seq <= this.lastSeq) return; // a new leader remaking what was already kept
    this.lastSeq = c.seq;
    this.buf[this.next] = c;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
  }

  /** Forgets every change (the state they led to was replaced). */
  clear(): void {
    this.buf.fill(undefined);
    this.count = 0;
    this.lastSeq = 0;
  }

  /** The changes with seq > after, or null when some of them are no longer kept. */
  since(after: number, latest: number): StateChange[] | null {
    if (after >= latest) return [];
    const missing = latest - after;
    if (missing > this.count) return null;
    const out: StateChange[] = [];
    for (let k = missing; k >= 1; k--) {
      const c = this.buf[(this.next - k + this.size * 2) % this.size];
      if (!c) return null;
      out.push(c);
    }
    // Seqs must run on without a hole; otherwise fall back to a snapshot.
    return out[0]!.seq === after + 1 && out[out.length - 1]!.seq === latest ? out : null;
  }
}

export class Hub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;
  private readonly ix: FacilityIndex;
  private readonly pipeline: Pipeline;
  private readonly clock: () => number;
  private readonly ring: ChangeRing;
  private readonly socketRate: RateSpec;
  private readonly latestV: Float64Array;
  private readonly latestT: Float64Array;
  /** Tick in which each sensor last changed; -1 never. */
  private readonly changedTick: Int32Array;
  private readonly dirty: Uint8Array;
  private dirtySlots: number[] = [];
  private tickNo = 0;
  private readonly frameTimer: NodeJS.Timeout;
  private readonly frameTickMs: number;
  private readonly counters = { framesSent: 0, catchUpFrames: 0, catchUps: 0, changesSent: 0, snapshotsSent: 0, syncs: 0 };

  constructor(opts: HubOptions) {
    this.ix = opts.index;
    this.pipeline = opts.pipeline;
    this.clock = opts.clock ?? Date.now;
    this.ring = new ChangeRing(opts.ringSize ?? CHANGE_RING_SIZE);
    this.socketRate = opts.socketRate ?? SOCKET_RATE;
    const n = this.ix.sensorIds.length;
    this.latestV = new Float64Array(n);
    this.latestT = new Float64Array(n).fill(NaN);
    this.dirty = new Uint8Array(n);
    this.changedTick = new Int32Array(n).fill(-1);
    const allowList = opts.allowedOrigins ?? null;
    this.io = new Server(opts.httpServer, {
      serveClient: false,
      maxHttpBufferSize: opts.maxMessageBytes ?? MAX_SOCKET_MESSAGE_BYTES,
      perMessageDeflate: false,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
      allowRequest: (req: IncomingMessage, cb) => cb(null, originAllowed(req, allowList)),
      ...(allowList ? { cors: { origin: [...allowList] } } : {}),
      ...(opts.adapter ? { adapter: opts.adapter } : {}),
    });
    this.io.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
      opts.ready
        .then(() => opts.auth.authenticate(token))
        .then((p) => {
          if (!p) { next(new Error(token === undefined ? 'unauthorized: give auth: {token}' : 'unauthorized: unknown token')); return; }
          socket.data.principal = p;
          next();
        })
        .catch((e: unknown) => { console.error('Twinspace: socket auth failed:', e); next(new Error('server error')); });
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.frameTickMs = opts.frameTickMs ?? FRAME_TICK_MS;
    this.frameTimer = setInterval(() => this.sendFrame(), this.frameTickMs);
    this.frameTimer.unref();
    // The latest readings the live state was rebuilt with (a restart): a client's first frame has them, not only what arrives after.
    opts.ready.then(() => this.publishReadings(Object.entries(this.pipeline.state.sensors).map(([sensor, r]) => ({ ts: r.ts, sensor, value: r.value }))), () => {});
  }

  private onConnection(socket: HubSocket): void {
    socket.data.bucket = new TokenBucket(this.socketRate, this.clock());
    socket.data.strikes = 0;
    socket.data.lastTick = -1;
    socket.use((packet, next) => {
      if (socket.data.bucket.take(this.clock())) { next(); return; }
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (r: ActionReply) => void)({ ok: false, error: `rate limited: at most ${this.socketRate.perSecond} messages/s` });
      if (++socket.data.strikes > SOCKET_STRIKES_BEFORE_DISCONNECT) socket.disconnect(true);
    });
    socket.on('alarm:acknowledge', (req, ack) => this.handleAction(socket, 'acknowledge', req, ack));
    socket.on('alarm:resolve', (req, ack) => this.handleAction(socket, 'resolve', req, ack));
    socket.on('state:sync', (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const parsed = syncRequestSchema.safeParse(req);
        if (!parsed.success) { ack({ ok: false, error: `state:sync: ${parsed.error.issues[0]?.message ?? 'bad request'}; expected {lastSeq: integer ≥ 0}` }); return; }
        this.counters.syncs++;
        ack(this.sync(parsed.data.lastSeq));
      } catch (e) {
        console.error('Twinspace: state:sync failed:', e);
        ack({ ok: false, error: 'server error' });
      }
    });
    // NOTE: `io.local.to(id)` is what `socket.emit` does under recovery, minus the cluster's Redis stream:
    // it would store every per-socket emit there, and a recovered connection gets a new hello anyway.
    this.io.local.to(socket.id).emit('hello', {
      protocol: PROTOCOL_VERSION, facility: this.ix.facility.id, role: socket.data.principal.role,
      seq: this.pipeline.state.seq, recovered: socket.recovered, frameTickMs: this.frameTickMs, serverTime: this.clock(),
    });
    if (!socket.recovered) this.sendSnapshot(socket);
  }

  private handleAction(socket: HubSocket, kind: 'acknowledge' | 'resolve', req: unknown, ack: unknown): void {
    if (typeof ack !== 'function') return; // nobody to answer; do nothing unasked-for
    const reply = ack as (r: ActionReply) => void;
    const who = socket.data.principal;
    if (!roleAtLeast(who.role, 'operator')) { reply({ ok: false, error: `alarm:${kind}: needs the operator role; this token has ${who.role}` }); return; }
    const run = (): Promise<ActionReply> => {
      if (kind === 'acknowledge') {
        const p = acknowledgeRequestSchema.safeParse(req);
        if (!p.success) return Promise.resolve({ ok: false, error: `alarm:acknowledge: ${issueText(p.error.issues)}` });
        return this.pipeline.alarmAction(who, 'acknowledge', p.data);
      }
      const p = resolveRequestSchema.safeParse(req);
      if (!p.success) return Promise.resolve({ ok: false, error: `alarm:resolve: ${issueText(p.error.issues)}` });
      return this.pipeline.alarmAction(who, 'resolve', p.data);
    };
    Promise.resolve().then(run).then(reply, (e: unknown) => {
      console.error(`Twinspace: alarm:${kind} failed:`, e);
      reply({ ok: false, error: 'server error' });
    });
  }

  /** The state without sensors: their values come in frames (the first after connecting is full). */
  private snapshot(): StateJson {
    return stateToJson({ ...this.pipeline.state, sensors: {} });
  }

  private sendSnapshot(socket: HubSocket): void {
    this.counters.snapshotsSent++;
    this.io.local.to(socket.id).emit('state:snapshot', this.snapshot());
  }

  /** The answer to `state:sync` from `lastSeq`. */
  sync(lastSeq: number): SyncReply {
    const latest = this.pipeline.state.seq;
    const missed = lastSeq > latest ? null : this.ring.since(lastSeq, latest);
    if (missed) return { ok: true, mode: 'changes', changes: missed };
    this.counters.snapshotsSent++;
    return { ok: true, mode: 'snapshot', snapshot: this.snapshot() };
  }

  /** Committed readings: kept per sensor until the next frame, newest wins. */
  publishReadings(readings: readonly TelemetryRecord[]): void {
    const slots = this.ix.sensorSlot;
    for (const r of readings) {
      const k = slots.get(r.sensor);
      if (k === undefined) continue;
      const t = this.latestT[k]!;
      if (t > r.ts) continue; // an older reading never replaces a newer one (NaN > x is false)
      this.latestV[k] = r.value;
      this.latestT[k] = r.ts;
      if (this.dirty[k] === 0) { this.dirty[k] = 1; this.dirtySlots.push(k); }
    }
  }

  /** Numbered changes from the live fold: kept in the ring, broadcast (to every node's clients in a cluster) for recovery to replay. */
  publishChanges(changes: readonly StateChange[]): void {
    this.noteChanges(changes);
    this.io.emit('state:changed', { changes: [...changes] });
  }

  /** Changes another node broadcast to this node's clients (cluster follower): kept in the ring for `state:sync`. */
  noteChanges(changes: readonly StateChange[]): void {
    for (const c of changes) this.ring.push(c);
    this.counters.changesSent += changes.length;
  }

  /** The state was replaced (a cluster follower re-synced with the leader): changes kept before no longer lead to it. */
  resetChanges(): void {
    this.ring.clear();
  }

  /** The state to everyone, through the adapter (a new cluster leader whose numbering could not continue the old one's). */
  broadcastSnapshot(): void {
    this.counters.snapshotsSent++;
    this.io.emit('state:snapshot', this.snapshot());
  }

  /** A frame of the sensors that changed after tick `since` (every sensor with a reading when since is -1). */
  private frameSince(at: number, since: number): TelemetryFrame | null {
    const s: number[] = [], v: number[] = [], t: number[] = [];
    for (let k = 0; k < this.changedTick.length; k++) {
      if (this.changedTick[k]! <= since) continue;
      s.push(k); v.push(this.latestV[k]!); t.push(this.latestT[k]!);
    }
    if (s.length === 0) return null;
    return { at, n: s.length, data: encodeFrame(s.length, s, v, t), ...(since < 0 ? { full: true as const } : {}) };
  }

  /** One frame per tick for everyone; clients that missed ticks (or just came) get what changed since their last one instead. */
  private sendFrame(): void {
    try {
      const at = this.clock();
      const tick = ++this.tickNo;
      let frame: TelemetryFrame | null = null;
      const n = this.dirtySlots.length;
      if (n > 0) {
        const v = new Float64Array(n), t = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const k = this.dirtySlots[i]!;
          v[i] = this.latestV[k]!; t[i] = this.latestT[k]!;
          this.dirty[k] = 0;
          this.changedTick[k] = tick;
        }
        frame = { at, n, data: encodeFrame(n, this.dirtySlots, v, t) };
        this.dirtySlots = [];
      }
      // Group the clients that are behind by the last tick they got.
      const behind = new Map<number, string[]>();
      for (const socket of this.io.sockets.sockets.values()) {
        // A busy transport would drop this tick's volatile frame: it keeps its lastTick and catches up later.
        if (!socket.conn.transport.writable) continue;
        const last = socket.data.lastTick;
        socket.data.lastTick = tick;
        if (last === tick - 1) continue;
        const ids = behind.get(last);
        if (ids) ids.push(socket.id); else behind.set(last, [socket.id]);
      }
      const catchingUp: string[] = [];
      for (const [since, ids] of behind) {
        const f = this.frameSince(at, since);
        if (!f) continue;
        this.io.local.to(ids).volatile.emit('telemetry:frame', f);
        this.counters.catchUpFrames++;
        this.counters.catchUps += ids.length;
        for (const id of ids) catchingUp.push(id);
      }
      if (frame) {
        (catchingUp.length > 0 ? this.io.local.except(catchingUp) : this.io.local).volatile.emit('telemetry:frame', frame);
        this.counters.framesSent++;
      }
    } catch (e) {
      console.error('Twinspace: telemetry frame failed:', e);
    }
  }

  stats(): HubStats {
    return { clients: this.io.engine.clientsCount, ...this.counters, seq: this.pipeline.state.seq };
  }

  /** Disconnects every client, stops the frames and closes the HTTP server it is attached to. */
  async close(): Promise<void> {
    clearInterval(this.frameTimer);
    await this.io.close();
  }
}

function issueText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`).join('; ');
}
