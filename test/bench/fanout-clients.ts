// The client side of fanout.bench.ts, run in its own process: N socket.io
// clients that keep the protocol as a browser does (seq tracking, sync on a
// gap, snapshot on a fresh connection) and measure what they receive.
// Talks to the parent in JSON lines: commands on stdin, reports on stdout.
import { createInterface } from 'node:readline';
import { io as connectClient, type Socket } from 'socket.io-client';
import { classifyChanges, decodeFrame, type ClientToServerEvents, type ServerToClientEvents, type StateChange, type SyncReply } from '../../src/core/protocol.ts';

/** `urls`: several nodes of a cluster, clients dealt to them in turn (cluster.bench.ts); else all to `url`. */
interface Args { url: string; urls?: string[]; token: string; clients: number }
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const urls = args.urls ?? [args.url];

/** Latency histogram: 1 ms buckets up to 30 s. */
class Histogram {
  readonly counts = new Uint32Array(30_001);
  n = 0;
  add(ms: number): void { this.counts[Math.max(0, Math.min(30_000, Math.round(ms)))]!++; this.n++; }
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.ceil(q * this.n);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) { seen += this.counts[i]!; if (seen >= rank) return i; }
    return 30_000;
  }
  summary() { return { n: this.n, p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99), max: this.quantile(1) }; }
}

interface Client {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  lastSeq: number;
  synced: boolean;
  syncing: boolean;
  gaps: number;
  frames: number;
  fullFrames: number;
  recovered: number;
  snapshots: number;
  /** Storm: when the connection was dropped, and when the client was whole again. */
  droppedAt: number | null;
  resyncedAt: number | null;
  helloSeq: number;
}

const tele = new Histogram(), change = new Histogram();
let measuring = false;
const clients: Client[] = [];
const send = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const SAMPLES_PER_FRAME = 8;

function checkResynced(c: Client): void {
  if (c.droppedAt !== null && c.resyncedAt === null && c.socket.connected && c.synced && c.lastSeq >= c.helloSeq) c.resyncedAt = Date.now();
}

function apply(c: Client, changes: readonly StateChange[]): void {
  const a = classifyChanges(c.lastSeq, changes);
  if (a.action === 'apply') {
    if (a.changes.length) c.lastSeq = a.changes[a.changes.length - 1]!.seq;
    checkResynced(c);
    return;
  }
  c.gaps++;
  if (c.syncing) return;
  c.syncing = true;
  void (c.socket.timeout(10_000).emitWithAck('state:sync', { lastSeq: c.lastSeq }) as Promise<SyncReply>).then((r) => {
    c.syncing = false;
    if (!r.ok) return;
    if (r.mode === 'snapshot') c.lastSeq = Math.max(c.lastSeq, r.snapshot.seq);
    else apply(c, r.changes);
    checkResynced(c);
  }, () => { c.syncing = false; });
}

function makeClient(i: number): Client {
  const socket: Client['socket'] = connectClient(urls[i % urls.length]!, { transports: ['websocket'], auth: { token: args.token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 2000 });
  const c: Client = { socket, lastSeq: 0, synced: false, syncing: false, gaps: 0, frames: 0, fullFrames: 0, recovered: 0, snapshots: 0, droppedAt: null, resyncedAt: null, helloSeq: 0 };
  socket.on('hello', (h) => {
    c.helloSeq = h.seq;
    // Recovered: the missed changes were replayed just before. Not recovered: a snapshot follows at once.
    if (h.recovered) c.recovered++;
    else c.synced = false;
    checkResynced(c);
  });
  socket.on('state:snapshot', (s) => { c.lastSeq = s.seq; c.synced = true; c.snapshots++; checkResynced(c); });
  socket.on('state:changed', ({ changes }) => {
    if (measuring) {
      const now = Date.now();
      for (const ch of changes) if (ch.kind === 'door' || ch.kind === 'camera') change.add(now - ch.since);
    }
    if (c.synced) apply(c, changes);
  });
  socket.on('telemetry:frame', (f) => {
    c.frames++;
    if (f.full) c.fullFrames++;
    if (!measuring || f.full) return;
    const r = decodeFrame(f);
    const now = Date.now();
    const step = Math.max(1, Math.floor(r.times.length / SAMPLES_PER_FRAME));
    for (let i = 0; i < r.times.length; i += step) tele.add(now - r.times[i]!);
  });
  return c;
}

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const t0 = Date.now();
for (let i = 0; i < args.clients; i++) {
  clients.push(makeClient(i));
  if (i % 25 === 24) await new Promise((r) => setTimeout(r, 40));
}
const allIn = await waitUntil(() => clients.every((c) => c.synced), 60_000);
send({ type: 'connected', ms: Date.now() - t0, ok: allIn, connected: clients.filter((c) => c.synced).length });

const cmds = createInterface({ input: process.stdin });
for await (const line of cmds) {
  const cmd = JSON.parse(line) as { cmd: string; seq?: number };
  if (cmd.cmd === 'measure') { measuring = true; for (const c of clients) { c.frames = 0; c.fullFrames = 0; } }
  else if (cmd.cmd === 'stop') measuring = false;
  else if (cmd.cmd === 'report') {
    const seq = cmd.seq ?? 0;
    const caughtUp = await waitUntil(() => clients.every((c) => c.lastSeq >= seq), 10_000);
    send({
      type: 'report', caughtUp, tele: tele.summary(), change: change.summary(),
      frames: clients.reduce((s, c) => s + c.frames, 0), fullFrames: clients.reduce((s, c) => s + c.fullFrames, 0),
      gaps: clients.reduce((s, c) => s + c.gaps, 0),
      missed: clients.reduce((s, c) => s + Math.max(0, seq - c.lastSeq), 0),
      behind: clients.filter((c) => c.lastSeq < seq).length,
    });
  } else if (cmd.cmd === 'drop') {
    const at = Date.now();
    for (const c of clients) { c.droppedAt = at; c.resyncedAt = null; c.recovered = 0; c.snapshots = 0; c.gaps = 0; }
    for (const c of clients) c.socket.io.engine.close();
    const done = await waitUntil(() => clients.every((c) => c.resyncedAt !== null), 60_000);
    const times = clients.map((c) => (c.resyncedAt ?? Date.now()) - at).sort((a, b) => a - b);
    send({
      type: 'storm', done, allMs: times[times.length - 1], p95Ms: times[Math.ceil(0.95 * times.length) - 1], p50Ms: times[Math.ceil(0.5 * times.length) - 1],
      recovered: clients.filter((c) => c.recovered > 0).length, snapshots: clients.filter((c) => c.snapshots > 0).length,
      gaps: clients.reduce((s, c) => s + c.gaps, 0),
    });
  } else if (cmd.cmd === 'exit') {
    for (const c of clients) c.socket.disconnect();
    break;
  }
}
process.exit(0);
