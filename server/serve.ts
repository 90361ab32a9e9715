// `twinspace serve`: open the store, load the facility, build the app, listen,
// print ready-to-open URLs with a viewer and an operator token.
import { DEMO_PLANT, DEMO_ROI, DIST_DIR, InputError, readFacilityFile, readTextFile, UsageError, type Io } from './shared.ts';
import { ROI_SETTING, storedRoiInputs } from './api/metrics.ts';
import { loadRoiInputsText } from '../src/core/metrics/roi.ts';
import { createApp } from './app.ts';
import { isLoopbackHost } from './auth/guard.ts';
import { createToken } from './auth/tokens.ts';
import { DEFAULT_DB_URL, openStore } from './store/index.ts';
import type { Store } from './store/types.ts';
import type { Role } from '../src/core/protocol.ts';
import { indexFacility } from '../src/core/facility/model.ts';
import { REORDER_MS } from './ingest/pipeline.ts';
import { acceleratedClock, backfill, DEFAULT_BACKFILL_DAYS, startLiveSimulation } from './sim/run.ts';
import { startMqttSource } from './sources/mqtt.ts';
import { parseRedisUrl, type RedisClient } from './cluster/node.ts';
import { hostname } from 'node:os';

/** Default port; `PORT` overrides it, `--port` overrides both. */
export const DEFAULT_PORT = 8080;

/** How long `serve --redis` waits for Redis before giving up, ms. */
export const REDIS_CONNECT_TIMEOUT_MS = 5000;

/**
 * Connects to the cluster's Redis (`--redis`, else `REDIS_URL`), or says why
 * not; null when neither is given (one server alone).
 */
async function connectRedis(values: Record<string, string | boolean | undefined>): Promise<{ client: RedisClient; prefix: string | null; shown: string } | null> {
  const raw = typeof values['redis'] === 'string' ? values['redis'] : process.env['REDIS_URL'];
  if (raw === undefined || raw === '') return null;
  const parsed = parseRedisUrl(raw);
  const { createClient } = await import('redis');
  const client: RedisClient = createClient({ url: parsed.url, socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS } });
  let lastError = '';
  client.on('error', (e: Error) => {
    if (e.message !== lastError) console.error(`Twinspace: Redis ${parsed.shown}: ${e.message}; retrying`);
    lastError = e.message;
  });
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)), REDIS_CONNECT_TIMEOUT_MS).unref());
  try {
    await Promise.race([client.connect(), timer]);
    await client.ping();
  } catch (e) {
    client.destroy();
    throw new InputError(`twinspace serve: cannot connect to Redis at ${parsed.shown} (${(e as Error).message}); is it running?`);
  }
  return { client, prefix: parsed.prefix, shown: parsed.shown };
}

/** Label prefix of the tokens minted for the startup URLs; each start revokes the previous start's. */
export const CONSOLE_TOKEN_PREFIX = 'console-';

function parsePort(v: string | boolean | undefined): number {
  const raw = typeof v === 'string' ? v : process.env['PORT'] ?? String(DEFAULT_PORT);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer 0–65535, got "${raw}"`);
  return port;
}

/**
 * Fresh viewer and operator tokens for the printed URLs. The store keeps only
 * hashes, so earlier tokens cannot be printed again; instead each start
 * revokes the previous start's console tokens and mints new ones, so URLs
 * left in old logs stop working and tokens do not pile up. Durable tokens
 * (wall displays, scripts) come from `twinspace token create`.
 */
async function consoleTokens(store: Store, node: string | null): Promise<Record<'viewer' | 'operator', string>> {
  // One of several nodes: each replaces only its own (`console-<role>@<node>`), so starting one does not end another's URLs.
  const label = (role: Role) => `${CONSOLE_TOKEN_PREFIX}${role}${node !== null ? `@${node}` : ''}`;
  const mine = new Set([label('viewer'), label('operator')]);
  for (const t of await store.listTokens()) {
    if (node === null ? !t.label.startsWith(CONSOLE_TOKEN_PREFIX) : !mine.has(t.label)) continue;
    await store.removeToken(t.hash);
    await store.appendAudit([{ ts: Date.now(), actor: 'serve', action: 'token.revoke', detail: { role: t.role, label: t.label, hash: t.hash.slice(0, 12) } }]);
  }
  const mint = async (role: Role) => (await createToken(store, { role, label: label(role), actor: 'serve' })).token;
  return { viewer: await mint('viewer'), operator: await mint('operator') };
}

function numberFlag(values: Record<string, string | boolean | undefined>, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
  const v = values[name];
  if (typeof v !== 'string') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}, got "${v}"`);
  return n;
}

/** A progress line: redrawn in place on a terminal, every 10 % otherwise. */
function progressLine(io: Io, what: string): ((fraction: number, detail: string) => void) & { end: (detail: string) => void } {
  const tty = process.stdout.isTTY === true;
  let lastTenth = -1;
  const show = (fraction: number, detail: string) => {
    const pct = Math.floor(fraction * 100);
    if (tty) process.stdout.write(`\rTwinspace: ${what} ${String(pct).padStart(3)} % (${detail})   `);
    else if (Math.floor(pct / 10) > lastTenth) { lastTenth = Math.floor(pct / 10); io.out(`Twinspace: ${what} ${pct} % (${detail})`); }
  };
  return Object.assign(show, { end: (detail: string) => { if (tty) process.stdout.write('\n'); io.out(`Twinspace: backfilled ${detail}`); } });
}

