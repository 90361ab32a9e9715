// Sensors and access controllers that speak MQTT (`serve --mqtt URL`).
//
// Topic scheme, under the root `twinspace/<facility id>`:
//   <root>/telemetry/<sensor>   a reading: `{"ts": …, "value": …}`, `{"value": …}`,
//                               an array of those, or a bare number; a missing
//                               `ts` is the time of arrival
//   <root>/events               an event record (data-formats.md) or an array of them
//   <root>/rejected             published by the twin: `{topic, index, reason}`
//                               for every record it refused
// One subscriber per facility: give `--mqtt` to one node (the session is
// durable and its client id stable, so a second subscriber with the same id
// would take the session over). NOTE: not an MQTT 5 shared subscription: a
// dead member's persistent session keeps receiving its share until it expires.
// Messages are taken at QoS 1 on a persistent session, and each is
// acknowledged (PUBACK) only after its records were committed, so a broker
// redelivers what a crash interrupted and queues what arrives while the
// twin is down.
import mqtt, { type MqttClient } from 'mqtt';

/** Largest MQTT payload accepted, bytes. */
export const MQTT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** How long the broker keeps the twin's session (and queues its messages) while it is away, s. */
export const SESSION_EXPIRY_S = 7 * 24 * 3600;

/** Hands raw records to the pipeline; resolves once committed with the refused ones. */
export type IngestFn = (records: unknown[], source: string) => Promise<{ index: number; reason: string }[]>;

export interface MqttSourceOptions {
  url: string;
  facilityId: string;
  ingest: IngestFn;
  /** Client id of the persistent session; default `twinspace-<facility>`. It must be stable for the broker to keep what arrives while the twin is down. */
  clientId?: string;
  /** Clock for arrival times, epoch ms. */
  now?: () => number;
  /** Called for every refused record, after it was reported on the rejected topic. */
  onReject?: (topic: string, index: number, reason: string) => void;
}

/** Counts of what an MQTT source took and refused. */
export interface MqttStats { connected: boolean; messages: number; accepted: number; rejected: number; byReason: Record<string, number> }

export interface MqttSource {
  readonly stats: MqttStats;
  /** Resolves once connected and subscribed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Turns one MQTT message into raw records, or a reason for refusing all of it. */
export function decodeMessage(root: string, topic: string, payload: Buffer, nowMs: number): { records: unknown[] } | { reason: string } {
  if (payload.length > MQTT_MAX_PAYLOAD_BYTES) return { reason: `payload of ${payload.length} bytes is over the ${MQTT_MAX_PAYLOAD_BYTES}-byte cap` };
  const rest = topic.startsWith(`${root}/`) ? topic.slice(root.length + 1) : null;
  if (rest === null) return { reason: `topic outside ${root}/` };
  const text = payload.toString('utf8').trim();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { reason: `payload is not valid JSON or a number: ${JSON.stringify(text.slice(0, 40))}` };
  }
  if (rest === 'events') return { records: Array.isArray(body) ? body : [body] };
  const m = /^telemetry\/([^/]+)$/.exec(rest);
  if (!m) return { reason: `unknown topic ${topic}; expected ${root}/telemetry/<sensor> or ${root}/events` };
  const sensor = m[1]!;
  const items = Array.isArray(body) ? body : [body];
  for (const item of items) {
    if (typeof item === 'object' && item !== null && 'sensor' in item && (item as { sensor: unknown }).sensor !== sensor) {
      return { reason: `payload names sensor ${JSON.stringify((item as { sensor: unknown }).sensor)} but the topic names "${sensor}"` };
    }
  }
  return {
    records: items.map((item) => {
      if (typeof item === 'number') return { ts: nowMs, sensor, value: item };
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) return { ts: nowMs, ...item, sensor };
      return item;
    }),
  };
}

/** Connects to the broker and feeds every message on the topic scheme to `ingest`. */
export function startMqttSource(opts: MqttSourceOptions): MqttSource {
  const root = `twinspace/${opts.facilityId}`;
  const now = opts.now ?? Date.now;
  const stats: MqttStats = { connected: false, messages: 0, accepted: 0, rejected: 0, byReason: {} };
  let client: MqttClient | undefined;

  const reject = (topic: string, index: number, reason: string) => {
    stats.rejected++;
    const key = reason.replace(/"[^"]*"/g, '"…"');
    stats.byReason[key] = (stats.byReason[key] ?? 0) + 1;
    client?.publish(`${root}/rejected`, JSON.stringify({ topic, index, reason }), { qos: 0 });
    opts.onReject?.(topic, index, reason);
  };

  const handle = async (topic: string, payload: Buffer): Promise<void> => {
    stats.messages++;
    const decoded = decodeMessage(root, topic, payload, now());
    if ('reason' in decoded) { reject(topic, 0, decoded.reason); return; }
    const refused = await opts.ingest(decoded.records, `mqtt:${topic}`);
    stats.accepted += decoded.records.length - refused.length;
    for (const r of refused) reject(topic, r.index, r.reason);
  };

  const ready = new Promise<void>((resolve, rejectReady) => {
    client = mqtt.connect(opts.url, {
      clientId: opts.clientId ?? `twinspace-${opts.facilityId}`,
      // MQTT 5: mqtt.js defers PUBACK (customHandleAcks) only on v5, and a
      // v5 session outlives a disconnect only with a session expiry.
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      // PUBACK only after the records are committed (or refused for good).
      customHandleAcks: (topic, message, _packet, done) => {
        handle(topic, message).then(() => done(0), (e: unknown) => {
          console.error(`Twinspace: mqtt ${topic}: ingest failed, the broker will redeliver:`, e);
          // Leave it unacknowledged: dropping the connection makes the broker resend.
          client?.stream.destroy();
        });
      },
    });
    client.on('connect', () => {
      stats.connected = true;
      client!.subscribe([`${root}/telemetry/+`, `${root}/events`], { qos: 1 }, (err) => (err ? rejectReady(err) : resolve()));
    });
    client.on('close', () => { stats.connected = false; });
    client.on('error', (e) => {
      if (!stats.connected) rejectReady(new Error(`Twinspace: mqtt ${opts.url}: ${e.message}`));
      else console.error(`Twinspace: mqtt ${opts.url}:`, e.message);
    });
  });
  // Messages are handled in customHandleAcks; nothing listens to 'message'.
  return {
    stats,
    ready,
    close: () => new Promise<void>((resolve) => { if (client) client.end(false, {}, () => resolve()); else resolve(); }),
  };
}
