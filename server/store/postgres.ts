// The PostgreSQL store (DESIGN.md: "for sites that outgrow one machine"),
// the same contract as the SQLite one (test/integration/store-contract.ts).
//
// URL: `postgres://user[:password]@host[:port]/database[?schema=name]`. With
// `schema` (lower-case letters, digits, `_`), every connection of the pool
// starts with `search_path` set to it and the schema is created on open, so
// one database can hold several twins (and parallel test runs do not
// collide); without it the server's default `search_path` decides (usually
// `public`).
//
// Schema. Migrations are ordered and recorded in `schema_version`; they run
// in one transaction under an advisory lock on open, so two servers starting
// together do not both migrate. A store newer than this server is refused.
// - `telemetry (seq, ts, value, sensor)`: a heap in arrival (= seq) order
//   with one B-tree, the identity UNIQUE (sensor, ts, value), which also
//   serves per-sensor ranges and, once vacuum has marked pages all-visible,
//   answers buckets from the index alone.
//   NOTE: it costs 72 bytes a reading where (sensor, ts) would cost 32
//   (measured, 1.44 M readings): each sensor appends at its own point of the
//   index, and PostgreSQL splits such a page 50/50 unless every key column
//   but the last equals its neighbour's and there is no INCLUDE, so only a
//   two-column key packs full. (sensor, ts) alone was tried: 30 % less disk,
//   but a 30-day chart of one sensor read 43 k heap pages (125 ms against
//   12 ms) and identity would rest on the writer lock instead of the index.
//   Time is indexed by BRIN (minmax-multi, 32 pages a range) and seq by a
//   plain BRIN: readings arrive roughly in time order and always in seq
//   order, so a few kilobytes of block ranges do what a B-tree would at ~30
//   bytes a reading and an extra index write each. BRIN rather than time
//   partitions: nothing to create ahead, attach or detach, no default
//   partition for late data, one plan shape; the history is append-only so
//   block ranges stay tight, and minmax-multi keeps them narrow when late or
//   back-filled readings land in a recent block. Partitions would pay off
//   for retention (dropping a month at once), which the store does not do.
//   The price: BRIN gives no order, so `records` reads time in windows
//   sized from the data's density and a page of a long replay costs one
//   window, not a sort of the rest of the range.
// - `events`: few beside readings, so ordinary B-trees: (ts, seq) for order
//   and paging, (subject, ts) and (door, ts) for `about`; identity is
//   `(ts, md5(json))` (a B-tree entry cannot hold an arbitrarily long note)
//   and the probe compares the text too.
// - `head`: one row holding the last seq, the counts and the time bounds.
//   Appends take it FOR UPDATE, which serialises writers across processes as
//   SQLite's BEGIN IMMEDIATE does: seqs are dense and handed out in commit
//   order, so a reader that saw `lastSeq() = n` will never later find a new
//   record numbered ≤ n (what `maxSeq` and `saveSnapshot` rely on). It also
//   makes `lastSeq`, `timeRange` and `stats` O(1), where max()/count() would
//   scan a table that has no B-tree on seq or ts.
// - snapshots, audit detail and settings are jsonb.
//
// Appends: one transaction, three round trips (lock, sensor names when new
// ones appear, one statement). The statement takes the batch as arrays
// (unnest: no 65,535-parameter ceiling, one parse whatever the batch size),
// probes the identity indexes, numbers the new records in input order,
// inserts them, bumps `head`, drops invalidated snapshots and writes the
// audit entries. Duplicates inside a batch are dropped in JavaScript first.
// Durability: COMMIT returns after the WAL is flushed (synchronous_commit
// on), so an acknowledged record is committed.
import { Pool, types as pgDefaultTypes, type CustomTypesConfig, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { isRole } from '../../src/core/protocol.ts';
import { isEvent, type EventRecord, type TelemetryRecord, type TwinRecord } from '../../src/core/records.ts';
import type { TwinState } from '../../src/core/reducer.ts';
import { UsageError } from '../shared.ts';
import { doorOf, eventFrom, eventJson, mergeRows, subjectOf } from './event-rows.ts';
import type {
  AppendResult, AuditEntry, EventQuery, RecordQuery, Snapshot, Store, StoreStats, StoredRecord,
  TelemetryBucket, TelemetryQuery, TokenRow,
} from './types.ts';

/** Connections the pool opens at most. */
const POOL_MAX = 8;
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 60_000;
/** First key of the advisory lock migrations take (the second is the schema's hash): "tWin". */
const MIGRATION_LOCK_KEY = 0x7457696e;
/** Default page size of `records`, as in the interface. */
const RECORDS_LIMIT = 10_000;
/** A `schema` query parameter: an unquoted PostgreSQL identifier, lower case. */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

interface Migration { version: number; description: string; sql: string }

/** Ordered; never edit one that has shipped, add the next. */
const MIGRATIONS: readonly Migration[] = [{
  version: 1,
  description: 'records, snapshots, tokens, audit, settings',
  sql: `
CREATE TABLE sensors (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text COLLATE "C" NOT NULL UNIQUE);
CREATE TABLE telemetry (seq bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL, sensor integer NOT NULL);
CREATE UNIQUE INDEX telemetry_identity ON telemetry (sensor, ts, value);
CREATE INDEX telemetry_ts ON telemetry USING brin (ts int8_minmax_multi_ops) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX telemetry_seq ON telemetry USING brin (seq) WITH (pages_per_range = 32, autosummarize = on);
CREATE TABLE events (seq bigint NOT NULL, ts bigint NOT NULL, type text COLLATE "C" NOT NULL, subject text COLLATE "C" NOT NULL, door text COLLATE "C", json text NOT NULL);
CREATE UNIQUE INDEX events_identity ON events (ts, md5(json));
CREATE UNIQUE INDEX events_order ON events (ts, seq);
CREATE INDEX events_seq ON events USING brin (seq) WITH (autosummarize = on);
CREATE INDEX events_subject ON events (subject, ts);
CREATE INDEX events_door ON events (door, ts);
CREATE TABLE head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq bigint NOT NULL, telemetry bigint NOT NULL, events bigint NOT NULL,
  t_min bigint, t_max bigint, e_min bigint, e_max bigint
);
INSERT INTO head (last_seq, telemetry, events) VALUES (0, 0, 0);
CREATE TABLE snapshots (ts bigint PRIMARY KEY, seq bigint NOT NULL, state jsonb NOT NULL);
CREATE TABLE tokens (hash text COLLATE "C" PRIMARY KEY, role text NOT NULL, created bigint NOT NULL, label text NOT NULL);
CREATE TABLE audit (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL, actor text NOT NULL, action text NOT NULL, detail jsonb NOT NULL);
CREATE INDEX audit_ts ON audit (ts, seq);
CREATE TABLE settings (key text COLLATE "C" PRIMARY KEY, value jsonb NOT NULL);
`,
}];

/** The schema version this server writes. */
export const PG_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

// bigint columns (ts, seq, counts) as numbers: epoch ms and seqs stay far below 2^53.
const parseInt8 = (v: string) => Number(v);
const pgTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID && format !== 'binary' ? parseInt8 : pgDefaultTypes.getTypeParser(oid, format))) as CustomTypesConfig['getTypeParser'],
};

