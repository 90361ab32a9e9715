import { describe, it, expect } from 'vitest';
import { loadFacility, formatProblems } from '../../src/core/facility/validate.ts';
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import { detectFormat, parseRecordsText, parseTimestamp, sortByTs, validateRecord } from '../../src/core/parse.ts';

function tinyFacility(): FacilityIndex {
  const r = loadFacility({
    format: 'twinspace.facility/1', id: 'F', name: 'Test plant',
    floors: [{
      id: 'L1', name: 'Ground', elevation: 0, height: 3, outline: [[0, 0], [20, 0], [20, 10], [0, 10]],
      zones: [
        { id: 'CR', name: 'Clean room', kind: 'cleanroom', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]], critical: true, temperature: { setpoint: 20, tolerance: 1 } },
        { id: 'OF', name: 'Office', kind: 'office', polygon: [[10, 0], [20, 0], [20, 10], [10, 10]] },
      ],
      doors: [{ id: 'D1', name: 'CR door', position: [10, 5], zones: ['CR', 'OF'], reader: true }],
      cameras: [{ id: 'CAM1', name: 'Cam', position: [1, 1], mountHeight: 3, yaw: 45, tilt: 30, hfov: 90, resolution: [1920, 1080] }],
      sensors: [{ id: 'T1', kind: 'temperature', zone: 'CR' }, { id: 'T2', kind: 'temperature', zone: 'CR' }],
    }],
  });
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return indexFacility(r.facility);
}

