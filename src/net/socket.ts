// The live socket (interfaces.md "Live socket"; protocol in core/protocol.ts):
// connects with the session's token, websocket first; on `hello` checks the
// protocol and measures the server clock; snapshots and numbered changes go
// through the sequencer into the live buffer and the store; telemetry frames
// go straight into the typed arrays. Reconnects forever with back-off, also
// after the server dropped it; a refused token stops it and says so.
import { io, type Socket } from 'socket.io-client';
import type { ActionReply, ClientToServerEvents, HelloPayload, ServerToClientEvents, SyncReply } from '../core/protocol.ts';
import type { AlarmOutcome } from '../core/records.ts';
import { live, replay, serverClock } from '../state/live.ts';
import type { StateJson } from '../core/protocol.ts';
import { useTwin } from '../state/store.ts';
import { applyChanges, applySnapshot, applyStateAt, applyTelemetry, ChangeSequencer, helloProblem } from './dispatch.ts';
import { TOKEN_KEY } from './api.ts';
import { beep } from '../hud/sound.ts';
import { debug } from '../app/debug.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** First reconnection delay, ms (socket.io doubles it, with jitter, per attempt). */
export const RECONNECT_DELAY_MS = 1_000;
/** Longest reconnection delay, ms. */
export const RECONNECT_DELAY_MAX_MS = 10_000;
/** How long an operator action or a sync may wait for its acknowledgement, ms. */
export const ACK_TIMEOUT_MS = 10_000;

interface Connection {
  socket: LiveSocket;
  sequencer: ChangeSequencer;
  stop(): void;
}

let current: Connection | null = null;

/** Why a connect error is final: the server refused the token (a retry would be refused again). */
function isAuthError(e: Error): boolean {
  return /unauthori[sz]ed|forbidden|\b40[13]\b/i.test(e.message);
}

/**
 * Opens the live socket for the loaded facility (one at a time; a new call
 * replaces the old one). Returns the stop function.
 */
export function startLive(facilityId: string, opts: { url?: string; token?: string | null } = {}): () => void {
  current?.stop();
  const token = opts.token !== undefined ? opts.token : window.sessionStorage.getItem(TOKEN_KEY);
  const store = useTwin.getState();
  store.setLink('connecting');
  const socket: LiveSocket = io(opts.url ?? window.location.origin, {
    // NOTE: websocket first, long-polling only when it fails (a proxy that blocks upgrades).
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    randomizationFactor: 0.5,
    ...(token ? { auth: { token } } : {}),
  });
  let seenSnapshot = false;
  let restart: ReturnType<typeof setTimeout> | null = null;

  const sequencer = new ChangeSequencer({
    // NOTE: in replay the buffer shows the past: changes only move the seq on; Back to live re-syncs (resyncLive).
    apply: (changes) => { if (live.buffer && !replay.active) announce(applyChanges(live.buffer, changes)); },
    snapshot: (s) => { if (live.buffer && !replay.active) announce(applySnapshot(live.buffer, s, true)); },
    sync: (lastSeq) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('state:sync', { lastSeq }) as Promise<SyncReply>,
  });

  const onHello = (h: HelloPayload) => {
    const s = useTwin.getState();
    const problem = helloProblem(h, facilityId);
    if (problem !== null) {
      s.setLink('incompatible', problem);
      socket.disconnect();
      return;
    }
    serverClock.offsetMs = h.serverTime - Date.now();
    s.setRole(h.role);
    s.setLink('live');
    // Recovered: the missed changes were replayed before this hello; anything still missing is a gap.
    if (h.recovered) sequencer.expect(h.seq);
  };

  socket.on('hello', onHello);
  socket.on('state:snapshot', (snap) => {
    if (!live.buffer) return;
    if (!replay.active) announce(applySnapshot(live.buffer, snap, seenSnapshot));
    seenSnapshot = true;
    sequencer.reset(snap.seq);
  });
  socket.on('state:changed', (p) => {
    if (Array.isArray(p?.changes)) sequencer.receive(p.changes);
  });
  socket.on('telemetry:frame', (f) => {
    if (!live.buffer || replay.active) return; // dropped in replay: Back to live re-syncs
    try {
      applyTelemetry(live.buffer, f);
    } catch (e) {
      console.warn((e as Error).message);
    }
  });
  socket.on('connect_error', (e) => {
    if (isAuthError(e)) {
      useTwin.getState().setLink('unauthorized', `The server refused this session's token (${e.message}).`);
      return;
    }
    // The manager retries by itself; say so.
    useTwin.getState().setLink('reconnecting');
  });
  socket.on('disconnect', (reason) => {
    const s = useTwin.getState();
    if (s.link.status === 'incompatible' || s.link.status === 'unauthorized') return;
    s.setLink('reconnecting');
    // Dropped by the server (restart, kicked): socket.io does not retry that by itself.
    if (reason === 'io server disconnect') {
      restart = setTimeout(() => { restart = null; socket.connect(); }, RECONNECT_DELAY_MS);
    }
  });
  // The browser knows about a lost network before the heartbeat does: drop the transport at once (it retries).
  const onOffline = () => { if (socket.connected) socket.io.engine?.close(); };
  const onOnline = () => { if (!socket.connected && useTwin.getState().link.status === 'reconnecting') socket.connect(); };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  const conn: Connection = {
    socket, sequencer,
    stop: () => {
      if (restart) clearTimeout(restart);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      sequencer.stop();
      socket.removeAllListeners();
      socket.disconnect();
      if (current === conn) current = null;
    },
  };
  current = conn;
  debug.live = () => {
    const s = useTwin.getState();
    return { status: s.link.status, role: s.role, lastSeq: sequencer.lastSeq, version: live.buffer?.version ?? 0, alarms: s.alarmList.length };
  };
  debug.dropSocket = dropConnection;
  return conn.stop;
}

