// What the live-server tests share: a real app on port 0 over a real SQLite
// file, tokens for each role, and typed socket.io-client connections.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { createApp, type App, type AppOptions } from '../../server/app.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import type { Facility } from '../../src/core/facility/schema.ts';
import { decodeFrame, type ClientToServerEvents, type HelloPayload, type ServerToClientEvents, type StateChange, type StateJson } from '../../src/core/protocol.ts';

export const TINY_PATH = new URL('../fixtures/tiny-facility.json', import.meta.url).pathname;
export const BIN = new URL('../../server/twinspace.mjs', import.meta.url).pathname;

/** The tiny plant; `anyHours` drops its business hours so live tests do not raise after-hours alarms by time of day. */
export function tinyFacility(anyHours = false): Facility {
  const doc = JSON.parse(readFileSync(TINY_PATH, 'utf8')) as Record<string, unknown>;
  if (anyHours) delete doc['businessHours'];
  const r = loadFacility(doc);
  if (!r.ok) throw new Error('fixture invalid');
  return r.facility;
}

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A running app and what tests need to talk to it. */
export interface Live {
  app: App;
  base: string;
  dbPath: string;
  store: SqliteStore;
  tokens: { viewer: string; operator: string; admin: string };
  /** Moves the app's clock forward (tests of door-held timing); never back, or fresh records would be late. */
  clockOffsetMs: { value: number };
  /** The app's clock, epoch ms: stamp records with it. */
  now(): number;
  close(): Promise<void>;
}

const liveClients = new Map<string, Client[]>();

/** Starts an app on 127.0.0.1:0 with a fresh SQLite file, the tiny plant open at all hours, and fast ticks (reorder 200 ms, fold 10 ms, frames 50 ms). */
export async function startLive(opts: Partial<AppOptions> = {}): Promise<Live> {
  const dir = mkdtempSync(join(tmpdir(), 'twinspace-live-'));
  const dbPath = join(dir, 'twin.db');
  const store = new SqliteStore(dbPath);
  const clockOffsetMs = { value: 0 };
  const app = createApp({
    facility: tinyFacility(true), store, clock: () => Date.now() + clockOffsetMs.value, frameTickMs: 50,
    ...opts,
    pipeline: { reorderMs: 200, foldTickMs: 10, ...opts.pipeline },
  });
  await app.ready;
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const tokens = {
    viewer: await app.createToken('viewer', 'wall'),
    operator: await app.createToken('operator', 'ops-desk'),
    admin: await app.createToken('admin', 'root'),
  };
  const clients: Client[] = [];
  liveClients.set(base, clients);
  return {
    app, base, dbPath, store, tokens, clockOffsetMs, now: () => Date.now() + clockOffsetMs.value,
    close: async () => {
      for (const c of clients) c.disconnect();
      await app.close();
      await store.close();
    },
  };
}

/** What a client has received, for assertions. */
export interface Inbox {
  hello: HelloPayload[];
  snapshots: StateJson[];
  changes: StateChange[];
  /** Telemetry frames, decoded. */
  frames: { at: number; full: boolean; slots: number[]; values: number[]; times: number[] }[];
}

/** Opens a socket with `token` (undefined: no auth) and records what it receives. Resolves once connected; rejects with the connect error. */
export async function connect(live: Live, token: string | undefined, extra: Record<string, unknown> = {}): Promise<{ socket: Client; inbox: Inbox }> {
  const socket: Client = connectClient(live.base, {
    transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200, forceNew: true,
    ...(token !== undefined ? { auth: { token } } : {}), ...extra,
  });
  liveClients.get(live.base)?.push(socket);
  const inbox: Inbox = { hello: [], snapshots: [], changes: [], frames: [] };
  socket.on('hello', (h) => inbox.hello.push(h));
  socket.on('state:snapshot', (s) => inbox.snapshots.push(s));
  socket.on('state:changed', (p) => inbox.changes.push(...p.changes));
  socket.on('telemetry:frame', (f) => {
    const r = decodeFrame(f);
    inbox.frames.push({ at: f.at, full: f.full === true, slots: [...r.slots], values: [...r.values], times: [...r.times] });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => { socket.disconnect(); reject(e); });
  });
  return { socket, inbox };
}

/** POSTs JSON (or a raw string) with a bearer token; returns status and parsed body. */
export async function post(live: Live, path: string, token: string | null, body: unknown, raw = false): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(live.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** GETs JSON with a bearer token. */
export async function get(live: Live, path: string, token: string | null): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(live.base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

/** Emits with an acknowledgement and resolves with the reply. */
export function request<E extends keyof ClientToServerEvents>(socket: Client, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  const timed = socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
  return timed.emitWithAck(event, payload) as never;
}
