// The shared socket protocol: roles, the inbound schemas and the client's gap rule.
import { describe, expect, it } from 'vitest';
import {
  acknowledgeRequestSchema, classifyChanges, decodeFrame, encodeFrame, FRAME_BYTES_PER_READING, isRole, resolveRequestSchema, roleAtLeast, ROLES, syncRequestSchema, type StateChange,
} from '../../src/core/protocol.ts';

const door = (seq: number): StateChange => ({ seq, kind: 'door', door: 'D-1', open: seq % 2 === 1, since: 1000 + seq });

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
    const table: [string, string, boolean][] = [
      ['viewer', 'viewer', true], ['viewer', 'operator', false], ['viewer', 'admin', false],
      ['operator', 'viewer', true], ['operator', 'operator', true], ['operator', 'admin', false],
      ['admin', 'viewer', true], ['admin', 'operator', true], ['admin', 'admin', true],
    ];
    for (const [role, needed, ok] of table) expect(roleAtLeast(role as never, needed as never), `${role} ≥ ${needed}`).toBe(ok);
    expect([isRole('admin'), isRole('root'), isRole(1), isRole(undefined)]).toEqual([true, false, false, false]);
  });
});

describe('inbound schemas', () => {
  it('accepts well-formed requests', () => {
    expect(acknowledgeRequestSchema.parse({ alarm: 'door-forced:D-1:1' })).toEqual({ alarm: 'door-forced:D-1:1' });
    expect(resolveRequestSchema.parse({ alarm: 'a', outcome: 'false-alarm', note: 'n' })).toEqual({ alarm: 'a', outcome: 'false-alarm', note: 'n' });
    expect(syncRequestSchema.parse({ lastSeq: 0 })).toEqual({ lastSeq: 0 });
  });

  it('refuses wrong types, unknown keys, empty ids, bad outcomes and seqs', () => {
    const bad: [{ safeParse: (v: unknown) => { success: boolean } }, unknown][] = [
      [acknowledgeRequestSchema, { alarm: '' }], [acknowledgeRequestSchema, { alarm: 1 }], [acknowledgeRequestSchema, { alarm: 'a', by: 'me' }],
      [acknowledgeRequestSchema, { alarm: 'a'.repeat(201) }], [acknowledgeRequestSchema, null], [acknowledgeRequestSchema, 'a'],
      [resolveRequestSchema, { alarm: 'a' }], [resolveRequestSchema, { alarm: 'a', outcome: 'maybe' }], [resolveRequestSchema, { alarm: 'a', outcome: 'genuine', note: 'x'.repeat(2001) }],
      [syncRequestSchema, { lastSeq: -1 }], [syncRequestSchema, { lastSeq: 1.5 }], [syncRequestSchema, { lastSeq: '3' }], [syncRequestSchema, {}],
    ];
    for (const [schema, v] of bad) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false);
  });
});

describe('classifyChanges', () => {
  it('applies changes that follow on, dropping ones already seen', () => {
    expect(classifyChanges(3, [door(4), door(5)])).toEqual({ action: 'apply', changes: [door(4), door(5)] });
    expect(classifyChanges(4, [door(3), door(4), door(5)])).toEqual({ action: 'apply', changes: [door(5)] });
    expect(classifyChanges(9, [door(8), door(9)])).toEqual({ action: 'apply', changes: [] });
    expect(classifyChanges(0, [])).toEqual({ action: 'apply', changes: [] });
  });

  it('reports the first missing seq on a gap', () => {
    expect(classifyChanges(3, [door(5)])).toEqual({ action: 'gap', missingFrom: 4 });
    expect(classifyChanges(3, [door(4), door(6)])).toEqual({ action: 'gap', missingFrom: 5 });
  });

  it('agrees with a brute-force check on random batches (seeded)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 500; n++) {
      const last = Math.floor(rnd() * 10);
      const start = Math.max(1, last - 2 + Math.floor(rnd() * 5));
      const seqs: number[] = [];
      for (let s = start, k = Math.floor(rnd() * 5); k > 0; k--) { seqs.push(s); s += rnd() < 0.8 ? 1 : 2; }
      const fresh = seqs.filter((s) => s > last);
      const contiguous = fresh.every((s, i) => s === last + 1 + i);
      const out = classifyChanges(last, seqs.map(door));
      expect(out.action, `${last} ${seqs.join(',')}`).toBe(contiguous ? 'apply' : 'gap');
    }
  });
});

describe('telemetry frame encoding', () => {
  it('round-trips slots, values and times exactly', () => {
    const slots = [0, 7, 4_999, 65_536], values = [20.4, -0.1, 1e-300, Number.MAX_VALUE], times = [Date.UTC(2026, 10, 2), 1, -86_400_000, 8.64e15];
    const data = encodeFrame(4, slots, values, times);
    expect(data.byteLength).toBe(4 * FRAME_BYTES_PER_READING);
    const r = decodeFrame({ n: 4, data });
    expect([...r.slots]).toEqual(slots);
    expect([...r.values]).toEqual(values);
    expect([...r.times]).toEqual(times);
    expect(decodeFrame({ n: 0, data: encodeFrame(0, [], [], []) }).values.length).toBe(0);
  });

  it('decodes from an unaligned view and from an ArrayBuffer', () => {
    const data = encodeFrame(2, [3, 1], [1.5, 2.5], [10, 20]);
    const shifted = new Uint8Array(data.byteLength + 3);
    shifted.set(data, 3);
    const r = decodeFrame({ n: 2, data: shifted.subarray(3) });
    expect([...r.values, ...r.times, ...r.slots]).toEqual([1.5, 2.5, 10, 20, 3, 1]);
    expect([...decodeFrame({ n: 2, data: data.buffer }).slots]).toEqual([3, 1]);
  });

  it('refuses a payload of the wrong size', () => {
    expect(() => decodeFrame({ n: 3, data: encodeFrame(2, [1, 2], [1, 2], [1, 2]) })).toThrow(/40 bytes does not hold 3 readings/);
    expect(() => decodeFrame({ n: -1, data: new Uint8Array(0) })).toThrow();
  });
});