// NOTE: PostgreSQL text cannot hold U+0000 and jsonb refuses the \u0000
// escape, where SQLite takes both. A NUL in a free-text field (a badge, an
// alarm note) must not make a whole batch fail, so lookup columns and jsonb
// get U+FFFD instead; the event itself is kept exactly (its JSON escapes NUL).
const NUL_RE = /\0/g;
const pgText = (s: string) => (s.includes('\0') ? s.replace(NUL_RE, '\uFFFD') : s);
const jsonbText = (v: unknown): string => {
  const text = JSON.stringify(v);
  if (text === undefined) throw new TypeError('Twinspace: store: value is not JSON (undefined, a function or a symbol)');
  return text.includes('\\u0000') ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? pgText(x) : x)) : text;
};

// Times arrive as numbers; bigint parameters must be integers. For integer
// columns `ts >= ceil(from)` and `ts <= floor(to)` say the same as SQLite's comparisons.
const SAFE = Number.MAX_SAFE_INTEGER;
const clampInt = (x: number) => (x > SAFE ? SAFE : x < -SAFE ? -SAFE : x);
const lowerBound = (x: number) => clampInt(Math.ceil(x));
const upperBound = (x: number) => clampInt(Math.floor(x));

/** `"name"`, for a name SCHEMA_RE accepted. */
const ident = (name: string) => `"${name}"`;