export async function serve(values: Record<string, string | boolean | undefined>, io: Io): Promise<number> {
  const port = parsePort(values['port']);
  const noAuth = values['no-auth'] === true;
  const host = typeof values['host'] === 'string' ? values['host'] : noAuth ? '127.0.0.1' : '0.0.0.0';
  if (noAuth && !isLoopbackHost(host)) {
    throw new UsageError(`--no-auth lets every caller act as admin, so it binds only to loopback; --host ${host} is not (use 127.0.0.1 or ::1)`);
  }
  const origins = typeof values['origin'] === 'string' ? values['origin'].split(',').map((o) => o.trim()).filter(Boolean) : [];
  for (const o of origins) {
    try { if (new URL(o).origin !== o) throw new Error(); } catch { throw new UsageError(`--origin: expected origins like https://twin.example.com, got ${JSON.stringify(o)}`); }
  }
  const dbUrl = typeof values['db'] === 'string' ? values['db'] : DEFAULT_DB_URL;
  const isClustered = (typeof values['redis'] === 'string' && values['redis'] !== '') || Boolean(process.env['REDIS_URL']);
  if (isClustered && !/^postgres(ql)?:\/\//.test(dbUrl)) {
    throw new UsageError('--redis (or REDIS_URL) runs this server as one node of several, which must share their store: give --db postgres://…');
  }
  // Every node would simulate the same plant: with --redis the simulator runs only where --simulate asks for it.
  const simulate = values['simulate'] === true || (values['no-simulate'] !== true && !isClustered);
  const speed = numberFlag(values, 'speed', 1, (n) => n > 0 && n <= 100_000, 'a factor in (0, 100000]');
  const days = numberFlag(values, 'backfill-days', DEFAULT_BACKFILL_DAYS, (n) => n >= 0 && n <= 366, 'a number of days 0–366');
  const seed = numberFlag(values, 'seed', 1, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0');
  const mqttUrl = typeof values['mqtt'] === 'string' ? values['mqtt'] : null;
  if (mqttUrl !== null && !/^mqtts?:\/\//.test(mqttUrl)) throw new UsageError(`--mqtt must be mqtt://host[:port] or mqtts://…, got ${JSON.stringify(mqttUrl)}`);

  const facilityPath = typeof values['facility'] === 'string' ? values['facility'] : DEMO_PLANT;
  const facility = readFacilityFile(facilityPath);
  const redis = await connectRedis(values);
  let store: Store;
  try {
    store = await openStore(dbUrl);
  } catch (e) {
    redis?.client.destroy();
    throw e;
  }
  // The demo plant comes with its ROI inputs; admins change them in the app (PUT /api/roi).
  if (facilityPath === DEMO_PLANT && (await storedRoiInputs(store)) === null) {
    const roi = loadRoiInputsText(readTextFile(DEMO_ROI));
    if (roi.ok) await store.setSetting(ROI_SETTING, roi.inputs);
  }
  const clock = acceleratedClock(speed);
  if (simulate && days > 0) {
    const ix = indexFacility(facility);
    const progress = progressLine(io, 'backfilling simulated history');
    const done = await backfill(store, ix, clock(), { days, seed, onProgress: (d, t, n) => progress(d / t, `${(n / 1e6).toFixed(2)} M records`) });
    if (done.records > 0) progress.end(`${done.records.toLocaleString('en-US')} records from ${new Date(done.fromMs).toISOString()}`);
  }
  const nodeId = process.env['TWINSPACE_NODE_ID'];
  const app = createApp({
    facility, distDir: DIST_DIR, store, auth: !noAuth, clock, ...(origins.length ? { allowedOrigins: origins } : {}),
    // The reorder window is measured on the (accelerated) clock: under --speed, wall-clock delays grow by the factor.
    ...(speed !== 1 ? { pipeline: { reorderMs: REORDER_MS * speed } } : {}),
    ...(redis ? { redis: redis.client, cluster: { ...(redis.prefix !== null ? { keyPrefix: redis.prefix } : {}), ...(nodeId ? { nodeId } : {}) } } : {}),
  });
  if (app.cluster && redis) io.out(`Twinspace: cluster node ${app.cluster.nodeId} on ${redis.shown} (keys under ${app.cluster.keyPrefix}:)`);
  await app.ready;
  const live = simulate ? startLiveSimulation(app.pipeline, app.index, clock, { seed }) : null;
  await new Promise<void>((resolveListen, reject) => {
    app.server.once('error', reject);
    app.server.listen(port, host, () => resolveListen());
  });
  const addr = app.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${actualPort}/`;
  const mqtt = mqttUrl === null ? null : startMqttSource({
    url: mqttUrl, facilityId: facility.id, now: clock,
    ...(typeof values['mqtt-client-id'] === 'string' ? { clientId: values['mqtt-client-id'] } : {}),
    ingest: async (records) => (await app.pipeline.submit(records)).flatMap((o, index) => (o.ok ? [] : [{ index, reason: o.reason }])),
  });
  if (mqtt) {
    mqtt.ready.then(() => io.out(`Twinspace: subscribed to ${mqttUrl} under twinspace/${facility.id}/…`), (e: unknown) => io.err(`${(e as Error).message}; retrying in the background`));
  }
  if (noAuth) {
    io.out(`Twinspace: serving "${facility.name}" without auth on loopback — open ${base}`);
  } else {
    const t = await consoleTokens(store, app.cluster ? nodeId ?? hostname() : null);
    io.out(`Twinspace: serving "${facility.name}" — open ${base}?token=${t.viewer}`);
    io.out(`  viewer:   ${base}?token=${t.viewer}`);
    io.out(`  operator: ${base}?token=${t.operator}`);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    live?.stop();
    void Promise.resolve(mqtt?.close()).then(() => app.close()).then(() => store.close()).then(() => redis?.client.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => { /* runs until a signal */ });
}