const ix = tinyFacility();
const T0 = 1793606400000; // 2026-11-02T08:00:00Z

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-02T08:00:00Z', T0],
    ['2026-11-02T08:00:00z', T0],
    ['2026-11-02T09:00:00+01:00', T0],
    ['2026-11-02T03:00:00-0500', T0],
    ['2026-11-02T16:00+08', T0],
    ['2026-11-02T08:00Z', T0],
    ['2026-11-02 08:00:00Z', T0],
    ['2026-11-02T08:00:00.250Z', T0 + 250],
    ['2026-11-02T08:00:00.5Z', T0 + 500],
    ['2026-11-02T08:00:00.123999Z', T0 + 123],
    ['2026-11-02T13:30:00+05:30', T0],
    ['2026-11-01T23:59:59.999-08:00', T0 - 1],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    [T0, T0],
    [0, 0],
    [String(T0), T0],
  ] as const)('%s → epoch ms', (input, ms) => {
    expect(parseTimestamp(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ['2026-11-02T08:00:00', /no UTC offset/],
    ['2026-11-02', /no time of day/],
    ['2026-02-29T00:00:00Z', /not a valid date/],
    ['2026-13-01T00:00:00Z', /not a valid date/],
    ['2026-11-02T24:00:00Z', /not a valid date/],
    ['2026-11-02T08:00:00+25:00', /invalid UTC offset/],
    ['yesterday', /not an ISO 8601 time/],
    ['2026-11-02T08:00:00Zjunk', /not an ISO 8601 time/],
    ['2026-11-02T08:00:00+01:00:00', /not an ISO 8601 time/],
    ['2026-11-02T08:00:00+01:0', /not an ISO 8601 time/],
    ['2026-11-02T08:00:00.Z', /not an ISO 8601 time/],
    ['2026-11-02T08Z', /not an ISO 8601 time/],
    ['2026-11-02T', /not an ISO 8601 time/],
    ['2026-11-02X08:00Z', /not an ISO 8601 time/],
    ['2026-11-02T08:00', /no UTC offset/],
    ['', /not an ISO 8601 time/],
    [1.5, /must be an integer/],
    [NaN, /finite/],
    [Infinity, /finite/],
    [true, /got boolean/],
    [null, /got null/],
  ] as const)('%s is refused', (input, reason) => {
    const r = parseTimestamp(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('validateRecord', () => {
  it('accepts a reading and drops extra fields', () => {
    expect(validateRecord({ ts: '2026-11-02T08:00:00Z', sensor: 'T1', value: 20.4, extra: 1 }, ix))
      .toEqual({ ok: true, record: { ts: T0, sensor: 'T1', value: 20.4 } });
  });

  it.each([
    [{ ts: T0, type: 'access.granted', door: 'D1', badge: 'b-17' }, { ts: T0, type: 'access.granted', door: 'D1', badge: 'b-17' }],
    [{ ts: T0, type: 'access.denied', door: 'D1', badge: 'b-17' }, { ts: T0, type: 'access.denied', door: 'D1', badge: 'b-17' }],
    [{ ts: T0, type: 'access.rex', door: 'D1' }, { ts: T0, type: 'access.rex', door: 'D1' }],
    [{ ts: T0, type: 'door.opened', door: 'D1' }, { ts: T0, type: 'door.opened', door: 'D1' }],
    [{ ts: T0, type: 'door.closed', door: 'D1' }, { ts: T0, type: 'door.closed', door: 'D1' }],
    [{ ts: T0, type: 'camera.offline', camera: 'CAM1' }, { ts: T0, type: 'camera.offline', camera: 'CAM1' }],
    [{ ts: T0, type: 'camera.online', camera: 'CAM1' }, { ts: T0, type: 'camera.online', camera: 'CAM1' }],
    [{ ts: T0, type: 'alarm.acknowledged', alarm: 'door-forced:D1:1', by: 'op1' }, { ts: T0, type: 'alarm.acknowledged', alarm: 'door-forced:D1:1', by: 'op1' }],
    [{ ts: T0, type: 'alarm.resolved', alarm: 'x', by: 'op1', outcome: 'false-alarm' }, { ts: T0, type: 'alarm.resolved', alarm: 'x', by: 'op1', outcome: 'false-alarm' }],
    [{ ts: T0, type: 'alarm.resolved', alarm: 'x', by: 'op1', outcome: 'genuine', note: 'tailgating' }, { ts: T0, type: 'alarm.resolved', alarm: 'x', by: 'op1', outcome: 'genuine', note: 'tailgating' }],
  ])('accepts event %j', (input, record) => {
    expect(validateRecord(input, ix)).toEqual({ ok: true, record });
  });

  it.each([
    [null, 'not an object (got null)'],
    [[1, 2], 'not an object (got array)'],
    [42, 'not an object (got 42)'],
    [{ sensor: 'T1', value: 1 }, 'missing field "ts"'],
    [{ ts: '2026-11-02T08:00:00', sensor: 'T1', value: 1 }, 'ts: "2026-11-02T08:00:00" has no UTC offset (add "Z" or "+HH:MM")'],
    [{ ts: T0, value: 1 }, 'missing field "sensor" (a reading) or "type" (an event)'],
    [{ ts: T0, sensor: 'T9', value: 1 }, 'unknown sensor "T9"'],
    [{ ts: T0, sensor: 'T1' }, 'missing field "value"'],
    [{ ts: T0, sensor: 'T1', value: '20.4' }, 'value: expected a finite number, got string "20.4"'],
    [{ ts: T0, sensor: 'T1', value: Infinity }, 'value: non-finite value Infinity'],
    [{ ts: T0, sensor: 'T1', value: NaN }, 'value: non-finite value NaN'],
    [{ ts: T0, type: 'door.slammed', door: 'D1' }, 'unknown type "door.slammed"'],
    [{ ts: T0, type: 7 }, 'type: expected a string, got 7'],
    [{ ts: T0, type: 'door.opened' }, 'missing field "door"'],
    [{ ts: T0, type: 'door.opened', door: 'D9' }, 'unknown door "D9"'],
    [{ ts: T0, type: 'access.granted', door: 'D1' }, 'missing field "badge"'],
    [{ ts: T0, type: 'access.granted', door: 'D1', badge: '' }, 'badge: expected a non-empty string, got string ""'],
    [{ ts: T0, type: 'camera.offline', camera: 'CAM9' }, 'unknown camera "CAM9"'],
    [{ ts: T0, type: 'alarm.acknowledged', alarm: 'a' }, 'missing field "by"'],
    [{ ts: T0, type: 'alarm.resolved', alarm: 'a', by: 'op' }, 'missing field "outcome"'],
    [{ ts: T0, type: 'alarm.resolved', alarm: 'a', by: 'op', outcome: 'maybe' }, 'outcome: must be "genuine" or "false-alarm", got string "maybe"'],
    [{ ts: T0, type: 'alarm.resolved', alarm: 'a', by: 'op', outcome: 'genuine', note: 5 }, 'note: expected a string, got 5'],
  ])('refuses %j', (input, reason) => {
    expect(validateRecord(input, ix)).toEqual({ ok: false, reason });
  });
});

describe('parseRecordsText', () => {
  it('JSON Lines: sorts by ts with ties in file order, skips blank lines, refuses bad lines by number', () => {
    const text = [
      '{"ts":"2026-11-02T08:00:10Z","sensor":"T1","value":1}', // 1
      '',                                                      // 2 blank
      '{"ts":"2026-11-02T08:00:00Z","sensor":"T1","value":2}', // 3
      '{"ts": oops',                                           // 4 bad JSON
      '{"ts":"2026-11-02T08:00:00Z","sensor":"T2","value":3}', // 5 tie with 3
      '{"ts":"2026-11-02T08:00:05Z","sensor":"T9","value":4}', // 6 unknown sensor
      '   ',                                                   // 7 blank
      '{"ts":"2026-11-02T07:59:59Z","type":"door.opened","door":"D1"}', // 8
      '{"ts":"2026-11-02T08:00:00Z","sensor":"T1","value":1e999}', // 9 non-finite
      '"just a string"',                                       // 10
    ].join('\r\n');
    const out = parseRecordsText(text, 'jsonl', ix);
    expect(out.records).toEqual([
      { ts: T0 - 1000, type: 'door.opened', door: 'D1' },
      { ts: T0, sensor: 'T1', value: 2 },
      { ts: T0, sensor: 'T2', value: 3 },
      { ts: T0 + 10_000, sensor: 'T1', value: 1 },
    ]);
    expect(out.lines).toEqual([8, 3, 5, 1]);
    expect(out.rejected.map((r) => r.line)).toEqual([4, 6, 9, 10]);
    expect(out.rejected[0]!.reason).toMatch(/^not valid JSON: /);
    expect(out.rejected[1]!.reason).toBe('unknown sensor "T9"');
    expect(out.rejected[2]!.reason).toBe('value: non-finite value Infinity');
    expect(out.rejected[3]!.reason).toBe('not an object (got string "just a string")');
  });

  it('CSV: exact header, three fields, numbers, quotes, CRLF and a BOM', () => {
    const text = '\ufeffts,sensor,value\r\n'
      + '2026-11-02T08:00:00Z,T1,20.4\r\n'           // 2
      + '2026-11-02T08:00:00Z,T1\r\n'                // 3 two fields
      + '"2026-11-02T08:01:00Z","T2","-1.5e1"\r\n'   // 4 quoted
      + '2026-11-02T08:02:00Z,T1,NaN\r\n'            // 5
      + '2026-11-02T08:03:00Z,T1,warm\r\n'           // 6
      + '2026-11-02T08:04:00Z,T1,\r\n'               // 7
      + '1793606700000,T2,21\r\n'                    // 8 epoch ms
      + '2026-11-02T08:06:00,T2,21\r\n'              // 9 no offset
      + '\r\n';
    const out = parseRecordsText(text, 'csv', ix);
    expect(out.records).toEqual([
      { ts: T0, sensor: 'T1', value: 20.4 },
      { ts: T0 + 60_000, sensor: 'T2', value: -15 },
      { ts: T0 + 300_000, sensor: 'T2', value: 21 },
    ]);
    expect(out.lines).toEqual([2, 4, 8]);
    expect(out.rejected).toEqual([
      { line: 3, reason: 'expected 3 fields (ts,sensor,value), got 2' },
      { line: 5, reason: 'value: non-finite value NaN' },
      { line: 6, reason: 'value: expected a finite number, got string "warm"' },
      { line: 7, reason: 'missing field "value"' },
      { line: 9, reason: 'ts: "2026-11-02T08:06:00" has no UTC offset (add "Z" or "+HH:MM")' },
    ]);
  });

  it('CSV: a wrong header refuses the whole file as line 1', () => {
    const out = parseRecordsText('time,sensor,value\n2026-11-02T08:00:00Z,T1,20\n', 'csv', ix);
    expect(out.records).toEqual([]);
    expect(out.rejected).toEqual([{ line: 1, reason: 'expected the CSV header "ts,sensor,value", got "time,sensor,value"; file refused' }]);
    expect(parseRecordsText('ts,sensor,value,unit\n', 'csv', ix).rejected).toHaveLength(1);
    expect(parseRecordsText('', 'csv', ix).rejected).toEqual([{ line: 1, reason: 'expected the CSV header "ts,sensor,value", got an empty line; file refused' }]);
  });

  it('an empty JSON Lines file is no records and no rejections', () => {
    expect(parseRecordsText('\n\n', 'jsonl', ix)).toEqual({ records: [], lines: [], rejected: [] });
  });
});

describe('detectFormat and sortByTs', () => {
  it.each([
    ['a/b/telemetry.csv', 'csv'], ['X.CSV', 'csv'], ['events.jsonl', 'jsonl'], ['e.NDJSON', 'jsonl'], ['data.json', null], ['noext', null],
  ] as const)('%s → %s', (name, fmt) => {
    expect(detectFormat(name)).toBe(fmt);
  });

  it('sorts stably', () => {
    const rs = [{ ts: 2, k: 'a' }, { ts: 1, k: 'b' }, { ts: 2, k: 'c' }, { ts: 1, k: 'd' }];
    expect(sortByTs(rs).map((r) => r.k)).toEqual(['b', 'd', 'a', 'c']);
  });
});