/** Options for `PostgresStore.open`. */
export interface PostgresStoreOptions {
  /** Drop the URL's schema, and everything in it, on close (tests). Refused without a `schema` parameter. Default false. */
  dropSchemaOnClose?: boolean;
  /** Connections the pool opens at most; default 8. */
  poolMax?: number;
  /** How long to wait for a connection, ms; default 10 s. */
  connectTimeoutMs?: number;
  /**
   * How long one query may take, ms; default 60 s. A server that stops
   * answering (a partition) then fails the call instead of holding it, and
   * its connection is dropped: an append answers "not stored" and the source
   * retries (appends are idempotent, so a commit that did land is not doubled).
   */
  queryTimeoutMs?: number;
}

/** A parsed store URL: the connection string without `schema`, the schema, and a display form without the password. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | null; location: string; options: string | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--db ${JSON.stringify(url)}: not a URL; expected postgres://user@host:port/database?schema=name`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new UsageError(`--db ${JSON.stringify(url)}: expected postgres://…`);
  const schema = u.searchParams.get('schema');
  if (schema !== null && !SCHEMA_RE.test(schema)) {
    throw new UsageError(`--db: schema ${JSON.stringify(schema)} must be 1–63 lower-case letters, digits or _ and not start with a digit`);
  }
  u.searchParams.delete('schema');
  // The URL's own `options` (server settings) would replace ours, so they are joined here.
  const given = u.searchParams.get('options');
  u.searchParams.delete('options');
  const options = [given, schema !== null ? `-c search_path=${schema}` : null].filter((x) => x !== null && x !== '').join(' ') || null;
  const connectionString = u.toString();
  const shown = new URL(connectionString);
  if (shown.password) shown.password = '***';
  if (schema !== null) shown.searchParams.set('schema', schema);
  return { connectionString, schema, location: shown.toString(), options };
}

type Row<T> = T & QueryResultRow;
interface HeadRow { last_seq: number; telemetry: number; events: number; t_min: number | null; t_max: number | null; e_min: number | null; e_max: number | null }
interface TelemetryRow { seq: number; ts: number; sensor: number; value: number }
interface EventRow { seq: number; ts: number; json: string }
type TokenDbRow = { hash: string; role: string; created: number; label: string };

/** The one statement of an append, after the lock and the sensor ids: see the file comment. */
const APPEND_SQL = `
WITH t_in AS (
  SELECT * FROM unnest($2::int[], $3::int[], $4::int8[], $5::float8[]) AS x(ord, sensor, ts, value)
), e_in AS (
  SELECT * FROM unnest($6::int[], $7::int8[], $8::text[], $9::text[], $10::text[], $11::text[]) AS x(ord, ts, type, subject, door, json)
), fresh AS (
  -- LATERAL … LIMIT 1 forces one index probe per record whatever the statistics say.
  SELECT ord, ts, is_event, $1::int8 + row_number() OVER (ORDER BY ord) AS seq FROM (
    SELECT t_in.ord, t_in.ts, false AS is_event FROM t_in
      LEFT JOIN LATERAL (SELECT 1 AS hit FROM telemetry t WHERE t.sensor = t_in.sensor AND t.ts = t_in.ts AND t.value = t_in.value LIMIT 1) h ON true
      WHERE h.hit IS NULL
    UNION ALL
    SELECT e_in.ord, e_in.ts, true FROM e_in
      LEFT JOIN LATERAL (SELECT 1 AS hit FROM events e WHERE e.ts = e_in.ts AND md5(e.json) = md5(e_in.json) AND e.json = e_in.json LIMIT 1) h ON true
      WHERE h.hit IS NULL
  ) u
), t_ins AS (
  INSERT INTO telemetry (seq, ts, value, sensor)
  SELECT f.seq, t.ts, t.value, t.sensor FROM t_in t JOIN fresh f ON f.ord = t.ord AND NOT f.is_event ORDER BY f.seq
), e_ins AS (
  INSERT INTO events (seq, ts, type, subject, door, json)
  SELECT f.seq, e.ts, e.type, e.subject, e.door, e.json FROM e_in e JOIN fresh f ON f.ord = e.ord AND f.is_event ORDER BY f.seq
), n AS (
  SELECT count(*) FILTER (WHERE NOT is_event) AS nt, count(*) FILTER (WHERE is_event) AS ne,
    min(ts) FILTER (WHERE NOT is_event) AS t_lo, max(ts) FILTER (WHERE NOT is_event) AS t_hi,
    min(ts) FILTER (WHERE is_event) AS e_lo, max(ts) FILTER (WHERE is_event) AS e_hi
  FROM fresh
), head_up AS (
  UPDATE head SET last_seq = last_seq + n.nt + n.ne, telemetry = telemetry + n.nt, events = events + n.ne,
    t_min = least(t_min, n.t_lo), t_max = greatest(t_max, n.t_hi), e_min = least(e_min, n.e_lo), e_max = greatest(e_max, n.e_hi)
  FROM n WHERE n.nt + n.ne > 0
), snap_drop AS (
  -- A snapshot at or after a new record's time no longer folds every record up to it.
  DELETE FROM snapshots WHERE ts >= (SELECT min(ts) FROM fresh)
), audit_ins AS (
  INSERT INTO audit (ts, actor, action, detail)
  SELECT ts, actor, action, detail::jsonb FROM unnest($12::int8[], $13::text[], $14::text[], $15::text[]) WITH ORDINALITY AS a(ts, actor, action, detail, ord) ORDER BY ord
)
SELECT ord FROM fresh`;

