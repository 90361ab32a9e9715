// The app factory: everything the server is, without listening. The entry
// (`twinspace serve` in cli.ts) alone calls listen(); tests start it on port 0.
import { createServer, type Server } from 'node:http';
import type { Facility } from '../src/core/facility/schema.ts';
import { indexFacility, type FacilityIndex } from '../src/core/facility/model.ts';
import { Router } from './http/router.ts';
import { MAX_BODY_BYTES, sendError, sendJson } from './http/respond.ts';
import { staticHandler } from './http/static.ts';
import { bearerToken, hashToken, Authenticator, createToken } from './auth/tokens.ts';
import { originAllowed, requireRole } from './auth/guard.ts';
import { RateLimiter, type RateSpec } from './auth/rate.ts';
import { Pipeline, type PipelineOptions } from './ingest/pipeline.ts';
import { ingestRoutes } from './ingest/http.ts';
import { Hub, MAX_SOCKET_MESSAGE_BYTES, SOCKET_RATE } from './hub/hub.ts';
import { historyRoutes } from './store/http.ts';
import { metricsRoutes } from './api/metrics.ts';
import { incidentRoutes } from './history/routes.ts';
import { ClusterNode, type ClusterOptions } from './cluster/node.ts';
import { SqliteStore } from './store/sqlite.ts';
import type { Store } from './store/types.ts';
import type { Role } from '../src/core/protocol.ts';

/** Rate and size limits; each has a default. */
export interface Limits {
  /** Largest HTTP body, bytes (default 4 MiB). */
  maxBodyBytes: number;
  /** Records per second per token through POST /api/ingest (default 20,000/s, burst 100,000). */
  ingestRate: RateSpec;
  /** API calls per second per token, or per address without one (default 50/s, burst 200). */
  apiRate: RateSpec;
  /** Socket messages per second per connection (default 20/s, burst 40). */
  socketRate: RateSpec;
  /** Largest socket message, bytes (default 64 KiB). */
  maxSocketMessageBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: MAX_BODY_BYTES,
  ingestRate: { perSecond: 20_000, burst: 100_000 },
  apiRate: { perSecond: 50, burst: 200 },
  socketRate: SOCKET_RATE,
  maxSocketMessageBytes: MAX_SOCKET_MESSAGE_BYTES,
};

/** What the server is built from. */
export interface AppOptions {
  facility: Facility;
  /** The built front end; not served when absent. */
  distDir?: string;
  /** Where records, tokens and the audit log live; default a throwaway in-memory SQLite store, closed with the app. */
  store?: Store;
  /** Require bearer tokens on the API and socket (default true). Off means everyone is an anonymous admin: loopback only. */
  auth?: boolean;
  /** Epoch ms; tests pass their own. Default Date.now. */
  clock?: () => number;
  /** Origins besides the server's own allowed to call the API and open the socket. */
  allowedOrigins?: string[];
  limits?: Partial<Limits>;
  /** Pipeline tuning (reorder window, batching, snapshots). */
  pipeline?: Partial<Pick<PipelineOptions, 'reorderMs' | 'batchMs' | 'batchMax' | 'foldTickMs' | 'snapshotEveryMs' | 'maxQueue'>>;
  /** Telemetry frame tick, ms (default FRAME_TICK_MS). */
  frameTickMs?: number;
  /** State changes kept for `state:sync` (default CHANGE_RING_SIZE). */
  changeRingSize?: number;
  /**
   * One node of several (server/cluster/node.ts): a node-redis client or a
   * `redis://…[?prefix=name]` URL for the Socket.IO Redis Streams adapter and
   * the leader lease. Every node must share the store (PostgreSQL). Absent: alone.
   */
  redis?: ClusterOptions['redis'];
  /** Cluster tuning: key prefix, node id, lease, stream cap. */
  cluster?: Omit<ClusterOptions, 'redis'>;
}

/** A built, not yet listening server. */
export interface App {
  server: Server;
  router: Router;
  index: FacilityIndex;
  startedAt: number;
  store: Store;
  auth: Authenticator;
  pipeline: Pipeline;
  hub: Hub;
  /** This server's part in a cluster; null alone. */
  cluster: ClusterNode | null;
  /** Resolves once the live state is rebuilt from the store; requests wait for it. */
  ready: Promise<void>;
  /** Mints a token (tests, the startup URLs). */
  createToken(role: Role, label?: string): Promise<string>;
  /** Commits what is queued, disconnects clients, stops the server (and closes the store it opened). */
  close(): Promise<void>;
}

