// The client's change sequencer: numbered state changes applied once and in
// order; a gap asks `state:sync` and takes its changes or its snapshot,
// holding what arrives meanwhile; a failed sync is retried. And the top
// bar's link text.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type HelloPayload, type StateChange, type StateJson, type SyncReply } from '../../src/core/protocol.ts';
import { ChangeSequencer, helloProblem, SYNC_RETRY_MS } from '../../src/net/dispatch.ts';
import { linkText, OFFLINE_AFTER_MS } from '../../src/hud/ConnectionStatus.tsx';

const ch = (seq: number): StateChange => ({ seq, kind: 'door', door: 'D-1', open: seq % 2 === 1, since: 1000 + seq });
const snap = (seq: number): StateJson => ({ at: null, seq, sensors: {}, doors: {}, cameras: {}, alarms: [] });

function rig(replies: Array<SyncReply | Error> = []) {
  const applied: number[] = [];
  const snapshots: number[] = [];
  const asked: number[] = [];
  let release: (() => void) | null = null;
  const seq = new ChangeSequencer({
    apply: (c) => applied.push(...c.map((x) => x.seq)),
    snapshot: (s) => snapshots.push(s.seq),
    sync: (lastSeq) => {
      asked.push(lastSeq);
      const r = replies.shift() ?? { ok: true, mode: 'changes', changes: [] };
      return new Promise((resolve, reject) => { release = () => (r instanceof Error ? reject(r) : resolve(r)); });
    },
  });
  return { seq, applied, snapshots, asked, answer: async () => { release?.(); release = null; await vi.waitFor(() => undefined); await Promise.resolve(); await Promise.resolve(); } };
}

afterEach(() => { vi.useRealTimers(); });

describe('ChangeSequencer', () => {
  it('applies contiguous batches once, dropping repeats', () => {
    const r = rig();
    r.seq.reset(3);
    r.seq.receive([ch(2), ch(3), ch(4)]);
    r.seq.receive([ch(5), ch(6)]);
    r.seq.receive([ch(6)]);
    expect(r.applied).toEqual([4, 5, 6]);
    expect(r.seq.lastSeq).toBe(6);
    expect(r.asked).toEqual([]);
  });

  it('on a gap asks state:sync from the last applied seq and applies the answer, then what was held', async () => {
    const r = rig([{ ok: true, mode: 'changes', changes: [ch(2), ch(3)] }]);
    r.seq.receive([ch(1)]);
    r.seq.receive([ch(4)]); // 2 and 3 missing
    expect(r.asked).toEqual([1]);
    r.seq.receive([ch(5)]); // arrives while syncing: held
    expect(r.applied).toEqual([1]);
    await r.answer();
    expect(r.applied).toEqual([1, 2, 3, 4, 5]);
    expect(r.seq.lastSeq).toBe(5);
  });

  it('takes a snapshot answer and goes on from its seq', async () => {
    const r = rig([{ ok: true, mode: 'snapshot', snapshot: snap(40) }]);
    r.seq.receive([ch(10)]);
    expect(r.asked).toEqual([0]);
    r.seq.receive([ch(40), ch(41)]);
    await r.answer();
    expect(r.snapshots).toEqual([40]);
    expect(r.applied).toEqual([41]);
    expect(r.seq.lastSeq).toBe(41);
  });

  it('catches up when hello says the server is ahead', async () => {
    const r = rig([{ ok: true, mode: 'changes', changes: [ch(1), ch(2)] }]);
    r.seq.expect(0);
    expect(r.asked).toEqual([]);
    r.seq.expect(2);
    await r.answer();
    expect(r.applied).toEqual([1, 2]);
  });

  it('retries a failed sync after a pause, keeping what it held', async () => {
    vi.useFakeTimers();
    const r = rig([new Error('timeout'), { ok: true, mode: 'changes', changes: [ch(2)] }]);
    r.seq.receive([ch(1)]);
    r.seq.receive([ch(3)]);
    await r.answer();
    expect(r.applied).toEqual([1]);
    expect(r.asked).toEqual([1]);
    await vi.advanceTimersByTimeAsync(SYNC_RETRY_MS);
    expect(r.asked).toEqual([1, 1]);
    await r.answer();
    expect(r.applied).toEqual([1, 2, 3]);
    r.seq.stop();
  });
});

describe('link text', () => {
  const since = 1_000_000;
  it('says live with the data age, reconnecting, then offline since', () => {
    expect(linkText({ status: 'live', since, detail: null }, since, Number.NaN, since)).toEqual({ text: 'Live · no data yet', tone: 'ok' });
    expect(linkText({ status: 'live', since, detail: null }, since, since - 2400, since).text).toBe('Live · data 2 s old');
    expect(linkText({ status: 'live', since, detail: null }, since, since - 120_000, since)).toEqual({ text: 'Live · data 2 min old', tone: 'late' });
    // Replaying: the buffer's readings are the past's, so their age is not the feed's.
    expect(linkText({ status: 'live', since, detail: null }, since, since - 3 * 3_600_000, since, true)).toEqual({ text: 'Live · scene in replay', tone: 'ok' });
    expect(linkText({ status: 'reconnecting', since, detail: null }, since + 1000, Number.NaN, 0)).toEqual({ text: 'Reconnecting…', tone: 'wait' });
    expect(linkText({ status: 'reconnecting', since, detail: null }, since + OFFLINE_AFTER_MS, Number.NaN, 0).text).toMatch(/^Offline since \d\d:\d\d · retrying$/);
    expect(linkText({ status: 'unauthorized', since, detail: 'x' }, since, Number.NaN, 0).tone).toBe('down');
  });
});

describe('hello', () => {
  const hello: HelloPayload = { protocol: PROTOCOL_VERSION, facility: 'tiny', role: 'viewer', seq: 0, recovered: false, frameTickMs: 250, serverTime: 0 };
  it('refuses another protocol version or another facility, saying what to do', () => {
    expect(helloProblem(hello, 'tiny')).toBeNull();
    expect(helloProblem({ ...hello, protocol: PROTOCOL_VERSION + 1 }, 'tiny')).toBe(`The server speaks live protocol ${PROTOCOL_VERSION + 1}; this page speaks ${PROTOCOL_VERSION}. Reload the page to get the matching version.`);
    expect(helloProblem({ ...hello, facility: 'demo-plant' }, 'tiny')).toMatch(/facility "demo-plant", not "tiny"\. Reload/);
  });
});
