// GET /api/metrics and the ROI inputs over HTTP, on a real server and store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics/all.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { M, T0, TINY_RECORDS } from '../fixtures/tiny-scenario.ts';
import { get, startLive, tinyFacility, type Live } from './live-helpers.ts';

const RECORDS = TINY_RECORDS;
const ROI = {
  format: 'twinspace.roi/1', currency: 'EUR', investment: { upfront: 100000, annual: 10000 },
  baseline: { excursionMinutesPerYear: 300000, ttaMeanS: 120, coverageFraction: 0.5 },
  costs: { perExcursionMinute: 1, perResponseMinute: 2, perUnrecordedIncident: 1000 }, incidentsPerYear: 10,
};

async function put(live: Live, path: string, token: string, body: unknown) {
  const res = await fetch(live.base + path, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/api/metrics', () => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive();
    await live.store.append(RECORDS);
  });
  afterAll(() => live.close());
  const q = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 20 * M).toISOString()}`;

  it('answers the four reports for the period, by the definitions', async () => {
    const r = await get(live, `/api/metrics?${q}`, live.tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.body.from).toBe('2026-11-02T08:00:00Z');
    expect(r.body.to).toBe('2026-11-02T08:20:00Z');
    expect(r.body.stability.zones['CR-1'].inSpecFraction).toBeCloseTo(0.5, 12);
    expect(r.body.stability.zones['CR-1'].excursionMinutes).toBeCloseTo(10, 12);
    expect(r.body.alarms.raised).toBe(1);
    expect(r.body.alarms.tta.meanS).toBe(60);
    expect(r.body.coverage.grid).toBe(0.25);
    expect(r.body.roi).toBeNull(); // no inputs stored yet
    const expected = computeMetrics(indexFacility(tinyFacility(true)), RECORDS, { from: T0, to: T0 + 20 * M });
    expect(r.body.stability).toEqual(JSON.parse(JSON.stringify(expected.stability)));
    expect(r.body.alarms).toEqual(JSON.parse(JSON.stringify(expected.alarms)));
  });

  it('answers a trend whose buckets are their own periods', async () => {
    const r = await get(live, `/api/metrics/trend?${q}&buckets=2`, live.tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.body.points.map((p: { criticalInSpecFraction: number }) => p.criticalInSpecFraction)).toEqual([1, 0]);
    expect(r.body.points.map((p: { raised: number }) => p.raised)).toEqual([1, 0]);
  });

  it('refuses impossible periods and bucket counts with a reason', async () => {
    const a = await get(live, `/api/metrics?from=2026-11-02T09:00:00Z&to=2026-11-02T08:00:00Z`, live.tokens.viewer);
    expect(a.status).toBe(400);
    expect(a.body.error).toBe('to must be after from');
    const b = await get(live, `/api/metrics?from=yesterday`, live.tokens.viewer);
    expect(b.status).toBe(400);
    expect(b.body.error).toMatch(/^from: /);
    const c = await get(live, `/api/metrics/trend?${q}&buckets=0`, live.tokens.viewer);
    expect(c.status).toBe(400);
  });

  it('needs a token', async () => {
    expect((await get(live, `/api/metrics?${q}`, null)).status).toBe(401);
  });

  it('stores ROI inputs for admins only, and then computes the ROI', async () => {
    expect((await put(live, '/api/roi', live.tokens.operator, ROI)).status).toBe(403);
    const bad = await put(live, '/api/roi', live.tokens.admin, { ...ROI, investment: { upfront: -5, annual: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body['error']).toBe('investment.upfront: must be ≥ 0');
    const ok = await put(live, '/api/roi', live.tokens.admin, ROI);
    expect(ok.status).toBe(200);
    expect((await get(live, '/api/roi', live.tokens.viewer)).body.inputs.currency).toBe('EUR');
    const r = await get(live, `/api/metrics?${q}`, live.tokens.viewer);
    const perYear = (365 * 24 * 60) / 20;
    expect(r.body.roi.lines.temperature).toBeCloseTo(300000 - 10 * perYear, 6);
    expect(r.body.roi.lines.response).toBeCloseTo(((120 - 60) / 60) * perYear * 2, 6);
    const audit = await live.store.auditLog({});
    expect(audit.some((a) => a.action === 'roi.update' && a.actor === 'root')).toBe(true);
  });
});