/** Builds the server: HTTP API, live socket, ingest pipeline and static front end. */
export function createApp(opts: AppOptions): App {
  const index = indexFacility(opts.facility);
  const router = new Router();
  const clock = opts.clock ?? Date.now;
  const startedAt = clock();
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const serveStatic = opts.distDir ? staticHandler(opts.distDir) : null;
  const ownsStore = opts.store === undefined;
  const store = opts.store ?? new SqliteStore(':memory:');
  const auth = new Authenticator(store, opts.auth ?? true);
  const allowedOrigins = opts.allowedOrigins ?? null;
  const apiLimiter = new RateLimiter(limits.apiRate, clock);

  let hub: Hub | null = null;
  let cluster: ClusterNode | null = null;
  const pipeline = new Pipeline({
    store, index, clock, ...opts.pipeline,
    clustered: opts.redis !== undefined,
    onReadings: (r) => { hub?.publishReadings(r); cluster?.relayReadings(r); },
    onChanges: (c) => hub?.publishChanges(c),
    // Late events folded in: the changes kept for recovery no longer lead to the state; everyone gets it whole.
    onRefold: () => { hub?.resetChanges(); hub?.broadcastSnapshot(); },
  });
  const ready = pipeline.ready;
  let isReady = false;
  ready.then(() => { isReady = true; }, (e: unknown) => console.error('Twinspace: could not rebuild the live state from the store:', e));

  router.get('/healthz', async ({ res }) => {
    let storeStatus: Record<string, unknown>;
    let ok = true;
    try {
      const s = await store.stats();
      storeStatus = { ok: true, kind: s.kind, telemetry: s.telemetry, events: s.events, snapshots: s.snapshots, bytes: s.bytes };
    } catch (e) {
      ok = false;
      storeStatus = { ok: false, kind: store.kind, error: (e as Error).message };
    }
    if (!isReady || (cluster && !cluster.healthy)) ok = false;
    sendJson(res, ok ? 200 : 503, {
      ok, facility: opts.facility.id, uptimeS: Math.round((clock() - startedAt) / 1000), auth: auth.enabled, ready: isReady,
      store: storeStatus, ingest: pipeline.stats(), hub: hub?.stats() ?? null, cluster: cluster?.stats() ?? null,
    });
  });
  router.get('/api/facility', async ({ req, res }) => {
    await requireRole(auth, req, 'viewer');
    sendJson(res, 200, opts.facility);
  });
  ingestRoutes({ router, pipeline, store, index, auth, ingestLimiter: new RateLimiter(limits.ingestRate, clock), maxBodyBytes: limits.maxBodyBytes });
  historyRoutes({ router, store, index, auth });
  metricsRoutes({ router, store, index, auth, clock });

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400, 'bad request URL');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (!originAllowed(req, allowedOrigins)) { sendError(res, 403, `origin ${req.headers.origin ?? ''} is not allowed`); return; }
      const origin = req.headers.origin;
      if (origin !== undefined && allowedOrigins?.includes(origin)) {
        // An allow-listed page on another origin: CORS, bearer token in the header (no cookies).
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'origin');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
          res.end();
          return;
        }
      }
      const token = bearerToken(req);
      const key = token ? hashToken(token) : `addr:${req.socket.remoteAddress ?? ''}`;
      if (!apiLimiter.take(key)) {
        res.setHeader('retry-after', String(apiLimiter.retryAfterS(key)));
        sendError(res, 429, `rate limit: at most ${limits.apiRate.perSecond} API calls/s (burst ${limits.apiRate.burst})`);
        return;
      }
    }
    const isApi = url.pathname.startsWith('/api/');
    void (isApi ? ready : Promise.resolve()).then(
      () => router.handle(req, res, url).then((handled) => {
        if (handled) return;
        if (!isApi && serveStatic?.(req, res, url.pathname)) return;
        sendError(res, 404, `no such resource ${url.pathname}`);
      }),
      () => sendError(res, 503, 'the store could not be read; see the server log'),
    ).catch((e: unknown) => {
      console.error('Twinspace: request failed:', e);
      if (!res.headersSent) sendError(res, 500, 'internal error');
    });
  });

  cluster = opts.redis === undefined ? null : new ClusterNode({ ...opts.cluster, redis: opts.redis, facilityId: opts.facility.id, pipeline, index });
  hub = new Hub({
    httpServer: server, index, pipeline, auth, ready, clock, allowedOrigins,
    maxMessageBytes: limits.maxSocketMessageBytes, socketRate: limits.socketRate,
    ...(opts.frameTickMs !== undefined ? { frameTickMs: opts.frameTickMs } : {}),
    ...(opts.changeRingSize !== undefined ? { ringSize: opts.changeRingSize } : {}),
    ...(cluster ? { adapter: cluster.adapter } : {}),
  });
  const theHub = hub;
  const theCluster = cluster;
  theCluster?.attach(theHub);
  incidentRoutes({ router, store, index, auth, pipeline, clock, server });

  let closing: Promise<void> | null = null;
  return {
    server, router, index, startedAt, store, auth, pipeline, hub: theHub, cluster: theCluster, ready,
    createToken: async (role, label) => (await createToken(store, { role, actor: 'server', now: clock(), ...(label !== undefined ? { label } : {}) })).token,
    close: () => {
      closing ??= (async () => {
        await theCluster?.stepDown(); // hands the lead over before the queue drains
        await pipeline.close();
        const hubClosed = theHub.close();
        server.closeAllConnections();
        await hubClosed;
        await theCluster?.close();
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}
