// The embedded store: one SQLite file (better-sqlite3). WAL with
// synchronous=NORMAL: a committed transaction survives the process being
// killed (the WAL is written before COMMIT returns; only an OS crash or power
// loss can drop the last transactions), which is what "acknowledged means
// committed" needs. Writes take the write lock up front (BEGIN IMMEDIATE), so
// a second process on the same file (`twinspace import` beside `serve`) waits
// rather than colliding.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isRole } from '../../src/core/protocol.ts';
import { isEvent, type EventRecord, type TelemetryRecord, type TwinRecord } from '../../src/core/records.ts';
import type { TwinState } from '../../src/core/reducer.ts';
import { doorOf, eventFrom, eventJson, mergeRows, subjectOf } from './event-rows.ts';
import type {
  AppendResult, AuditEntry, EventQuery, RecordQuery, Snapshot, Store, StoreStats, StoredRecord,
  TelemetryBucket, TelemetryQuery, TokenRow,
} from './types.ts';

const SCHEMA_VERSION = 1;
/** Page cache per connection, KiB. */
const CACHE_KIB = 64 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sensors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS telemetry (seq INTEGER PRIMARY KEY, sensor INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS telemetry_identity ON telemetry (sensor, ts, value);
CREATE INDEX IF NOT EXISTS telemetry_ts ON telemetry (ts);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL, door TEXT, json TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS events_identity ON events (ts, json);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_subject ON events (subject, ts);
CREATE INDEX IF NOT EXISTS events_door ON events (door, ts);
CREATE TABLE IF NOT EXISTS snapshots (ts INTEGER PRIMARY KEY, seq INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, role TEXT NOT NULL, created INTEGER NOT NULL, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');

interface RecordRow { seq: number; ts: number; sensor: number | null; value: number | null; json: string | null }
type TokenDbRow = { hash: string; role: string; created: number; label: string };

function prepare(db: Database.Database) {
  return {
    // NOTE: max() must stand alone in each subquery for SQLite to read it off the end of the key instead of scanning.
    maxSeq: db.prepare('SELECT max(coalesce((SELECT max(seq) FROM telemetry), 0), coalesce((SELECT max(seq) FROM events), 0)) AS m').pluck(),
    sensorInsert: db.prepare('INSERT OR IGNORE INTO sensors (name) VALUES (?)'),
    sensorAll: db.prepare('SELECT id, name FROM sensors'),
    sensorFind: db.prepare('SELECT id FROM sensors WHERE name = ?').pluck(),
    telemetryInsert: db.prepare('INSERT OR IGNORE INTO telemetry (seq, sensor, ts, value) VALUES (?, ?, ?, ?)'),
    eventInsert: db.prepare('INSERT OR IGNORE INTO events (seq, ts, type, subject, door, json) VALUES (?, ?, ?, ?, ?, ?)'),
    snapshotDropFrom: db.prepare('DELETE FROM snapshots WHERE ts >= ?'),
    snapshotSave: db.prepare('INSERT OR REPLACE INTO snapshots (ts, seq, state) VALUES (?, ?, ?)'),
    // NOTE: `+ts` keeps SQLite off the ts index: the few rows after `seq` are found by the primary key (0.03 ms, not a 250 ms scan).
    storedAfter: db.prepare('SELECT EXISTS (SELECT 1 FROM telemetry WHERE seq > ? AND +ts <= ?) OR EXISTS (SELECT 1 FROM events WHERE seq > ? AND +ts <= ?)').pluck(),
    snapshotAt: db.prepare('SELECT ts, seq, state FROM snapshots WHERE ts <= ? ORDER BY ts DESC LIMIT 1'),
    auditInsert: db.prepare('INSERT INTO audit (ts, actor, action, detail) VALUES (?, ?, ?, ?)'),
    tokenInsert: db.prepare('INSERT INTO tokens (hash, role, created, label) VALUES (?, ?, ?, ?)'),
    tokenFind: db.prepare('SELECT hash, role, created, label FROM tokens WHERE hash = ?'),
    tokenDelete: db.prepare('DELETE FROM tokens WHERE hash = ?'),
    tokenAll: db.prepare('SELECT hash, role, created, label FROM tokens ORDER BY created, hash'),
    settingGet: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
    settingSet: db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)'),
    timeRange: db.prepare(`SELECT min(lo) AS lo, max(hi) AS hi FROM (
      SELECT min(ts) AS lo, max(ts) AS hi FROM telemetry UNION ALL SELECT min(ts), max(ts) FROM events)`),
    tail: db.prepare(`SELECT * FROM (
        SELECT seq, ts, sensor, value, NULL AS json FROM telemetry WHERE seq > ? ORDER BY seq LIMIT ?
      ) UNION ALL SELECT * FROM (
        SELECT seq, ts, NULL, NULL, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?
      ) ORDER BY seq LIMIT ?`),
    counts: db.prepare('SELECT (SELECT count(*) FROM telemetry) AS telemetry, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM snapshots) AS snapshots'),
  };
}

/** The SQLite store at `path` (`:memory:` for a throwaway one); its directory is created. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly location: string;
  private readonly db: Database.Database;
  private readonly sensorIds = new Map<string, number>();
  private readonly sensorNames = new Map<number, string>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly appendTx: (batch: readonly TwinRecord[], audit: readonly AuditEntry[]) => AppendResult;

  constructor(path: string) {
    this.location = path === ':memory:' ? path : resolve(path);
    if (path !== ':memory:') mkdirSync(dirname(this.location), { recursive: true });
    this.db = new Database(this.location);
    this.db.pragma('busy_timeout = 10000');
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Readings are appended at one point per sensor of the (sensor, ts, value)
    // index: thousands of hot leaf pages, which the 2 MB default cache thrashes.
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`Twinspace: store ${this.location} has schema version ${version}, newer than this server's ${SCHEMA_VERSION}; upgrade the server`);
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    const db = this.db;
    this.stmt = prepare(db);
    this.loadSensors();
    const tx = db.transaction((batch: readonly TwinRecord[], audit: readonly AuditEntry[]) => this.appendInTx(batch, audit));
    this.appendTx = (batch, audit) => {
      try {
        return tx.immediate(batch, audit);
      } catch (e) {
        // Sensor ids registered inside the rolled-back transaction are gone too.
        this.sensorIds.clear();
        this.sensorNames.clear();
        this.loadSensors();
        throw e;
      }
    };
  }

  private loadSensors(): void {
    for (const row of this.stmt.sensorAll.all() as { id: number; name: string }[]) {
      this.sensorIds.set(row.name, row.id);
      this.sensorNames.set(row.id, row.name);
    }
  }

  private sensorId(name: string): number {
    let id = this.sensorIds.get(name);
    if (id !== undefined) return id;
    const info = this.stmt.sensorInsert.run(name);
    // Ignored when another process registered it first.
    id = info.changes > 0 ? Number(info.lastInsertRowid) : this.stmt.sensorFind.get(name) as number | undefined;
    if (id === undefined) throw new Error(`Twinspace: store could not register sensor ${JSON.stringify(name)}`);
    this.sensorIds.set(name, id);
    this.sensorNames.set(id, name);
    return id;
  }

  private sensorName(id: number): string {
    let name = this.sensorNames.get(id);
    if (name === undefined) { this.loadSensors(); name = this.sensorNames.get(id); }
    return name ?? `#${id}`;
  }

  private appendInTx(batch: readonly TwinRecord[], audit: readonly AuditEntry[]): AppendResult {
    // Under the write lock: no other writer can take these numbers.
    let seq = (this.stmt.maxSeq.get() as number) + 1;
    const isNew: boolean[] = new Array<boolean>(batch.length);
    let inserted = 0, minNewTs = Infinity;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      const info = isEvent(r)
        ? this.stmt.eventInsert.run(seq, r.ts, r.type, subjectOf(r), doorOf(r), eventJson(r))
        : this.stmt.telemetryInsert.run(seq, this.sensorId(r.sensor), r.ts, r.value);
      const fresh = info.changes > 0;
      isNew[i] = fresh;
      if (fresh) {
        seq++; inserted++;
        if (r.ts < minNewTs) minNewTs = r.ts;
      }
    }
    // A snapshot at or after a new record's time no longer folds every record up to it.
    if (inserted > 0) this.stmt.snapshotDropFrom.run(minNewTs);
    for (const a of audit) this.stmt.auditInsert.run(a.ts, a.actor, a.action, JSON.stringify(a.detail));
    return { inserted, isNew };
  }

  async append(batch: readonly TwinRecord[], audit: readonly AuditEntry[] = []): Promise<AppendResult> {
    if (batch.length === 0 && audit.length === 0) return { inserted: 0, isNew: [] };
    return this.appendTx(batch, audit);
  }

  async events(q: EventQuery): Promise<StoredRecord<EventRecord>[]> {
    const where: string[] = [], args: (string | number)[] = [];
    if (q.from !== undefined) { where.push('ts >= ?'); args.push(q.from); }
    if (q.to !== undefined) { where.push('ts <= ?'); args.push(q.to); }
    if (q.types) {
      if (q.types.length === 0) return [];
      where.push(`type IN (${inList(q.types.length)})`); args.push(...q.types);
    }
    if (q.about) {
      if (q.about.length === 0) return [];
      where.push(`(subject IN (${inList(q.about.length)}) OR door IN (${inList(q.about.length)}))`);
      args.push(...q.about, ...q.about);
    }
    const sql = `SELECT seq, ts, json FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts, seq${q.limit !== undefined ? ' LIMIT ?' : ''}`;
    if (q.limit !== undefined) args.push(q.limit);
    const rows = this.db.prepare(sql).all(...args) as { seq: number; ts: number; json: string }[];
    return rows.map((r) => ({ seq: r.seq, record: eventFrom(r.ts, r.json) }));
  }

  async telemetry(q: TelemetryQuery): Promise<StoredRecord<TelemetryRecord>[]> {
    const id = this.sensorIds.get(q.sensor) ?? (this.loadSensors(), this.sensorIds.get(q.sensor));
    if (id === undefined) return [];
    const rows = this.db.prepare(`SELECT seq, ts, value FROM telemetry WHERE sensor = ? AND ts >= ? AND ts <= ? ORDER BY ts, seq${q.limit !== undefined ? ' LIMIT ?' : ''}`)
      .all(id, q.from ?? Number.MIN_SAFE_INTEGER, q.to ?? Number.MAX_SAFE_INTEGER, ...(q.limit !== undefined ? [q.limit] : [])) as { seq: number; ts: number; value: number }[];
    return rows.map((r) => ({ seq: r.seq, record: { ts: r.ts, sensor: q.sensor, value: r.value } }));
  }

  async telemetryBuckets(q: { sensor: string; from: number; to: number; stepMs: number }): Promise<TelemetryBucket[]> {
    if (!(q.stepMs > 0) || !Number.isInteger(q.stepMs)) throw new RangeError(`Twinspace: store telemetryBuckets: stepMs must be a positive integer, got ${q.stepMs}`);
    const id = this.sensorIds.get(q.sensor) ?? (this.loadSensors(), this.sensorIds.get(q.sensor));
    if (id === undefined) return [];
    const rows = this.db.prepare(`SELECT (ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, min(value) AS min, max(value) AS max, avg(value) AS mean, count(*) AS count
      FROM telemetry WHERE sensor = ? AND ts >= ? AND ts <= ? GROUP BY b ORDER BY b`)
      .all(q.from, q.stepMs, id, q.from, q.to) as { b: number; min: number; max: number; mean: number; count: number }[];
    return rows.map((r) => ({ ts: q.from + r.b * q.stepMs, min: r.min, max: r.max, mean: r.mean, count: r.count }));
  }

  async records(q: RecordQuery): Promise<StoredRecord[]> {
    const limit = Math.max(0, Math.floor(q.limit ?? 10_000));
    if (limit === 0) return [];
    // NOTE: one lower bound, the later of `from` and the page's start: SQLite bounds the index range by one
    // of two and the row-value test not at all, so each page scanned from the period's start again
    // (quadratic: paging through 30 days of demo history took 141 s).
    const lo = Math.max(q.from ?? -Infinity, q.after?.ts ?? -Infinity);
    const where = (to: number | undefined) => {
      const cond: string[] = [], args: number[] = [];
      if (lo > -Infinity) { cond.push('ts >= ?'); args.push(lo); }
      if (to !== undefined) { cond.push('ts <= ?'); args.push(to); }
      if (q.after) { cond.push('(ts, seq) > (?, ?)'); args.push(q.after.ts, q.after.seq); }
      if (q.maxSeq !== undefined) { cond.push('seq <= ?'); args.push(q.maxSeq); }
      return { sql: cond.length ? `WHERE ${cond.join(' AND ')}` : '', args };
    };
    // The telemetry page first; the events only up to its last time: a record after that has the whole
    // telemetry page before it, so it cannot be among the first `limit` (and no event is read twice).
    const t = where(q.to);
    const tRows = this.cached(`SELECT seq, ts, sensor, value FROM telemetry ${t.sql} ORDER BY ts, seq LIMIT ?`).all(...t.args, limit) as RecordRow[];
    const e = where(tRows.length === limit ? tRows[limit - 1]!.ts : q.to);
    const eRows = this.cached(`SELECT seq, ts, json FROM events ${e.sql} ORDER BY ts, seq LIMIT ?`).all(...e.args, limit) as RecordRow[];
    return mergeRows(tRows, eRows, limit, 'time', (t) => ({ ts: t.ts, sensor: this.sensorName(t.sensor!), value: t.value! }), (e) => eventFrom(e.ts, e.json!));
  }

  /** A prepared statement per query text (records() makes a few shapes, page after page). */
  private cached(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 64) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  async tail(afterSeq: number, limit = 10_000): Promise<StoredRecord[]> {
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    const rows = this.stmt.tail.all(afterSeq, n, afterSeq, n, n) as RecordRow[];
    return rows.map((r) => ({
      seq: r.seq,
      record: r.json !== null ? eventFrom(r.ts, r.json) : { ts: r.ts, sensor: this.sensorName(r.sensor!), value: r.value! },
    }));
  }

  async timeRange(): Promise<{ from: number; to: number } | null> {
    const r = this.stmt.timeRange.get() as { lo: number | null; hi: number | null };
    return r.lo === null || r.hi === null ? null : { from: r.lo, to: r.hi };
  }

  async lastSeq(): Promise<number> {
    return this.stmt.maxSeq.get() as number;
  }

  async saveSnapshot(s: Snapshot): Promise<boolean> {
    const json = JSON.stringify(s.state);
    return this.db.transaction(() => {
      if (this.stmt.storedAfter.get(s.seq, s.ts, s.seq, s.ts)) return false;
      this.stmt.snapshotSave.run(s.ts, s.seq, json);
      return true;
    }).immediate();
  }

  async snapshotAtOrBefore(at: number): Promise<Snapshot | null> {
    const r = this.stmt.snapshotAt.get(at) as { ts: number; seq: number; state: string } | undefined;
    return r ? { ts: r.ts, seq: r.seq, state: JSON.parse(r.state) as TwinState } : null;
  }

  async addToken(t: TokenRow): Promise<void> {
    this.stmt.tokenInsert.run(t.hash, t.role, t.created, t.label);
  }

  private tokenRow(r: TokenDbRow): TokenRow {
    if (!isRole(r.role)) throw new Error(`Twinspace: store ${this.location}: token with unknown role ${JSON.stringify(r.role)}`);
    return { hash: r.hash, role: r.role, created: r.created, label: r.label };
  }

  async findToken(hash: string): Promise<TokenRow | null> {
    const r = this.stmt.tokenFind.get(hash) as TokenDbRow | undefined;
    return r ? this.tokenRow(r) : null;
  }

  async listTokens(): Promise<TokenRow[]> {
    return (this.stmt.tokenAll.all() as TokenDbRow[]).map((r) => this.tokenRow(r));
  }

  async removeToken(hash: string): Promise<boolean> {
    return this.stmt.tokenDelete.run(hash).changes > 0;
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    await this.append([], entries);
  }

  async auditLog(q: { from?: number; to?: number; limit?: number }): Promise<AuditEntry[]> {
    const rows = this.db.prepare(`SELECT ts, actor, action, detail FROM audit WHERE ts >= ? AND ts <= ? ORDER BY ts, seq${q.limit !== undefined ? ' LIMIT ?' : ''}`)
      .all(q.from ?? Number.MIN_SAFE_INTEGER, q.to ?? Number.MAX_SAFE_INTEGER, ...(q.limit !== undefined ? [q.limit] : [])) as { ts: number; actor: string; action: string; detail: string }[];
    return rows.map((r) => ({ ts: r.ts, actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async getSetting(key: string): Promise<unknown> {
    const v = this.stmt.settingGet.get(key) as string | undefined;
    return v === undefined ? undefined : JSON.parse(v);
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    this.stmt.settingSet.run(key, JSON.stringify(value));
  }

  async stats(): Promise<StoreStats> {
    const c = this.stmt.counts.get() as { telemetry: number; events: number; snapshots: number };
    let bytes: number | null = null;
    if (this.location !== ':memory:') {
      bytes = 0;
      for (const suffix of ['', '-wal']) {
        try { bytes += statSync(this.location + suffix).size; } catch { /* no WAL file yet */ }
      }
    }
    return { kind: this.kind, location: this.location, ...c, bytes };
  }

  /** Folds the WAL back into the database file (for size measurements and backups). */
  checkpoint(): void {
    if (this.location !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