/** Beeps and pulses for newly raised alarms (the store already made their toasts). */
function announce(ids: readonly string[]): void {
  if (ids.length > 0 && useTwin.getState().soundOn) beep();
}

async function action(event: 'alarm:acknowledge' | 'alarm:resolve', payload: Record<string, unknown>): Promise<ActionReply> {
  const c = current;
  if (!c || !c.socket.connected) return { ok: false, error: 'not connected to the server; try again when the status says Live' };
  try {
    return await (c.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(e: string, p: unknown): Promise<ActionReply> }).emitWithAck(event, payload);
  } catch {
    return { ok: false, error: `no answer from the server within ${ACK_TIMEOUT_MS / 1000} s` };
  }
}

/** Acknowledges an alarm over the socket (operator role or above). */
export function acknowledgeAlarm(alarm: string, note?: string): Promise<ActionReply> {
  return action('alarm:acknowledge', { alarm, ...(note ? { note } : {}) });
}

/** Resolves an alarm with its outcome and an optional note (operator role or above). */
export function resolveAlarm(alarm: string, outcome: AlarmOutcome, note?: string): Promise<ActionReply> {
  return action('alarm:resolve', { alarm, outcome, ...(note ? { note } : {}) });
}

/**
 * Tests: closes the transport as a network drop would; the socket reconnects
 * (and the server recovers its session) after about `holdMs` (default: the
 * usual back-off).
 */
export function dropConnection(holdMs = 0): void {
  const c = current;
  if (!c) return;
  const m = c.socket.io;
  if (holdMs > 0) {
    m.reconnectionDelay(holdMs); m.reconnectionDelayMax(holdMs); m.randomizationFactor(0);
    c.socket.once('connect', () => { m.reconnectionDelay(RECONNECT_DELAY_MS); m.reconnectionDelayMax(RECONNECT_DELAY_MAX_MS); m.randomizationFactor(0.5); });
  }
  m.engine?.close();
}

/** The banner's "Try again": reconnects now, with the session's token as it is now. */
export function reconnectNow(): void {
  const c = current;
  if (!c) return;
  const token = window.sessionStorage.getItem(TOKEN_KEY);
  if (token) c.socket.auth = { token };
  useTwin.getState().setLink('connecting');
  c.socket.connect();
}

/** The sequencer's last applied seq (tests). */
export function lastAppliedSeq(): number {
  return current?.sequencer.lastSeq ?? 0;
}

/**
 * Back to live after a replay: writes the server's current state (GET
 * /api/state: readings, doors, cameras, open alarms) into the live buffer
 * and restarts the change sequencer from its seq, so what follows applies
 * exactly. Call after `replay.active` went false. The socket kept running.
 */
export function resyncLive(snap: StateJson): void {
  if (!live.buffer) return;
  applyStateAt(live.buffer, snap);
  const c = current;
  if (c) {
    c.sequencer.reset(snap.seq);
    void c.sequencer.syncNow();
  }
}
