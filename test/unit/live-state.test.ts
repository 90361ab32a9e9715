// The browser's live state without a socket: zone temperatures and staleness
// from the typed arrays, the temperature colour scale, the alarm queue's
// order, door states from contacts and alarms, and what snapshots and
// numbered changes do to the buffer and the store.
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { indexFacility, type FacilityIndex } from '../../src/core/facility/model.ts';
import type { Alarm, StateChange, StateJson } from '../../src/core/reducer.ts';
import { encodeFrame } from '../../src/core/protocol.ts';
import {
  applyFrame, clearReadings, createLiveBuffer, DOOR_CLOSED, DOOR_FORCED, DOOR_HELD, DOOR_OPEN, STALE_AFTER_MS, zoneStaleAt, zoneTemperature, type LiveBuffer,
} from '../../src/state/live.ts';
import { ALARM_SEVERITY, compareAlarms, deriveDoorStates, isSimulatedActor, MAX_TOASTS, type ClientAlarm } from '../../src/state/alarms.ts';
import { useTwin } from '../../src/state/store.ts';
import { applyChanges, applySnapshot, applyTelemetry } from '../../src/net/dispatch.ts';
import {
  STALE_ZONE_HEX, TEMP_SCALE_STEPS, TEMP_SCALE_STOPS, ZONE_TEMP_MIX, tempScaleHex, tempScaleIndex, zoneTempHex, zoneTempStepHex,
} from '../../src/scene/tempScale.ts';
import { mixHex, SLAB } from '../../src/scene/palette.ts';
import { formatAge } from '../../src/hud/ticker.ts';

function tiny(): FacilityIndex {
  const doc = JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')) as unknown;
  const r = loadFacility(doc);
  if (!r.ok) throw new Error('fixture invalid');
  return indexFacility(r.facility);
}

const ix = tiny();
const T1 = ix.sensorSlot.get('T-CR1-1')!, T2 = ix.sensorSlot.get('T-CR1-2')!, RH = ix.sensorSlot.get('RH-CR1-1')!;
const NOW = Date.UTC(2025, 0, 6, 10, 0, 0);

const alarm = (kind: ClientAlarm['kind'], onset: number, acked = false, door = 'D-1'): ClientAlarm => ({
  id: `${kind}:${door}:${onset}`, kind, door, onset, acknowledgedAt: acked ? onset + 1000 : null, acknowledgedBy: acked ? 'ops' : null,
});

const fullAlarm = (kind: Alarm['kind'], door: string, onset: number, over: Partial<Alarm> = {}): Alarm => ({
  id: `${kind}:${door}:${onset}`, kind, door, onset, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, outcome: null, note: null, ...over,
});

describe('zone temperature from the live buffer (metrics §1 zone signal)', () => {
  it('is the mean of the readings that still hold; NaN when none does', () => {
    const buf = createLiveBuffer(ix);
    const slots = [T1, T2];
    expect(zoneTemperature(buf, slots, NOW)).toBeNaN();
    expect(zoneStaleAt(buf, slots, NOW)).toBe(Infinity);
    applyFrame(buf, [T1, T2, RH], [20, 23, 45], [NOW - 60_000, NOW - 10 * 60_000, NOW]);
    expect(zoneTemperature(buf, slots, NOW)).toBeCloseTo(21.5, 12);
    // T2's reading stops holding 15 min after it was taken; then only T1 counts.
    expect(zoneStaleAt(buf, slots, NOW)).toBe(NOW - 10 * 60_000 + STALE_AFTER_MS);
    expect(zoneTemperature(buf, slots, NOW + 5 * 60_000)).toBe(20);
    expect(zoneStaleAt(buf, slots, NOW + 5 * 60_000)).toBe(NOW - 60_000 + STALE_AFTER_MS);
    expect(zoneTemperature(buf, slots, NOW + 14 * 60_000 - 1)).toBe(20);
    expect(zoneTemperature(buf, slots, NOW + 14 * 60_000)).toBeNaN();
    expect(zoneTemperature(buf, [], NOW)).toBeNaN();
  });

  it('tracks the newest reading, and a full frame replaces every reading', () => {
    const buf = createLiveBuffer(ix);
    expect(buf.newestReadingAt).toBeNaN();
    applyFrame(buf, [T1], [19], [NOW - 5000]);
    applyFrame(buf, [T2], [18], [NOW - 9000]);
    expect(buf.newestReadingAt).toBe(NOW - 5000);
    applyTelemetry(buf, { at: NOW, n: 1, data: encodeFrame(1, [T2], [21], [NOW - 1000]), full: true });
    expect(buf.values[T1]).toBeNaN();
    expect(buf.values[T2]).toBe(21);
    expect(buf.newestReadingAt).toBe(NOW - 1000);
    clearReadings(buf);
    expect(buf.newestReadingAt).toBeNaN();
  });
});