/** The PostgreSQL store; open it with `PostgresStore.open(url)`. */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  /** The URL without its password. */
  readonly location: string;
  /** The schema the tables live in (the URL's, or the server's current_schema). */
  readonly schema: string;
  private readonly pool: Pool;
  private readonly dropSchemaOnClose: boolean;
  private readonly sensorIds = new Map<string, number>();
  private readonly sensorNames = new Map<number, string>();
  private closed = false;

  private constructor(pool: Pool, location: string, schema: string, dropSchemaOnClose: boolean) {
    this.pool = pool;
    this.location = location;
    this.schema = schema;
    this.dropSchemaOnClose = dropSchemaOnClose;
  }

  /** Connects, creates the schema when absent and runs the migrations this database lacks. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { connectionString, schema, location, options } = parsePostgresUrl(url);
    if (opts.dropSchemaOnClose && schema === null) throw new UsageError(`Twinspace: store ${location}: dropSchemaOnClose needs a schema parameter`);
    const pool = new Pool({
      connectionString,
      max: opts.poolMax ?? POOL_MAX,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      query_timeout: opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      types: pgTypes,
      application_name: 'twinspace',
      // Every connection starts in the twin's schema: no SET per checkout.
      ...(options !== null ? { options } : {}),
    });
    // An idle connection the server drops must not take the process down; the next query reconnects.
    pool.on('error', (e) => console.error(`Twinspace: store ${location}: idle connection lost: ${e.message}`));
    try {
      const current = await migrate(pool, schema, location);
      return new PostgresStore(pool, location, current, opts.dropSchemaOnClose ?? false);
    } catch (e) {
      await pool.end().catch(() => undefined);
      const err = e as Error & { code?: string };
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === '3D000' || err.code === '28000' || err.code === '28P01') {
        throw new Error(`Twinspace: store ${location}: cannot connect (${err.message}); is PostgreSQL running and does the database exist?`, { cause: e });
      }
      throw e;
    }
  }

  /**
   * Runs `fn` in one transaction on one connection; rolls back if it throws.
   * `begin` may carry a first statement after BEGIN (one round trip); `fn` gets its result.
   */
  private async tx<T>(begin: string, fn: (c: PoolClient, first: QueryResult) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken = false;
    try {
      const res = (await c.query(begin)) as unknown as QueryResult | QueryResult[];
      const out = await fn(c, Array.isArray(res) ? res[res.length - 1]! : res);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      // A connection that cannot even roll back is destroyed, not returned to the pool.
      broken = await c.query('ROLLBACK').then(() => false, () => true);
      throw e;
    } finally {
      c.release(broken);
    }
  }

  private async sensorIdsFor(c: PoolClient, names: readonly string[], learned: Map<string, number>): Promise<void> {
    const r = await c.query<Row<{ id: number; name: string }>>(`
      WITH n AS (SELECT DISTINCT unnest($1::text[]) AS name),
      ins AS (INSERT INTO sensors (name) SELECT name FROM n ON CONFLICT (name) DO NOTHING RETURNING id, name)
      SELECT id, name FROM ins UNION ALL SELECT s.id, s.name FROM sensors s JOIN n USING (name)`, [names.map(pgText)]);
    for (const row of r.rows) learned.set(row.name, row.id);
    for (const name of names) {
      if (!learned.has(pgText(name))) throw new Error(`Twinspace: store ${this.location}: could not register sensor ${JSON.stringify(name)}`);
    }
  }

  async append(batch: readonly TwinRecord[], audit: readonly AuditEntry[] = []): Promise<AppendResult> {
    if (batch.length === 0) {
      if (audit.length > 0) await this.appendAudit(audit);
      return { inserted: 0, isNew: [] };
    }
    // Drop repeats inside the batch: the first of equal records is the one that counts.
    const seen = new Set<string>();
    const tOrd: number[] = [], tSensor: string[] = [], tTs: number[] = [], tValue: number[] = [];
    const eOrd: number[] = [], eTs: number[] = [], eType: string[] = [], eSubject: string[] = [], eDoor: (string | null)[] = [], eJson: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      if (isEvent(r)) {
        const json = eventJson(r);
        const key = `e${r.ts}\u0000${json}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const door = doorOf(r);
        eOrd.push(i); eTs.push(r.ts); eType.push(r.type); eSubject.push(pgText(subjectOf(r))); eDoor.push(door === null ? null : pgText(door)); eJson.push(json);
      } else {
        // String(-0) is "0": -0 and 0 are one value, as in both databases' indexes.
        const key = `t${r.sensor}\u0000${r.ts}\u0000${r.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tOrd.push(i); tSensor.push(r.sensor); tTs.push(r.ts); tValue.push(r.value);
      }
    }
    const learned = new Map<string, number>();
    const fresh = await this.tx('BEGIN ISOLATION LEVEL READ COMMITTED; SELECT last_seq FROM head FOR UPDATE', async (c, locked) => {
      // Under the lock on head: no other writer can take these numbers.
      const base = (locked.rows[0] as { last_seq: number }).last_seq;
      const unknown = [...new Set(tSensor.filter((n) => !this.sensorIds.has(pgText(n))))];
      if (unknown.length > 0) await this.sensorIdsFor(c, unknown, learned);
      const idOf = (n: string) => this.sensorIds.get(pgText(n)) ?? learned.get(pgText(n))!;
      // Named: parsed and planned once per connection (the LATERAL probes make the generic plan the right one).
      const r = await c.query<Row<{ ord: number }>>({ name: 'twinspace_append', text: APPEND_SQL, values: [
        base,
        tOrd, tSensor.map(idOf), tTs, tValue,
        eOrd, eTs, eType, eSubject, eDoor, eJson,
        audit.map((a) => a.ts), audit.map((a) => pgText(a.actor)), audit.map((a) => pgText(a.action)), audit.map((a) => jsonbText(a.detail)),
      ] });
      return r.rows;
    });
    // Only ids from a committed transaction enter the cache.
    for (const [name, id] of learned) { this.sensorIds.set(name, id); this.sensorNames.set(id, name); }
    const isNew = new Array<boolean>(batch.length).fill(false);
    for (const row of fresh) isNew[row.ord] = true;
    return { inserted: fresh.length, isNew };
  }

  async events(q: EventQuery): Promise<StoredRecord<EventRecord>[]> {
    const where: string[] = [], args: unknown[] = [];
    const p = (v: unknown) => { args.push(v); return `$${args.length}`; };
    if (q.from !== undefined) where.push(`ts >= ${p(lowerBound(q.from))}`);
    if (q.to !== undefined) where.push(`ts <= ${p(upperBound(q.to))}`);
    if (q.types) {
      if (q.types.length === 0) return [];
      where.push(`type = ANY(${p([...q.types])}::text[])`);
    }
    if (q.about) {
      if (q.about.length === 0) return [];
      const ids = p(q.about.map(pgText));
      where.push(`(subject = ANY(${ids}::text[]) OR door = ANY(${ids}::text[]))`);
    }
    const limit = q.limit !== undefined ? ` LIMIT ${p(Math.max(0, Math.floor(q.limit)))}` : '';
    const r = await this.pool.query<Row<EventRow>>(`SELECT seq, ts, json FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts, seq${limit}`, args);
    return r.rows.map((row) => ({ seq: row.seq, record: eventFrom(row.ts, row.json) }));
  }

  async telemetry(q: TelemetryQuery): Promise<StoredRecord<TelemetryRecord>[]> {
    const r = await this.pool.query<Row<{ seq: number; ts: number; value: number }>>(`
      SELECT seq, ts, value FROM telemetry
      WHERE sensor = (SELECT id FROM sensors WHERE name = $1) AND ts >= $2 AND ts <= $3
      ORDER BY ts, seq LIMIT $4`,
    [pgText(q.sensor), lowerBound(q.from ?? -SAFE), upperBound(q.to ?? SAFE), q.limit !== undefined ? Math.max(0, Math.floor(q.limit)) : null]);
    return r.rows.map((row) => ({ seq: row.seq, record: { ts: row.ts, sensor: q.sensor, value: row.value } }));
  }

  async telemetryBuckets(q: { sensor: string; from: number; to: number; stepMs: number }): Promise<TelemetryBucket[]> {
    if (!(q.stepMs > 0) || !Number.isInteger(q.stepMs)) throw new RangeError(`Twinspace: store telemetryBuckets: stepMs must be a positive integer, got ${q.stepMs}`);
    const from = lowerBound(q.from);
    const r = await this.pool.query<Row<{ b: number; min: number; max: number; mean: number; count: number }>>(`
      SELECT (ts - $2::int8) / $3::int8 AS b, min(value) AS min, max(value) AS max, avg(value) AS mean, count(*) AS count
      FROM telemetry WHERE sensor = (SELECT id FROM sensors WHERE name = $1) AND ts >= $2 AND ts <= $4
      GROUP BY b ORDER BY b`, [pgText(q.sensor), from, q.stepMs, upperBound(q.to)]);
    // NOTE: buckets start at `from` itself, as SQLite's do, even when `from` is not an integer.
    return r.rows.map((row) => ({ ts: q.from + row.b * q.stepMs, min: row.min, max: row.max, mean: row.mean, count: row.count }));
  }

  async records(q: RecordQuery): Promise<StoredRecord[]> {
    const limit = Math.max(0, Math.floor(q.limit ?? RECORDS_LIMIT));
    if (limit === 0) return [];
    const from = q.from !== undefined ? lowerBound(q.from) : -SAFE;
    const to = q.to !== undefined ? upperBound(q.to) : SAFE;
    if (from > to) return [];
    const { tRows, eRows } = await this.tx('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (c) => {
      // One snapshot for the head, every window and the events, so the merge is of one state.
      const head = (await c.query<Row<HeadRow>>('SELECT * FROM head')).rows[0]!;
      const cond = (args: unknown[]) => {
        const out: string[] = [];
        if (q.after) { args.push(q.after.ts, q.after.seq); out.push(`(ts, seq) > ($${args.length - 1}, $${args.length})`); }
        if (q.maxSeq !== undefined) { args.push(upperBound(q.maxSeq)); out.push(`seq <= $${args.length}`); }
        return out;
      };
      const eArgs: unknown[] = [q.after ? Math.max(from, q.after.ts) : from, to]; // bounds the index range to the page's start
      const eCond = ['ts >= $1', 'ts <= $2', ...cond(eArgs)];
      eArgs.push(limit);
      const eRows = head.events === 0 ? [] : (await c.query<Row<EventRow>>(`SELECT seq, ts, json FROM events WHERE ${eCond.join(' AND ')} ORDER BY ts, seq LIMIT $${eArgs.length}`, eArgs)).rows;
      const tRows: TelemetryRow[] = [];
      if (head.telemetry > 0 && head.t_min !== null && head.t_max !== null) {
        let lo = Math.max(from, head.t_min, q.after ? q.after.ts : -SAFE);
        const end = Math.min(to, head.t_max);
        // Window width from the average density, aiming at one window per page.
        const perMs = head.telemetry / (head.t_max - head.t_min + 1);
        let width = Math.max(1, Math.ceil((limit / perMs) * 1.25));
        while (lo <= end) {
          const hi = Math.min(end, lo + width - 1);
          const args: unknown[] = [lo, hi];
          const where = ['ts >= $1', 'ts <= $2', ...cond(args)];
          const need = limit - tRows.length;
          args.push(need);
          const got = (await c.query<Row<TelemetryRow>>(`SELECT seq, ts, sensor, value FROM telemetry WHERE ${where.join(' AND ')} ORDER BY ts, seq LIMIT $${args.length}`, args)).rows;
          for (const row of got) tRows.push(row);
          if (got.length === need || hi >= end) break;
          // Sparser than the average here: size the next window from this one's density, growing at most 16× at a time.
          const spanMs = hi - lo + 1, left = need - got.length;
          const guess = got.length > 0 ? Math.ceil(((left * spanMs) / got.length) * 1.25) : spanMs * 4;
          width = Math.max(1, Math.min(guess, spanMs * 16));
          lo = hi + 1;
        }
      }
      return { tRows, eRows };
    });
    await this.learnSensorNames(tRows);
    return mergeRows(tRows, eRows, limit, 'time', this.reading, (e) => eventFrom(e.ts, e.json));
  }

  async tail(afterSeq: number, limit = RECORDS_LIMIT): Promise<StoredRecord[]> {
    const n = Math.max(0, Math.floor(limit));
    const after = Math.max(0, Math.floor(afterSeq));
    if (n === 0) return [];
    // One snapshot: `head` caps both tables at the same last seq, and seqs are dense and
    // given in commit order under the head lock, so (after, upTo] holds exactly upTo − after records.
    const { tRows, eRows } = await this.tx('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (c) => {
      const last = (await c.query<Row<{ last_seq: number }>>('SELECT last_seq FROM head')).rows[0]!.last_seq;
      const upTo = Math.min(last, after + n);
      if (upTo <= after) return { tRows: [] as TelemetryRow[], eRows: [] as EventRow[] };
      const tRows = (await c.query<Row<TelemetryRow>>('SELECT seq, ts, sensor, value FROM telemetry WHERE seq > $1 AND seq <= $2 ORDER BY seq', [after, upTo])).rows;
      const eRows = (await c.query<Row<EventRow>>('SELECT seq, ts, json FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq', [after, upTo])).rows;
      return { tRows, eRows };
    });
    await this.learnSensorNames(tRows);
    return mergeRows(tRows, eRows, n, 'seq', this.reading, (e) => eventFrom(e.ts, e.json));
  }

  /** A telemetry row as a reading (its sensor's name learned before). */
  private readonly reading = (t: TelemetryRow): TelemetryRecord => ({ ts: t.ts, sensor: this.sensorNames.get(t.sensor) ?? `#${t.sensor}`, value: t.value });

  /** Fills the id → name cache for ids another process registered. */
  private async learnSensorNames(rows: readonly TelemetryRow[]): Promise<void> {
    const missing = new Set<number>();
    for (const r of rows) if (!this.sensorNames.has(r.sensor)) missing.add(r.sensor);
    if (missing.size === 0) return;
    const r = await this.pool.query<Row<{ id: number; name: string }>>('SELECT id, name FROM sensors WHERE id = ANY($1::int[])', [[...missing]]);
    for (const row of r.rows) { this.sensorIds.set(row.name, row.id); this.sensorNames.set(row.id, row.name); }
  }

  private async head(): Promise<HeadRow> {
    return (await this.pool.query<Row<HeadRow>>('SELECT * FROM head')).rows[0]!;
  }

  async timeRange(): Promise<{ from: number; to: number } | null> {
    const h = await this.head();
    const lo = [h.t_min, h.e_min].filter((x): x is number => x !== null);
    const hi = [h.t_max, h.e_max].filter((x): x is number => x !== null);
    return lo.length === 0 ? null : { from: Math.min(...lo), to: Math.max(...hi) };
  }

  async lastSeq(): Promise<number> {
    return (await this.head()).last_seq;
  }

  async saveSnapshot(s: Snapshot): Promise<boolean> {
    const json = jsonbText(s.state);
    // Under the appenders' lock: no record can slip in between the check and the insert.
    return this.tx('BEGIN ISOLATION LEVEL READ COMMITTED', async (c) => {
      const last = (await c.query<Row<{ last_seq: number }>>('SELECT last_seq FROM head FOR UPDATE')).rows[0]!.last_seq;
      if (last > s.seq) {
        const missed = await c.query<Row<{ hit: boolean }>>(
          'SELECT EXISTS (SELECT 1 FROM telemetry WHERE seq > $1 AND ts <= $2) OR EXISTS (SELECT 1 FROM events WHERE seq > $1 AND ts <= $2) AS hit',
          [upperBound(s.seq), upperBound(s.ts)]);
        if (missed.rows[0]!.hit) return false;
      }
      await c.query('INSERT INTO snapshots (ts, seq, state) VALUES ($1, $2, $3::jsonb) ON CONFLICT (ts) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state',
        [s.ts, s.seq, json]);
      return true;
    });
  }

  async snapshotAtOrBefore(at: number): Promise<Snapshot | null> {
    const r = await this.pool.query<Row<{ ts: number; seq: number; state: TwinState }>>('SELECT ts, seq, state FROM snapshots WHERE ts <= $1 ORDER BY ts DESC LIMIT 1', [upperBound(at)]);
    const row = r.rows[0];
    return row ? { ts: row.ts, seq: row.seq, state: row.state } : null;
  }

  async addToken(t: TokenRow): Promise<void> {
    await this.pool.query('INSERT INTO tokens (hash, role, created, label) VALUES ($1, $2, $3, $4)', [t.hash, t.role, t.created, pgText(t.label)]);
  }

  private tokenRow(r: TokenDbRow): TokenRow {
    if (!isRole(r.role)) throw new Error(`Twinspace: store ${this.location}: token with unknown role ${JSON.stringify(r.role)}`);
    return { hash: r.hash, role: r.role, created: r.created, label: r.label };
  }

  async findToken(hash: string): Promise<TokenRow | null> {
    const r = await this.pool.query<Row<TokenDbRow>>('SELECT hash, role, created, label FROM tokens WHERE hash = $1', [pgText(hash)]);
    return r.rows[0] ? this.tokenRow(r.rows[0]) : null;
  }

  async listTokens(): Promise<TokenRow[]> {
    const r = await this.pool.query<Row<TokenDbRow>>('SELECT hash, role, created, label FROM tokens ORDER BY created, hash');
    return r.rows.map((row) => this.tokenRow(row));
  }

  async removeToken(hash: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM tokens WHERE hash = $1', [pgText(hash)])).rowCount ?? 0) > 0;
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(`INSERT INTO audit (ts, actor, action, detail)
      SELECT ts, actor, action, detail::jsonb FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS a(ts, actor, action, detail, ord) ORDER BY ord`,
    [entries.map((a) => a.ts), entries.map((a) => pgText(a.actor)), entries.map((a) => pgText(a.action)), entries.map((a) => jsonbText(a.detail))]);
  }

  async auditLog(q: { from?: number; to?: number; limit?: number }): Promise<AuditEntry[]> {
    const r = await this.pool.query<Row<{ ts: number; actor: string; action: string; detail: Record<string, unknown> }>>(
      'SELECT ts, actor, action, detail FROM audit WHERE ts >= $1 AND ts <= $2 ORDER BY ts, seq LIMIT $3',
      [lowerBound(q.from ?? -SAFE), upperBound(q.to ?? SAFE), q.limit !== undefined ? Math.max(0, Math.floor(q.limit)) : null]);
    return r.rows.map((row) => ({ ts: row.ts, actor: row.actor, action: row.action, detail: row.detail }));
  }

  async getSetting(key: string): Promise<unknown> {
    const r = await this.pool.query<Row<{ value: unknown }>>('SELECT value FROM settings WHERE key = $1', [pgText(key)]);
    return r.rows[0] ? r.rows[0].value : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [pgText(key), jsonbText(value)]);
  }

  async stats(): Promise<StoreStats> {
    const r = await this.pool.query<Row<{ telemetry: number; events: number; snapshots: number; bytes: number }>>(`
      SELECT h.telemetry, h.events, (SELECT count(*) FROM snapshots) AS snapshots,
        (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')) AS bytes
      FROM head h`, [this.schema]);
    const row = r.rows[0]!;
    return { kind: this.kind, location: this.location, telemetry: row.telemetry, events: row.events, snapshots: row.snapshots, bytes: row.bytes };
  }

  /** Summarises new BRIN ranges and refreshes planner statistics now rather than when autovacuum gets to it (after a bulk load). */
  async vacuumAnalyze(): Promise<void> {
    await this.pool.query('VACUUM (ANALYZE) telemetry, events');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.dropSchemaOnClose) await this.pool.query(`DROP SCHEMA IF EXISTS ${ident(this.schema)} CASCADE`);
    } finally {
      await this.pool.end();
    }
  }
}

/** Creates the schema when asked and brings it to PG_SCHEMA_VERSION; returns the schema the tables live in. */
async function migrate(pool: Pool, schema: string | null, location: string): Promise<string> {
  const c = await pool.connect();
  let ok = false;
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema ?? '']);
    if (schema !== null) await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    const current = (await c.query<Row<{ s: string | null }>>('SELECT current_schema() AS s')).rows[0]!.s;
    if (current === null) throw new Error(`Twinspace: store ${location}: no schema on the search_path exists; add ?schema=<name> to the URL`);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_version (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const have = (await c.query<Row<{ v: number }>>('SELECT coalesce(max(version), 0) AS v FROM schema_version')).rows[0]!.v;
    if (have > PG_SCHEMA_VERSION) {
      throw new Error(`Twinspace: store ${location}: schema version ${have} is newer than this server's ${PG_SCHEMA_VERSION}; upgrade the server`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= have) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_version (version, description) VALUES ($1, $2)', [m.version, m.description]);
    }
    await c.query('COMMIT');
    ok = true;
    return current;
  } finally {
    if (!ok) await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}
