// Canonical JSON, SHA-256 and incident bundles (src/core/canonical.ts,
// sha256.ts, bundle.ts): hand-checked cases, node:crypto as the oracle for
// the hash, and every way a bundle can be tampered with.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from '../../src/core/canonical.ts';
import { sha256Hex } from '../../src/core/sha256.ts';
import { BUNDLE_FORMAT, BUNDLE_PARTS, buildBundle, bundleFileName, partDigest, verifyBundle, type IncidentBundle, type IncidentParts } from '../../src/core/bundle.ts';
import { lifecycleOf, parseAlarmId } from '../../server/history/incident.ts';
import { DurationRing } from '../../server/history/routes.ts';
import type { EventRecord } from '../../src/core/records.ts';
import { mulberry32 as rng } from '../../src/core/random.ts';

describe('canonicalJson', () => {
  it.each([
    ['key order', { b: 1, a: 2, c: { z: true, y: null } }, '{"a":2,"b":1,"c":{"y":null,"z":true}}'],
    ['nested arrays keep their order', { x: [3, 1, { b: [], a: {} }] }, '{"x":[3,1,{"a":{},"b":[]}]}'],
    ['keys sort by UTF-16 code units (upper case, digits, non-ASCII)', { b: 0, B: 0, 10: 0, 9: 0, é: 0, '': 0, '\u{1F600}': 0, '\uFFFF': 0 }, '{"":0,"10":0,"9":0,"B":0,"b":0,"é":0,"\u{1F600}":0,"\uFFFF":0}'],
    ['unicode strings stay as they are; controls, quotes and backslashes escaped', { s: 'Zürich ☃ \u{1F600} "q" \\ \n\t\u0001' }, '{"s":"Zürich ☃ \u{1F600} \\"q\\" \\\\ \\n\\t\\u0001"}'],
    ['lone surrogates escaped as JSON.stringify does', ['\uD800'], '["\\ud800"]'],
    ['numbers in shortest round-trip form', [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, 2 ** 53], '[0,0,1,-1.5,0.1,1e+21,1e-7,123456789012345680000,5e-324,9007199254740992]'],
    ['undefined object members are left out', { a: undefined, b: 1 }, '{"b":1}'],
    ['scalars', 'text', '"text"'],
    ['null', null, 'null'],
    ['an own __proto__ key is an ordinary key', JSON.parse('{"__proto__":{"x":1},"a":0}') as unknown, '{"__proto__":{"x":1},"a":0}'],
  ])('%s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('is independent of key insertion order and whitespace, and parses back to an equal value (seeded)', () => {
    const rand = rng(6);
    const make = (depth: number): unknown => {
      const k = rand();
      if (depth > 3 || k < 0.3) return [rand() * 1e6 - 5e5, Math.floor(rand() * 100), 'ß\u{1F680}' + String(rand()), true, null][Math.floor(rand() * 5)];
      if (k < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => make(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) o[`k${Math.floor(rand() * 20)}${rand() < 0.2 ? 'ü' : ''}`] = make(depth + 1);
      return o;
    };
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v).sort(() => rand() - 0.5);
      return Object.fromEntries(entries.map(([k, x]) => [k, shuffle(x)]));
    };
    for (let i = 0; i < 200; i++) {
      const v = make(0);
      const c = canonicalJson(v);
      expect(canonicalJson(shuffle(v))).toBe(c);
      expect(canonicalJson(JSON.parse(JSON.stringify(v, null, 3)))).toBe(c);
      expect(JSON.parse(c)).toEqual(v);
      expect(c).not.toMatch(/[\n\r]|": |, "/);
    }
  });

  it.each([
    ['NaN', { a: [1, NaN] }, '$.a[1] is NaN'],
    ['Infinity', { a: { b: -Infinity } }, '$.a.b is -Infinity'],
    ['undefined in an array', [1, undefined], '$[1] is undefined'],
    ['a bigint', { n: 1n }, '$.n is bigint'],
    ['a function', { f: () => 1 }, '$.f is function'],
  ])('refuses %s, naming where', (_name, value, where) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(where);
  });

  it('refuses a cycle but not a shared branch', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => canonicalJson(loop)).toThrow('$.self refers back to itself');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('equals node:crypto on every length around the block edges and on random data (seeded)', () => {
    const rand = rng(11);
    for (const n of [...Array.from({ length: 140 }, (_, i) => i), 1000, 4096, 65_537]) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      expect([n, sha256Hex(bytes)]).toEqual([n, createHash('sha256').update(bytes).digest('hex')]);
    }
    const text = 'Zürich ☃ \u{1F600}'.repeat(100);
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

/** Small but complete parts, hand-written. */
function sampleParts(): IncidentParts {
  const door = { id: 'D-101', name: 'Main Entrance', floor: 'L1', position: [7, 0] as [number, number], zones: ['LOB-100', 'outside'] as [string, string], hasReader: true };
  return {
    alarm: {
      id: 'door-forced:D-101:1793607240000', kind: 'door-forced', onset: '2026-11-02T08:14:00Z', door, doors: [door],
      window: { from: '2026-11-02T07:59:00Z', to: '2026-11-02T08:29:00Z', beforeMinutes: 15, afterMinutes: 15, isComplete: true },
    },
    lifecycle: {
      status: 'resolved', raised: '2026-11-02T08:14:00Z', acknowledgedAt: '2026-11-02T08:15:00Z', acknowledgedBy: 'ops', resolvedAt: '2026-11-02T08:20:00Z',
      resolvedBy: 'ops', outcome: 'genuine', note: 'Tür aufgebrochen ☹', ttaS: 60, ttrS: 360,
      actions: [{ ts: '2026-11-02T08:15:00Z', type: 'alarm.acknowledged', by: 'ops' }, { ts: '2026-11-02T08:20:00Z', type: 'alarm.resolved', by: 'ops', outcome: 'genuine', note: 'Tür aufgebrochen ☹' }],
    },
    events: [{ ts: '2026-11-02T08:14:00Z', type: 'door.opened', door: 'D-101' }, { ts: '2026-11-02T08:14:09.5Z', type: 'door.closed', door: 'D-101' }],
    badges: [{ badge: 'B-7', doors: ['D-101'], trail: [{ ts: '2026-11-02T08:10:00Z', type: 'access.granted', door: 'D-101', zones: ['LOB-100', 'outside'], floor: 'L1' }] }],
    cameras: [{ id: 'CAM-1', name: 'Lobby', floor: 'L1', level: 'recognition', pixelDensity: 131.25, seenFrom: 'LOB-100', onlineAtStart: true, onlineAtOnset: true, changes: [], offlineMs: 0 }],
    readings: { stepMs: 60_000, zones: [{ id: 'LOB-100', name: 'Lobby', isCritical: false, temperature: null }], sensors: [{ sensor: 'T-1', kind: 'temperature', unit: '°C', zone: 'LOB-100', buckets: [{ ts: '2026-11-02T08:14:00Z', min: 20.5, max: 21, mean: 20.75, count: 2 }] }] },
    stateAtOnset: { at: '2026-11-02T08:14:00Z', seq: 3, sensors: { 'T-1': { value: 20.5, ts: '2026-11-02T08:13:30Z' } }, doors: { 'D-101': { open: true, since: '2026-11-02T08:14:00Z' } }, cameras: { 'CAM-1': { online: true, since: null } }, alarms: [] },
  };
}

const META = { exportedBy: 'ops-desk', exportedAt: '2026-11-02T09:00:00Z', facility: { id: 'demo', name: 'Demo' } };

describe('incident bundles', () => {
  const bundle = buildBundle(sampleParts(), META);
  const copy = (): IncidentBundle & Record<string, unknown> => JSON.parse(JSON.stringify(bundle)) as IncidentBundle & Record<string, unknown>;
  const anyParts = (b: IncidentBundle) => b.parts as unknown as Record<string, unknown>;

  it('builds a manifest with the SHA-256 and UTF-8 size of each part\'s canonical JSON', () => {
    expect(bundle.format).toBe(BUNDLE_FORMAT);
    expect(Object.keys(bundle.manifest.parts)).toEqual([...BUNDLE_PARTS]);
    expect(bundle.manifest).toMatchObject({ alarm: 'door-forced:D-101:1793607240000', exportedBy: 'ops-desk', exportedAt: '2026-11-02T09:00:00Z', facility: { id: 'demo', name: 'Demo' } });
    for (const name of BUNDLE_PARTS) {
      const text = canonicalJson(sampleParts()[name]);
      expect(bundle.manifest.parts[name]).toEqual({ sha256: createHash('sha256').update(text, 'utf8').digest('hex'), bytes: Buffer.byteLength(text, 'utf8') });
    }
    // Non-ASCII counts in bytes, not characters.
    expect(partDigest('é').bytes).toBe(4);
  });

  it('verifies an untouched bundle, re-indented or with its keys reordered', () => {
    const ok = { ok: true, problems: [], parts: 7, alarm: 'door-forced:D-101:1793607240000', exportedBy: 'ops-desk', exportedAt: '2026-11-02T09:00:00Z' };
    expect(verifyBundle(bundle)).toEqual(ok);
    expect(verifyBundle(JSON.parse(JSON.stringify(bundle, null, 4)))).toEqual(ok);
    const reordered = copy();
    reordered.parts.stateAtOnset = Object.fromEntries(Object.entries(reordered.parts.stateAtOnset).reverse()) as IncidentParts['stateAtOnset'];
    expect(verifyBundle(reordered)).toEqual(ok);
  });

  it.each<[string, (b: IncidentBundle & Record<string, unknown>) => void, (string | RegExp)[]]>([
    ['a changed event', (b) => { (b.parts.events[1] as Record<string, unknown>)['door'] = 'D-102'; }, [/^parts\.events: sha256 mismatch \(manifest [0-9a-f]{12}…, actual [0-9a-f]{12}…\)$/]],
    ['a changed number (same size)', (b) => { b.parts.cameras[0]!.pixelDensity = 131.26; }, [/^parts\.cameras: sha256 mismatch/]],
    ['a longer note', (b) => { b.parts.lifecycle.note = 'nothing'; }, [/^parts\.lifecycle: sha256 mismatch/, /^parts\.lifecycle: size mismatch \(manifest \d+ bytes, actual \d+\)$/]],
    ['a removed part', (b) => { delete anyParts(b)['badges']; }, ['parts.badges: missing (listed in the manifest)']],
    ['an added part', (b) => { anyParts(b)['video'] = 'https://example.com/x'; }, ['parts.video: not listed in the manifest']],
    ['a changed manifest hash', (b) => { b.manifest.parts.readings.sha256 = 'f'.repeat(64); }, [/^parts\.readings: sha256 mismatch \(manifest ffffffffffff…, actual/]],
    ['a changed manifest size', (b) => { b.manifest.parts.alarm.bytes += 1; }, [/^parts\.alarm: size mismatch/]],
    ['a part dropped from the manifest', (b) => { delete (b.manifest.parts as Partial<IncidentBundle['manifest']['parts']>).events; }, [/^manifest\.parts\.events: missing; a bundle lists alarm, lifecycle, events/, 'parts.events: not listed in the manifest']],
    ['a part removed from both', (b) => { delete (b.manifest.parts as Partial<IncidentBundle['manifest']['parts']>).events; delete anyParts(b)['events']; }, [/^manifest\.parts\.events: missing/]],
    ['an unknown part in both', (b) => { anyParts(b)['x'] = 1; (b.manifest.parts as Record<string, unknown>)['x'] = partDigest(1); }, [/^manifest\.parts\.x: unknown part/]],
    ['a malformed manifest entry', (b) => { (b.manifest.parts as Record<string, unknown>)['badges'] = { sha256: 'XYZ', bytes: -1 }; }, [/^manifest\.parts\.badges: expected \{sha256: 64 hex digits, bytes: integer ≥ 0\}/]],
    ['another alarm in the manifest', (b) => { b.manifest.alarm = 'door-held:D-101:1'; }, ['parts.alarm.id: "door-forced:D-101:1793607240000" is not the manifest\'s alarm "door-held:D-101:1"']],
    ['another format', (b) => { (b as Record<string, unknown>)['format'] = 'twinspace.incident-bundle/2'; }, ['format: expected "twinspace.incident-bundle/1", got "twinspace.incident-bundle/2"']],
    ['a bad export time and no exporter', (b) => { b.manifest.exportedAt = 'yesterday'; (b.manifest as unknown as Record<string, unknown>)['exportedBy'] = undefined; }, ['manifest.exportedBy: expected who exported it, got nothing', 'manifest.exportedAt: expected an ISO 8601 UTC time, got "yesterday"']],
    ['an extra top-level key', (b) => { b['signature'] = 'abc'; }, ['signature: unexpected key; a bundle has format, manifest and parts']],
    ['a part JSON cannot hash', (b) => { b.parts.cameras[0]!.pixelDensity = NaN; }, [/^parts\.cameras: Twinspace: canonical JSON: \$\[0\]\.pixelDensity is NaN/]],
  ])('detects %s', (_name, tamper, expected) => {
    const b = copy();
    tamper(b);
    const v = verifyBundle(b);
    expect(v.ok).toBe(false);
    expect(v.parts).toBe(0);
    expect(v.problems).toEqual(expected.map((e) => (typeof e === 'string' ? e : expect.stringMatching(e))));
  });

  it('lists every problem at once', () => {
    const b = copy();
    (b.parts.events[0] as Record<string, unknown>)['door'] = 'X';
    delete anyParts(b)['cameras'];
    anyParts(b)['extra'] = {};
    expect(verifyBundle(b).problems).toEqual([expect.stringMatching(/^parts\.events: sha256 mismatch/), expect.stringMatching(/^parts\.events: size mismatch/), 'parts.cameras: missing (listed in the manifest)', 'parts.extra: not listed in the manifest']);
  });

  it.each([
    ['null', null, '(bundle): expected a JSON object with format, manifest and parts, got null'],
    ['an array', [], '(bundle): expected a JSON object with format, manifest and parts, got an array'],
  ])('refuses %s as a bundle', (_name, doc, problem) => {
    expect(verifyBundle(doc)).toMatchObject({ ok: false, problems: [problem] });
  });

  it('refuses an object without manifest or parts', () => {
    expect(verifyBundle({ format: BUNDLE_FORMAT }).problems).toEqual(['manifest: expected an object, got nothing', 'parts: expected an object of parts by name, got nothing']);
  });

  it('names the download after kind, door and onset to the minute', () => {
    expect(bundleFileName('door-forced', 'D-101', Date.parse('2026-11-02T08:14:59.999Z'))).toBe('incident-door-forced-D-101-2026-11-02T0814Z.json');
    expect(bundleFileName('door-held', 'B:2/x', 0)).toBe('incident-door-held-B_2_x-1970-01-01T0000Z.json');
  });
});

describe('alarm ids and lifecycles', () => {
  it.each([
    ['door-forced:D-101:1793607240000', { kind: 'door-forced', door: 'D-101', onset: 1793607240000 }],
    ['after-hours:L1:D:7:0', { kind: 'after-hours', door: 'L1:D:7', onset: 0 }],
    ['denied-burst:D.1_x:-5', { kind: 'denied-burst', door: 'D.1_x', onset: -5 }],
  ])('takes %s apart', (id, value) => {
    expect(parseAlarmId(id)).toEqual({ ok: true, value });
  });

  it.each(['', 'door-forced', 'door-forced:D-1', 'door-forced::1', 'door-open:D-1:1', 'door-forced:D-1:1.5', 'door-forced:D-1:1e3', 'door-forced:D 1:1', 'door-forced:D-1:99999999999999999', `door-forced:${'D'.repeat(200)}:1`])('refuses %j', (id) => {
    const r = parseAlarmId(id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/expected <kind>:<door>:<onset ms>/);
  });

  const ev = (ts: number, e: Partial<EventRecord> & { type: EventRecord['type'] }) => ({ seq: ts, record: { ts, alarm: 'a', by: 'op', ...e } as EventRecord });

  it('takes the first acknowledgement and resolution, ignores actions before the onset, and lets a resolution acknowledge', () => {
    expect(lifecycleOf(1000, [
      ev(500, { type: 'alarm.acknowledged', by: 'early' }),
      ev(3000, { type: 'alarm.acknowledged', by: 'a1' }),
      ev(4000, { type: 'alarm.acknowledged', by: 'a2' }),
      ev(9000, { type: 'alarm.resolved', by: 'r1', outcome: 'false-alarm', note: 'cat' } as Partial<EventRecord> & { type: 'alarm.resolved' }),
      ev(9500, { type: 'alarm.resolved', by: 'r2', outcome: 'genuine' } as Partial<EventRecord> & { type: 'alarm.resolved' }),
    ])).toEqual({
      status: 'resolved', raised: '1970-01-01T00:00:01Z', acknowledgedAt: '1970-01-01T00:00:03Z', acknowledgedBy: 'a1',
      resolvedAt: '1970-01-01T00:00:09Z', resolvedBy: 'r1', outcome: 'false-alarm', note: 'cat', ttaS: 2, ttrS: 8,
      actions: [
        { ts: '1970-01-01T00:00:03Z', type: 'alarm.acknowledged', by: 'a1' },
        { ts: '1970-01-01T00:00:04Z', type: 'alarm.acknowledged', by: 'a2' },
        { ts: '1970-01-01T00:00:09Z', type: 'alarm.resolved', by: 'r1', outcome: 'false-alarm', note: 'cat' },
        { ts: '1970-01-01T00:00:09.500Z', type: 'alarm.resolved', by: 'r2', outcome: 'genuine' },
      ],
    });
    expect(lifecycleOf(0, [ev(7000, { type: 'alarm.resolved', by: 'r', outcome: 'genuine' } as Partial<EventRecord> & { type: 'alarm.resolved' })])).toMatchObject({
      status: 'resolved', acknowledgedAt: '1970-01-01T00:00:07Z', acknowledgedBy: 'r', ttaS: 7, ttrS: 7, note: null,
    });
    expect(lifecycleOf(0, [])).toMatchObject({ status: 'open', acknowledgedAt: null, resolvedAt: null, ttaS: null, actions: [] });
  });
});

describe('reconstruction times', () => {
  it('gives nearest-rank p50 and p95 over the latest ones kept, counting all', () => {
    const ring = new DurationRing(100);
    expect(ring.summary()).toEqual({ count: 0, window: 0, p50Ms: null, p95Ms: null, maxMs: null });
    for (let i = 1; i <= 100; i++) ring.add(i);
    expect(ring.summary()).toEqual({ count: 100, window: 100, p50Ms: 50, p95Ms: 95, maxMs: 100 });
    for (let i = 0; i < 50; i++) ring.add(1000); // replaces 1..50
    expect(ring.summary()).toEqual({ count: 150, window: 100, p50Ms: 100, p95Ms: 1000, maxMs: 1000 });
    const one = new DurationRing(3);
    one.add(7);
    expect(one.summary()).toMatchObject({ p50Ms: 7, p95Ms: 7 });
  });
});
