// Auth as callers meet it: bearer tokens and roles on every API call and the
// socket (recovered connections too), origins, the token command, the
// loopback-only --no-auth, and the audit log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens.ts';
import { openStore } from '../../server/store/index.ts';
import { connect, get, post, request, startLive, type Live } from './live-helpers.ts';
import { twinspace } from './run-cli.ts';

describe('HTTP auth and roles', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ allowedOrigins: ['https://console.example.com'] }); });
  afterAll(() => live.close());

  it('needs a known token on every API call but /healthz; the front end is open', async () => {
    for (const path of ['/api/facility', '/api/state', '/api/events', '/api/telemetry?sensor=T-CR1-1']) {
      expect(await get(live, path, null)).toEqual({ status: 401, body: { error: 'missing "Authorization: Bearer <token>"' } });
      expect((await get(live, path, 'not-a-token')).body).toEqual({ error: 'unknown token' });
      expect((await get(live, path, live.tokens.viewer)).status).toBe(200);
    }
    expect((await get(live, '/healthz', null)).body).toMatchObject({ ok: true, auth: true, store: { ok: true, kind: 'sqlite' } });
  });

  it('lets operators ingest and act on alarms, refuses viewers 403', async () => {
    const rec = [{ ts: live.now(), sensor: 'T-CR1-1', value: 20 }];
    expect(await post(live, '/api/ingest', live.tokens.viewer, rec)).toEqual({ status: 403, body: { error: 'needs the operator role; this token has viewer' } });
    expect((await post(live, '/api/ingest', live.tokens.operator, rec)).status).toBe(200);
    expect((await post(live, '/api/alarms/door-forced:D-1:1/ack', live.tokens.viewer, {})).status).toBe(403);
    expect((await post(live, '/api/alarms/door-forced:D-1:1/resolve', live.tokens.viewer, { outcome: 'genuine' })).status).toBe(403);
    expect(await post(live, '/api/alarms/door-forced:D-1:1/ack', live.tokens.operator, {})).toEqual({ status: 404, body: { ok: false, error: 'alarm: names no raised alarm "door-forced:D-1:1"' } });
  });

  it('acknowledges and resolves over HTTP, audited under the token label', async () => {
    const ts = live.now();
    await post(live, '/api/ingest', live.tokens.operator, [{ ts, type: 'door.opened', door: 'D-1' }, { ts: ts + 1, type: 'door.closed', door: 'D-1' }]);
    const id = `door-forced:D-1:${ts}`;
    await expect.poll(() => live.app.pipeline.state.alarms[id] !== undefined).toBe(true);
    const res = await fetch(`${live.base}/api/alarms/${encodeURIComponent(id)}/ack`, { method: 'POST', headers: { authorization: `Bearer ${live.tokens.operator}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, alarm: id });
    expect((await post(live, `/api/alarms/${id}/resolve`, live.tokens.operator, { outcome: 'sure' })).status).toBe(400);
    expect(await post(live, `/api/alarms/${id}/resolve`, live.tokens.admin, { outcome: 'genuine', note: 'tailgating' })).toEqual({ status: 200, body: { ok: true, alarm: id } });
    await expect.poll(() => live.app.pipeline.state.alarms[id]?.resolvedBy).toBe('root');
    expect(live.app.pipeline.state.alarms[id]).toMatchObject({ acknowledgedBy: 'ops-desk', outcome: 'genuine', note: 'tailgating' });
    const audit = (await live.store.auditLog({})).filter((a) => a.detail['alarm'] === id);
    expect(audit).toEqual([
      { ts: expect.any(Number), actor: 'ops-desk', action: 'alarm.acknowledge', detail: { alarm: id, role: 'operator' } },
      { ts: expect.any(Number), actor: 'root', action: 'alarm.resolve', detail: { alarm: id, role: 'admin', outcome: 'genuine', note: 'tailgating' } },
    ]);
  });

  it('refuses API calls from origins not allowed', async () => {
    const call = (origin: string) => fetch(`${live.base}/api/state`, { headers: { authorization: `Bearer ${live.tokens.viewer}`, origin } }).then((r) => r.status);
    expect(await call('https://evil.example.com')).toBe(403);
    expect(await call('https://console.example.com')).toBe(200);
    expect(await call(live.base)).toBe(200);
    const preflight = await fetch(`${live.base}/api/ingest`, { method: 'OPTIONS', headers: { origin: 'https://console.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('socket auth', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ allowedOrigins: ['https://console.example.com'] }); });
  afterAll(() => live.close());

  it('refuses a handshake without a token or with an unknown one', async () => {
    await expect(connect(live, undefined, { reconnection: false })).rejects.toThrow('unauthorized: give auth: {token}');
    await expect(connect(live, 'nope', { reconnection: false })).rejects.toThrow('unauthorized: unknown token');
  });

  it('refuses a handshake from an origin not allowed', async () => {
    await expect(connect(live, live.tokens.viewer, { reconnection: false, extraHeaders: { origin: 'https://evil.example.com' } })).rejects.toThrow();
    const ok = await connect(live, live.tokens.viewer, { extraHeaders: { origin: 'https://console.example.com' } });
    expect(ok.socket.connected).toBe(true);
  });

  it('checks the token again on a recovered connection: a revoked one is refused', async () => {
    const token = await live.app.createToken('operator', 'temp');
    const { socket } = await connect(live, token);
    expect(await request(socket, 'state:sync', { lastSeq: 0 })).toMatchObject({ ok: true });
    await live.store.removeToken(hashToken(token));
    live.app.auth.forget(hashToken(token));
    const refused = new Promise<Error>((r) => socket.once('connect_error', r));
    socket.io.engine.close();
    expect((await refused).message).toBe('unauthorized: unknown token');
    socket.disconnect();
  });
});

describe('without auth', () => {
  let live: Live;
  beforeAll(async () => { live = await startLive({ auth: false }); });
  afterAll(() => live.close());

  it('serves everyone as an anonymous admin (loopback only, see serve)', async () => {
    expect((await get(live, '/api/state', null)).status).toBe(200);
    const { inbox } = await connect(live, undefined);
    await expect.poll(() => inbox.hello[0]?.role).toBe('admin');
  });
});

describe('token and serve commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-token-'));
  const db = `sqlite:${join(dir, 'twin.db')}`;

  it('token create prints the token alone and stores only its hash, audited', async () => {
    const r = await twinspace(['token', 'create', '--role', 'operator', '--label', 'night shift', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const store = await openStore(db);
    try {
      const rows = await store.listTokens();
      expect(rows).toEqual([{ hash: hashToken(r.stdout.trim()), role: 'operator', created: expect.any(Number), label: 'night shift' }]);
      expect((await store.auditLog({})).map((a) => [a.actor, a.action, a.detail['label']])).toEqual([['cli', 'token.create', 'night shift']]);
    } finally {
      await store.close();
    }
  });

  it('token create refuses a missing or unknown role and a wrong action with exit 2', async () => {
    expect((await twinspace(['token', 'create', '--db', db])).code).toBe(2);
    const bad = await twinspace(['token', 'create', '--role', 'root', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of viewer, operator, admin, got "root"/);
    expect((await twinspace(['token', 'delete', '--role', 'viewer', '--db', db])).code).toBe(2);
  });

  it('serve refuses --no-auth on a non-loopback host', async () => {
    const r = await twinspace(['serve', '--no-auth', '--host', '0.0.0.0', '--port', '0', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--no-auth lets every caller act as admin, so it binds only to loopback/);
  });
});
