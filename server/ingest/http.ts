// HTTP ingest and operator actions (interfaces.md): POST /api/ingest,
// POST /api/alarms/<id>/ack|resolve, GET /api/state.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { parseTimestamp } from '../../src/core/parse.ts';
import { resolveRequestSchema, type ActionReply } from '../../src/core/protocol.ts';
import { stateToJson } from '../../src/core/reducer.ts';
import { HttpError, MAX_BODY_BYTES, readJsonBody, sendJson } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { requireRole, spend } from '../auth/guard.ts';
import type { RateLimiter } from '../auth/rate.ts';
import type { Authenticator } from '../auth/tokens.ts';
import { stateAt } from '../store/replay.ts';
import type { Store } from '../store/types.ts';
import { isTransientRefusal, type Pipeline } from './pipeline.ts';

export interface IngestRoutesOptions {
  router: Router;
  pipeline: Pipeline;
  store: Store;
  index: FacilityIndex;
  auth: Authenticator;
  /** Records per second per token on /api/ingest. */
  ingestLimiter: RateLimiter;
  /** Largest ingest body, bytes. */
  maxBodyBytes?: number;
}

/** Answer of POST /api/ingest. */
export interface IngestReply {
  /** Records stored (new or already there). */
  accepted: number;
  /** Of those, how many were already stored (not applied twice). */
  duplicates: number;
  /** Of those, events later than the reorder window: stored, then taken into the live state by a refold from the store. */
  late: number;
  rejected: { index: number; reason: string }[];
}

/** Reads a JSON body, refusing one whose declared length is over the cap before reading it. */
async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, `body larger than ${limit} bytes (${declared})`);
  return readJsonBody(req, limit);
}

/** Whether a request carries a body at all (an acknowledgement may come without one). */
function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return len === undefined ? req.headers['transfer-encoding'] !== undefined : len !== '0';
}

const ackBodySchema = z.strictObject({ note: z.string().max(2000).optional() });
const resolveBodySchema = resolveRequestSchema.omit({ alarm: true });

/** Seconds a source is told to wait before sending records refused for the server's reasons again. */
const INGEST_RETRY_AFTER_S = 1;

function actionStatus(reply: ActionReply): number {
  if (reply.ok) return 200;
  if (reply.error.includes('names no raised alarm')) return 404;
  if (isTransientRefusal(reply.error)) return 503;
  return 409;
}

/** Registers the ingest, alarm action and state routes. */
export function ingestRoutes(o: IngestRoutesOptions): void {
  const limit = o.maxBodyBytes ?? MAX_BODY_BYTES;

  o.router.post('/api/ingest', async ({ req, res }) => {
    const who = await requireRole(o.auth, req, 'operator');
    spend(o.ingestLimiter, who, 1);
    const body = await readBody(req, limit);
    const raw = Array.isArray(body) ? body : [body];
    if (raw.length > 1) spend(o.ingestLimiter, who, raw.length - 1);
    const outcomes = await o.pipeline.submit(raw);
    const reply: IngestReply = { accepted: 0, duplicates: 0, late: 0, rejected: [] };
    outcomes.forEach((out, index) => {
      if (!out.ok) { reply.rejected.push({ index, reason: out.reason }); return; }
      reply.accepted++;
      if (!out.isNew) reply.duplicates++;
      if (out.late) reply.late++;
    });
    // Nothing taken: 503 (and when to retry) if any refusal was the server's, not the record's; else 422.
    let status = 200;
    if (reply.accepted === 0 && raw.length > 0) {
      status = reply.rejected.some((r) => isTransientRefusal(r.reason)) ? 503 : 422;
      if (status === 503) res.setHeader('retry-after', String(INGEST_RETRY_AFTER_S));
    }
    sendJson(res, status, reply);
  });

  o.router.post('/api/alarms/:id/ack', async ({ req, res, params }) => {
    const who = await requireRole(o.auth, req, 'operator');
    const p = ackBodySchema.safeParse(hasBody(req) ? await readBody(req, 16 * 1024) : {});
    if (!p.success) throw new HttpError(400, `body: ${p.error.issues.map((i) => i.message).join('; ')}; expected {note?: string}`);
    const reply = await o.pipeline.alarmAction(who, 'acknowledge', { alarm: params['id']!, ...p.data });
    sendJson(res, actionStatus(reply), reply.ok ? { ok: true, alarm: params['id'] } : { ok: false, error: reply.error });
  });

  o.router.post('/api/alarms/:id/resolve', async ({ req, res, params }) => {
    const who = await requireRole(o.auth, req, 'operator');
    const p = resolveBodySchema.safeParse(await readBody(req, 16 * 1024));
    if (!p.success) throw new HttpError(400, `body: ${p.error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ')}; expected {outcome: "genuine"|"false-alarm", note?: string}`);
    const reply = await o.pipeline.alarmAction(who, 'resolve', { alarm: params['id']!, ...p.data });
    sendJson(res, actionStatus(reply), reply.ok ? { ok: true, alarm: params['id'] } : { ok: false, error: reply.error });
  });

  o.router.get('/api/state', async ({ req, res, url }) => {
    await requireRole(o.auth, req, 'viewer');
    const at = url.searchParams.get('at');
    if (at === null) { sendJson(res, 200, stateToJson(o.pipeline.state)); return; }
    const t = parseTimestamp(at);
    if (!t.ok) throw new HttpError(400, `at: ${t.reason}`);
    const r = await stateAt(o.store, o.index, t.ms);
    sendJson(res, 200, stateToJson(r.state, t.ms));
  });
}
