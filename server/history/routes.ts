// Incidents over HTTP (interfaces.md): GET /api/incidents/<alarmId> (the
// incident), GET /api/incidents/<alarmId>/bundle (the signed-off export, a
// download, audited) and GET /api/incidents/stats (how fast reconstruction
// is: the KPI panel shows it). Also keeps history keyframes while the server
// listens, so replays stay short however long the history grows.
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { buildBundle, bundleFileName, type IncidentStatsJson } from '../../src/core/bundle.ts';
import { toIso } from '../../src/core/metrics/period.ts';
import { HttpError, sendJson } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { requireRole } from '../auth/guard.ts';
import type { Authenticator } from '../auth/tokens.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import type { Store } from '../store/types.ts';
import { IncidentBuilder, MAX_WINDOW_MINUTES, parseAlarmId, type IncidentOptions } from './incident.ts';
import { startKeyframeUpkeep } from './keyframes.ts';

/** Reconstruction times kept for /api/incidents/stats. */
export const BUILD_TIMES_KEPT = 200;

/** The latest `size` durations (ms) and their nearest-rank percentiles. */
export class DurationRing {
  private readonly values: number[] = [];
  private next = 0;
  private total = 0;

  constructor(readonly size = BUILD_TIMES_KEPT) {}

  add(ms: number): void {
    if (this.values.length < this.size) this.values.push(ms);
    else this.values[this.next] = ms;
    this.next = (this.next + 1) % this.size;
    this.total++;
  }

  /** `count` is every duration added; the percentiles are over the `window` kept. */
  summary(): IncidentStatsJson {
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = (p: number) => (sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!);
    return { count: this.total, window: sorted.length, p50Ms: rank(0.5), p95Ms: rank(0.95), maxMs: sorted.length ? sorted[sorted.length - 1]! : null };
  }
}

/** The `before`/`after` query parameters, minutes. */
function windowOptions(url: URL): IncidentOptions {
  const o: IncidentOptions = {};
  for (const [param, key] of [['before', 'beforeMinutes'], ['after', 'afterMinutes']] as const) {
    const raw = url.searchParams.get(param);
    if (raw === null || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > MAX_WINDOW_MINUTES) throw new HttpError(400, `${param}: expected minutes 0–${MAX_WINDOW_MINUTES}, got ${JSON.stringify(raw)}`);
    o[key] = n;
  }
  return o;
}

interface Deps { router: Router; store: Store; index: FacilityIndex; auth: Authenticator; pipeline: Pipeline; clock: () => number; server: Server }

/** Registers the incident routes and keeps history keyframes while `server` listens. */
export function incidentRoutes(d: Deps): void {
  const liveUntil = () => d.pipeline.state.sealed;
  const builder = new IncidentBuilder({ store: d.store, index: d.index, liveUntil: () => liveUntil() ?? d.clock() });
  const times = new DurationRing();

  d.router.get('/api/incidents/stats', async ({ req, res }) => {
    await requireRole(d.auth, req, 'viewer');
    sendJson(res, 200, times.summary());
  });

  d.router.get('/api/incidents/:id', async ({ req, res, url, params }) => {
    const t0 = performance.now();
    await requireRole(d.auth, req, 'viewer');
    const parts = await builder.build(params['id']!, windowOptions(url));
    const buildMs = performance.now() - t0;
    times.add(buildMs);
    sendJson(res, 200, { ...parts, buildMs });
  });

  d.router.get('/api/incidents/:id/bundle', async ({ req, res, url, params }) => {
    const t0 = performance.now();
    const who = await requireRole(d.auth, req, 'viewer');
    const id = params['id']!;
    const parts = await builder.build(id, windowOptions(url));
    const now = d.clock();
    const bundle = buildBundle(parts, { exportedBy: who.label, exportedAt: toIso(now), facility: { id: d.index.facility.id, name: d.index.facility.name } });
    const body = JSON.stringify(bundle, null, 2);
    times.add(performance.now() - t0);
    const p = parseAlarmId(id);
    const name = p.ok ? bundleFileName(p.value.kind, p.value.door, p.value.onset) : 'incident.json';
    await d.store.appendAudit([{
      ts: now, actor: who.label, action: 'incident.export',
      detail: { alarm: id, file: name, bytes: Buffer.byteLength(body), window: parts.alarm.window, parts: bundle.manifest.parts },
    }]);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store',
      'content-disposition': `attachment; filename="${name}"`,
    });
    res.end(body);
  });

  let upkeep: ReturnType<typeof startKeyframeUpkeep> | null = null;
  d.server.on('listening', () => { upkeep ??= startKeyframeUpkeep(d.store, d.index, liveUntil); });
  d.server.on('close', () => { upkeep?.stop(); upkeep = null; });
}