describe('temperature colour scale', () => {
  it('is near-white at setpoint, the Tol stops at ±1 and ±2 tolerances, saturating beyond', () => {
    expect(tempScaleHex(0)).toBe(TEMP_SCALE_STOPS[4]);
    expect(tempScaleHex(-1)).toBe(TEMP_SCALE_STOPS[2]);
    expect(tempScaleHex(1)).toBe(TEMP_SCALE_STOPS[6]);
    expect(tempScaleHex(-2)).toBe(TEMP_SCALE_STOPS[0]);
    expect(tempScaleHex(2)).toBe(TEMP_SCALE_STOPS[8]);
    expect(tempScaleHex(7)).toBe(TEMP_SCALE_STOPS[8]);
    expect(tempScaleHex(-7)).toBe(TEMP_SCALE_STOPS[0]);
    expect(tempScaleIndex(0)).toBe((TEMP_SCALE_STEPS - 1) / 2);
    expect([tempScaleIndex(-99), tempScaleIndex(99)]).toEqual([0, TEMP_SCALE_STEPS - 1]);
  });

  it('draws a zone mixed with the slab, and stale zones grey', () => {
    expect(zoneTempHex(20, 20, 2)).toBe(mixHex(SLAB, TEMP_SCALE_STOPS[4], ZONE_TEMP_MIX));
    expect(zoneTempHex(24, 20, 2)).toBe(mixHex(SLAB, TEMP_SCALE_STOPS[8], ZONE_TEMP_MIX));
    expect(zoneTempHex(Number.NaN, 20, 2)).toBe(STALE_ZONE_HEX);
    expect(zoneTempStepHex(0)).toBe(mixHex(SLAB, TEMP_SCALE_STOPS[0], ZONE_TEMP_MIX));
  });

  it('runs monotonically from blue to red: red rises and blue falls with the deviation', () => {
    let prev: [number, number, number] | null = null;
    for (let i = 0; i < TEMP_SCALE_STEPS; i += 10) {
      const h = zoneTempStepHex(i);
      const rgb: [number, number, number] = [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
      if (prev && i <= (TEMP_SCALE_STEPS - 1) / 2) expect(rgb[0]).toBeGreaterThanOrEqual(prev[0]);
      if (prev && i > (TEMP_SCALE_STEPS - 1) / 2) expect(rgb[2]).toBeLessThanOrEqual(prev[2]);
      prev = rgb;
    }
  });
});

describe('alarm queue order', () => {
  it('puts unacknowledged first, then by severity, then newest', () => {
    const list = [
      alarm('door-held', 5000), alarm('door-forced', 1000, true), alarm('after-hours', 9000), alarm('door-forced', 2000),
      alarm('denied-burst', 3000), alarm('door-forced', 4000), alarm('door-held', 8000, true),
    ];
    expect([...list].sort(compareAlarms).map((a) => `${a.kind}@${a.onset}${a.acknowledgedAt ? '+' : ''}`)).toEqual([
      'door-forced@4000', 'door-forced@2000', 'denied-burst@3000', 'after-hours@9000', 'door-held@5000',
      'door-forced@1000+', 'door-held@8000+',
    ]);
    expect(ALARM_SEVERITY).toEqual(['door-forced', 'denied-burst', 'after-hours', 'door-held']);
  });

  it('tells simulated operators apart', () => {
    expect([isSimulatedActor('sim:operator-2'), isSimulatedActor('ops-desk'), isSimulatedActor(null)]).toEqual([true, false, false]);
  });

  it('says ages as people do', () => {
    expect([formatAge(-5), formatAge(999), formatAge(4_200), formatAge(125_000), formatAge(3 * 3600_000 + 5), formatAge(50 * 3600_000)]).toEqual(['0 s', '0 s', '4 s', '2 min', '3 h', '2 d']);
  });
});

describe('door states from contacts and alarms', () => {
  it('forced while a door-forced alarm is open; held while held-open and still open', () => {
    const buf = createLiveBuffer(ix);
    const d1 = buf.doorSlot.get('D-1')!, d2 = buf.doorSlot.get('D-2')!;
    expect(deriveDoorStates(buf, [])).toBe(false);
    buf.doorOpen[d1] = 1;
    expect(deriveDoorStates(buf, [])).toBe(true);
    expect(buf.doors[d1]).toBe(DOOR_OPEN);
    deriveDoorStates(buf, [alarm('door-held', 1)]);
    expect(buf.doors[d1]).toBe(DOOR_HELD);
    deriveDoorStates(buf, [alarm('door-held', 1), alarm('door-forced', 2)]);
    expect(buf.doors[d1]).toBe(DOOR_FORCED);
    buf.doorOpen[d1] = 0;
    deriveDoorStates(buf, [alarm('door-held', 1)]);
    expect(buf.doors[d1]).toBe(DOOR_CLOSED); // held ends when the door closes
    deriveDoorStates(buf, [alarm('door-forced', 2)]);
    expect(buf.doors[d1]).toBe(DOOR_FORCED); // forced stays until resolved
    expect(buf.doors[d2]).toBe(DOOR_CLOSED);
  });
});

describe('snapshots and changes into the buffer and the store', () => {
  let buf: LiveBuffer;
  beforeEach(() => {
    buf = createLiveBuffer(ix);
    useTwin.setState({ alarms: {}, alarmList: [], toasts: [], alarmPulse: 0 });
  });

  const snapshot = (over: Partial<StateJson> = {}): StateJson => ({
    at: new Date(NOW).toISOString(), seq: 7, sensors: {},
    doors: { 'D-1': { open: true, since: new Date(NOW - 5000).toISOString() }, 'D-2': { open: false, since: null } },
    cameras: { 'CAM-1': { online: false, since: new Date(NOW - 1000).toISOString() } },
    alarms: [{ id: `door-forced:D-1:${NOW - 5000}`, kind: 'door-forced', door: 'D-1', onset: new Date(NOW - 5000).toISOString(), acknowledgedAt: null, acknowledgedBy: null }],
    ...over,
  });

  it('a first snapshot sets doors, cameras and alarms without announcing them', () => {
    const v0 = buf.version;
    expect(applySnapshot(buf, snapshot(), false)).toEqual([]);
    expect(buf.version).toBeGreaterThan(v0);
    expect(buf.doors[buf.doorSlot.get('D-1')!]).toBe(DOOR_FORCED);
    expect(buf.cameraOnline[buf.cameraSlot.get('CAM-1')!]).toBe(0);
    const s = useTwin.getState();
    expect(s.alarmList.map((a) => a.id)).toEqual([`door-forced:D-1:${NOW - 5000}`]);
    expect(s.toasts).toEqual([]);
    expect(s.alarmPulse).toBe(0);
  });

  it('a later snapshot announces the alarms it did not know (missed while away) and keeps who acknowledged', () => {
    applySnapshot(buf, snapshot(), false);
    applyChanges(buf, [{ seq: 8, kind: 'alarm.acknowledged', alarm: fullAlarm('door-forced', 'D-1', NOW - 5000, { acknowledgedAt: NOW - 100, acknowledgedBy: 'sim:operator-1' }) }]);
    const missed = { id: `denied-burst:D-1:${NOW}`, kind: 'denied-burst' as const, door: 'D-1', onset: new Date(NOW).toISOString(), acknowledgedAt: new Date(NOW + 50).toISOString(), acknowledgedBy: 'op-7' };
    const first = snapshot().alarms[0]!;
    const announced = applySnapshot(buf, snapshot({ seq: 9, alarms: [{ ...first, acknowledgedAt: new Date(NOW - 100).toISOString() }, missed] }), true);
    expect(announced).toEqual([missed.id]);
    const s = useTwin.getState();
    expect(s.toasts).toEqual([missed.id]);
    expect(s.alarmPulse).toBe(1);
    expect(s.alarms[first.id]!.acknowledgedBy).toBe('sim:operator-1'); // kept from the change (the snapshot row says null)
    expect(s.alarms[missed.id]!.acknowledgedBy).toBe('op-7'); // from the snapshot: no change told it
    // Both acknowledged: the more severe kind (door forced) first.
    expect(s.alarmList.map((a) => a.id)).toEqual([first.id, missed.id]);
  });

  it('changes move doors and cameras, raise, acknowledge and resolve alarms', () => {
    applySnapshot(buf, snapshot({ alarms: [], doors: {}, cameras: {} }), false);
    const d1 = buf.doorSlot.get('D-1')!;
    const forced = fullAlarm('door-forced', 'D-1', NOW);
    const changes: StateChange[] = [
      { seq: 8, kind: 'door', door: 'D-1', open: true, since: NOW },
      { seq: 9, kind: 'alarm.raised', alarm: forced },
      { seq: 10, kind: 'camera', camera: 'CAM-1', online: false, since: NOW },
    ];
    expect(applyChanges(buf, changes)).toEqual([forced.id]);
    expect(buf.doors[d1]).toBe(DOOR_FORCED);
    expect(buf.cameraOnline[0]).toBe(0);
    expect(useTwin.getState().toasts).toEqual([forced.id]);

    applyChanges(buf, [{ seq: 11, kind: 'alarm.acknowledged', alarm: { ...forced, acknowledgedAt: NOW + 5, acknowledgedBy: 'ops-desk' } }]);
    expect(useTwin.getState().alarms[forced.id]!.acknowledgedBy).toBe('ops-desk');
    expect(buf.doors[d1]).toBe(DOOR_FORCED);

    applyChanges(buf, [
      { seq: 12, kind: 'door', door: 'D-1', open: false, since: NOW + 6 },
      { seq: 13, kind: 'alarm.resolved', alarm: { ...forced, acknowledgedAt: NOW + 5, resolvedAt: NOW + 9, outcome: 'genuine' } },
    ]);
    expect(useTwin.getState().alarmList).toEqual([]);
    expect(useTwin.getState().toasts).toEqual([]); // a resolved alarm's toast goes too
    expect(buf.doors[d1]).toBe(DOOR_CLOSED);
  });

  it('an alarm raised and resolved in one batch is not announced; toasts keep the newest few', () => {
    applySnapshot(buf, snapshot({ alarms: [] }), false);
    const a = fullAlarm('door-held', 'D-1', NOW);
    expect(applyChanges(buf, [
      { seq: 8, kind: 'alarm.raised', alarm: a },
      { seq: 9, kind: 'alarm.resolved', alarm: { ...a, resolvedAt: NOW + 1, outcome: 'false-alarm' } },
    ])).toEqual([]);
    const raised = [1, 2, 3, 4, 5].map((k) => fullAlarm('denied-burst', 'D-1', NOW + k * 61_000));
    applyChanges(buf, raised.map((r, i) => ({ seq: 10 + i, kind: 'alarm.raised', alarm: r })));
    expect(useTwin.getState().toasts).toEqual(raised.slice(-MAX_TOASTS).reverse().map((r) => r.id));
  });
});
