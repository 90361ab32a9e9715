// Live fan-out: a 5,000-sensor plant reporting at 1 Hz plus door events and
// alarms (raised, acknowledged, resolved), to 1,000 socket.io-client
// connections in a separate process (fanout-clients.ts). Measured over a
// fixed window: ingest-to-client latency of readings and of state changes,
// server CPU, RSS and event-loop delay, sequence gaps; then all 1,000
// connections are dropped at once while the load goes on: time until every
// client is whole again, and changes missed (must be 0).
// Run alone: `npx tsx test/bench/fanout.bench.ts [--clients N] [--seconds S]`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../server/app.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { FRAME_TICK_MS } from '../../src/core/protocol.ts';
import { livePlant, startPlantLoad, type PlantLoad } from './live-plant.ts';
import type { BenchResult } from './types.ts';

const SENSORS = 5000;
const DOORS = 40;
const argNum = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function run(): Promise<BenchResult[]> {
  const CLIENTS = argNum('clients', 1000);
  const WINDOW_S = argNum('seconds', 20);
  const facility = livePlant(SENSORS, DOORS);
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-bench-fanout-'));
  const store = new SqliteStore(join(dir, 'twin.db'));
  const app = createApp({
    facility, store,
    limits: { ingestRate: { perSecond: 1e9, burst: 1e9 }, apiRate: { perSecond: 1e6, burst: 1e6 } },
    pipeline: { snapshotEveryMs: 0 },
  });
  await app.ready;
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const token = await app.createToken('viewer', 'bench-wall');
  const operator = { role: 'operator' as const, label: 'bench-operator', key: 'bench-operator' };

  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fanout-clients.ts', import.meta.url)), JSON.stringify({ url, token, clients: CLIENTS })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const inbox: Msg[] = [];
  const waiters: ((m: Msg) => void)[] = [];
  void (async () => {
    for await (const line of createInterface({ input: child.stdout })) {
      let m: Msg;
      try { m = JSON.parse(line) as Msg; } catch { continue; }
      const w = waiters.shift();
      if (w) w(m); else inbox.push(m);
    }
  })();
  const next = (timeoutMs: number) => new Promise<Msg>((resolve, reject) => {
    const queued = inbox.shift();
    if (queued) { resolve(queued); return; }
    const timer = setTimeout(() => reject(new Error(`fanout clients: no answer in ${timeoutMs} ms`)), timeoutMs);
    waiters.push((m) => { clearTimeout(timer); resolve(m); });
  });
  const tell = (o: unknown) => child.stdin.write(`${JSON.stringify(o)}\n`);

  // The load: every sensor once a second (in 10 slices), a door event every 200 ms, an alarm every 3 s, acknowledged and resolved.
  const load: { current: PlantLoad | null } = { current: null };
  const refused: string[] = [];
  const submit = (recs: unknown[]) => {
    void app.pipeline.submit(recs).then((out) => { for (const o of out) if (!o.ok && refused.length < 5) refused.push(o.reason); });
  };
  const startLoad = () => {
    load.current = startPlantLoad({
      sensors: SENSORS, doors: DOORS, submit,
      forced: (reader, ts) => {
        submit([{ ts, type: 'door.opened', door: reader }]); // forced: no badge
        setTimeout(() => submit([{ ts: Date.now(), type: 'door.closed', door: reader }]), 1000);
        const id = `door-forced:${reader}:${ts}`;
        setTimeout(() => { void app.pipeline.alarmAction(operator, 'acknowledge', { alarm: id }); }, 1500);
        setTimeout(() => { void app.pipeline.alarmAction(operator, 'resolve', { alarm: id, outcome: 'false-alarm' }); }, 2500);
      },
    });
  };

  const results: BenchResult[] = [];
  try {
    const hello = await next(120_000);
    if (!hello['ok']) throw new Error(`only ${String(hello['connected'])} of ${CLIENTS} clients connected`);
    startLoad();
    await new Promise((r) => setTimeout(r, 3000)); // warm up
    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    const cpu0 = process.cpuUsage(), wall0 = performance.now();
    let rssMax = 0;
    const rssTimer = setInterval(() => { rssMax = Math.max(rssMax, process.memoryUsage().rss); }, 500);
    const hub0 = app.hub.stats(), seq0 = app.pipeline.state.seq;
    tell({ cmd: 'measure' });
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    tell({ cmd: 'stop' });
    const cpu = process.cpuUsage(cpu0), wallS = (performance.now() - wall0) / 1000;
    eld.disable();
    clearInterval(rssTimer);
    const hub1 = app.hub.stats();
    tell({ cmd: 'report', seq: app.pipeline.state.seq });
    const rep = await next(30_000);
    const cpuPct = ((cpu.user + cpu.system) / 1e6 / wallS) * 100;
    const changes = app.pipeline.state.seq - seq0;
    const size = `${SENSORS.toLocaleString('en')} sensors at 1 Hz + ${(changes / wallS).toFixed(1)} state changes/s to ${CLIENTS.toLocaleString('en')} clients, ${WINDOW_S} s, frame tick ${FRAME_TICK_MS} ms`;
    const frames = hub1.framesSent - hub0.framesSent, catchUps = hub1.catchUps - hub0.catchUps;
    results.push({ name: 'fan-out: reading ingest→client latency p50', figure: rep['tele'].p50, unit: 'ms', dataSize: size, goal: `≤ ${FRAME_TICK_MS + 100} ms (one tick plus batching)` });
    results.push({ name: 'fan-out: reading ingest→client latency p99', figure: rep['tele'].p99, unit: 'ms', dataSize: `${size}; ${rep['tele'].n.toLocaleString('en')} samples`, goal: '≤ 1,000 ms' });
    results.push({ name: 'fan-out: state change ingest→client latency p50', figure: rep['change'].p50, unit: 'ms', dataSize: `${size}; includes the 500 ms reorder window`, goal: '≤ 1,000 ms' });
    results.push({ name: 'fan-out: state change ingest→client latency p99', figure: rep['change'].p99, unit: 'ms', dataSize: `${size}; ${rep['change'].n.toLocaleString('en')} samples`, goal: '≤ 1,500 ms' });
    results.push({ name: 'fan-out: server CPU', figure: cpuPct, unit: '% of a core', dataSize: `${size}; ingest and SQLite included` });
    results.push({ name: 'fan-out: server RSS (max)', figure: rssMax / 2 ** 20, unit: 'MiB', dataSize: size });
    results.push({ name: 'fan-out: event-loop delay p99', figure: eld.percentile(99) / 1e6, unit: 'ms', dataSize: `${size}; max ${(eld.max / 1e6).toFixed(0)} ms`, goal: '≤ 100 ms' });
    results.push({ name: 'fan-out: sequence gaps seen by clients', figure: rep['gaps'], unit: 'gaps', dataSize: `${size}; ${changes} changes × ${CLIENTS} clients`, goal: '0' });
    results.push({ name: 'fan-out: frames delivered per client per second', figure: rep['frames'] / CLIENTS / WINDOW_S, unit: 'frames/s', dataSize: `${frames} broadcasts, ${catchUps} catch-up deliveries (clients that missed ticks)`, goal: `${(1000 / FRAME_TICK_MS).toFixed(0)}` });

    // Reconnect storm, under load.
    tell({ cmd: 'drop' });
    const storm = await next(90_000);
    tell({ cmd: 'report', seq: app.pipeline.state.seq });
    const after = await next(30_000);
    const stormSize = `${CLIENTS.toLocaleString('en')} clients dropped at once under load; ${storm['recovered']} recovered, ${storm['snapshots']} got a snapshot, ${storm['gaps']} synced a gap`;
    results.push({ name: 'reconnect storm: time until all resynced', figure: storm['allMs'], unit: 'ms', dataSize: `${stormSize}; p50 ${storm['p50Ms']} ms, p95 ${storm['p95Ms']} ms`, goal: '≤ 10,000 ms' });
    results.push({ name: 'reconnect storm: changes missed', figure: after['missed'], unit: 'changes', dataSize: `${stormSize}; ${after['behind']} clients behind the server's seq after 10 s`, goal: '0' });
    if (refused.length) throw new Error(`the pipeline refused load records: ${refused.join('; ')}`);
  } finally {
    load.current?.stop();
    tell({ cmd: 'exit' });
    await new Promise((r) => { child.once('exit', r); setTimeout(() => { child.kill('SIGKILL'); r(null); }, 10_000); });
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.figure.toFixed(1)} ${r.unit} — ${r.dataSize}${r.goal ? ` (goal ${r.goal})` : ''}`);
  process.exit(0);
}
