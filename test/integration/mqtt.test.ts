// The MQTT source against the machine's real Mosquitto (127.0.0.1:1883),
// published to by mqtt.js and by the mosquitto_pub command.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { validateRecord } from '../../src/core/parse.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { decodeMessage, startMqttSource, type IngestFn, type MqttSource } from '../../server/sources/mqtt.ts';

const BROKER = process.env['MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('fixture');
const ix = indexFacility(loaded.facility);
// A fresh topic root and session per run: persistent sessions outlive the test.
const RUN = `tiny-${process.pid}-${Date.now()}`;
const ROOT = `twinspace/${RUN}`;
const NOW = Date.parse('2026-11-02T08:00:00Z');

const accepted: TwinRecord[] = [];
const ingest: IngestFn = async (raw) => {
  const refused: { index: number; reason: string }[] = [];
  raw.forEach((r, index) => {
    const v = validateRecord(r, ix);
    if (v.ok) accepted.push(v.record); else refused.push({ index, reason: v.reason });
  });
  return refused;
};

function start(): MqttSource {
  return startMqttSource({ url: BROKER, facilityId: RUN, ingest, clientId: `twinspace-test-${RUN}`, now: () => NOW });
}

describe('decodeMessage', () => {
  const dec = (topic: string, payload: string) => decodeMessage('twinspace/p', topic, Buffer.from(payload), NOW);
  it('reads bare numbers, objects and arrays on a sensor topic', () => {
    expect(dec('twinspace/p/telemetry/T-1', '20.5')).toEqual({ records: [{ ts: NOW, sensor: 'T-1', value: 20.5 }] });
    expect(dec('twinspace/p/telemetry/T-1', '{"ts":"2026-11-02T07:00:00Z","value":1}')).toEqual({ records: [{ ts: '2026-11-02T07:00:00Z', sensor: 'T-1', value: 1 }] });
    expect(dec('twinspace/p/telemetry/T-1', '[{"value":1},2]')).toEqual({ records: [{ ts: NOW, sensor: 'T-1', value: 1 }, { ts: NOW, sensor: 'T-1', value: 2 }] });
  });
  it('refuses what it cannot read, with the reason', () => {
    expect(dec('twinspace/p/telemetry/T-1', 'warm')).toEqual({ reason: 'payload is not valid JSON or a number: "warm"' });
    expect(dec('twinspace/p/status', '1')).toEqual({ reason: 'unknown topic twinspace/p/status; expected twinspace/p/telemetry/<sensor> or twinspace/p/events' });
    expect(dec('twinspace/p/telemetry/T-1', '{"sensor":"T-2","value":1}')).toEqual({ reason: 'payload names sensor "T-2" but the topic names "T-1"' });
    expect(dec('twinspace/p/events', 'x'.repeat(300_000))).toMatchObject({ reason: expect.stringContaining('over the 262144-byte cap') as unknown });
  });
});

describe('MQTT source on Mosquitto', () => {
  let source: MqttSource;
  let pub: mqtt.MqttClient;
  const rejected: unknown[] = [];

  beforeAll(async () => {
    source = start();
    await source.ready;
    pub = await mqtt.connectAsync(BROKER, { clientId: `twinspace-pub-${RUN}` });
    await pub.subscribeAsync(`${ROOT}/rejected`, { qos: 0 });
    pub.on('message', (_t, m) => rejected.push(JSON.parse(m.toString())));
  });
  afterAll(async () => {
    await source.close();
    await pub.endAsync();
    // Drop the test's persistent session so the broker keeps nothing for it.
    await (await mqtt.connectAsync(BROKER, { clientId: `twinspace-test-${RUN}`, clean: true })).endAsync();
  });

  it('takes readings and events published by mqtt.js', async () => {
    await pub.publishAsync(`${ROOT}/telemetry/T-CR1-1`, '{"ts":"2026-11-02T07:59:00Z","value":20.4}', { qos: 1 });
    await pub.publishAsync(`${ROOT}/telemetry/T-CR1-2`, '19.9', { qos: 1 });
    await pub.publishAsync(`${ROOT}/events`, JSON.stringify([{ ts: 1793606400000, type: 'door.opened', door: 'D-1' }]), { qos: 1 });
    await vi.waitFor(() => expect(accepted).toHaveLength(3));
    expect(accepted).toContainEqual({ ts: Date.parse('2026-11-02T07:59:00Z'), sensor: 'T-CR1-1', value: 20.4 });
    expect(accepted).toContainEqual({ ts: NOW, sensor: 'T-CR1-2', value: 19.9 });
    expect(accepted).toContainEqual({ ts: 1793606400000, type: 'door.opened', door: 'D-1' });
  });

  it('takes a reading published with mosquitto_pub', async () => {
    const before = accepted.length;
    const url = new URL(BROKER);
    await promisify(execFile)('mosquitto_pub', ['-h', url.hostname, '-p', url.port || '1883', '-q', '1', '-t', `${ROOT}/telemetry/RH-CR1-1`, '-m', '{"ts":1793606460000,"value":43.5}']);
    await vi.waitFor(() => expect(accepted.length).toBe(before + 1));
    expect(accepted.at(-1)).toEqual({ ts: 1793606460000, sensor: 'RH-CR1-1', value: 43.5 });
  });

  it('refuses bad messages with a reason on the rejected topic, and good ones flow on', async () => {
    const before = accepted.length;
    await pub.publishAsync(`${ROOT}/telemetry/T-CR1-1`, '{"value": 20', { qos: 1 });
    await pub.publishAsync(`${ROOT}/telemetry/NO-SUCH`, '21', { qos: 1 });
    await pub.publishAsync(`${ROOT}/telemetry/T-CR1-1`, '1e999', { qos: 1 });
    await pub.publishAsync(`${ROOT}/events`, JSON.stringify([{ ts: NOW, type: 'door.exploded', door: 'D-1' }, { ts: NOW, type: 'door.closed', door: 'D-1' }]), { qos: 1 });
    await pub.publishAsync(`${ROOT}/events`, 'x'.repeat(300_000), { qos: 1 });
    await vi.waitFor(() => expect(rejected).toHaveLength(5));
    expect(accepted.length).toBe(before + 1); // the door.closed beside the bad event
    const reasons = (rejected as { reason: string }[]).map((r) => r.reason).join('\n');
    expect(reasons).toContain('not valid JSON');
    expect(reasons).toContain('unknown sensor');
    expect(reasons).toMatch(/finite/);
    expect(reasons).toMatch(/type/);
    expect(reasons).toContain('over the 262144-byte cap');
    expect(source.stats.rejected).toBe(5);
  });

  it('gets what was published while it was down (persistent session, QoS 1)', async () => {
    await source.close();
    const before = accepted.length;
    await pub.publishAsync(`${ROOT}/telemetry/T-CR1-1`, '{"ts":1793606520000,"value":21.1}', { qos: 1 });
    source = start();
    await source.ready;
    await vi.waitFor(() => expect(accepted.length).toBe(before + 1));
    expect(accepted.at(-1)).toEqual({ ts: 1793606520000, sensor: 'T-CR1-1', value: 21.1 });
  });
});
