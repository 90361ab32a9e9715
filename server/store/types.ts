// The store contract (DESIGN.md: "an interface with two implementations that
// pass one contract test suite"). Every method is async so a networked
// implementation (PostgreSQL) can follow; the embedded SQLite one answers at once.
//
// Times are epoch milliseconds; every range is inclusive at both ends
// (`from ≤ ts ≤ to`), an absent end is open. Records are numbered by `seq`
// in the order they were first stored (one sequence over readings and
// events), which breaks ties between equal `ts` ("ties keep input order").
import type { Role } from '../../src/core/protocol.ts';
import type { EventRecord, EventType, TelemetryRecord, TwinRecord } from '../../src/core/records.ts';
import type { TwinState } from '../../src/core/reducer.ts';

/** A stored record and its store-wide number. */
export interface StoredRecord<R extends TwinRecord = TwinRecord> { seq: number; record: R }

/** What `append` did: how many records were new, and which (an identical record stored before is skipped). */
export interface AppendResult { inserted: number; isNew: boolean[] }

/** An operator action or administrative change, kept for the audit log. */
export interface AuditEntry {
  /** Epoch ms. */
  ts: number;
  /** Who: a token label, or `anonymous` without auth. */
  actor: string;
  /** What, e.g. `alarm.acknowledge`, `token.create`. */
  action: string;
  /** JSON-safe details. */
  detail: Record<string, unknown>;
}

/** A bearer token as stored: only its SHA-256, never the token. */
export interface TokenRow {
  /** Hex SHA-256 of the token. */
  hash: string;
  role: Role;
  /** Epoch ms. */
  created: number;
  /** Who or what holds it; shown in the audit log and as `by` of alarm actions. */
  label: string;
}

/**
 * A keyframe of the state: the fold of every stored record with `ts ≤ ts`,
 * advanced to `ts`. `seq` is the store's last seq when it was computed: it
 * folds no record numbered after it.
 */
export interface Snapshot { ts: number; seq: number; state: TwinState }

/** Filter of `events`. */
export interface EventQuery {
  from?: number;
  to?: number;
  /** Only these types; all when absent. */
  types?: readonly EventType[];
  /**
   * Only events about these ids: a door or camera id matches the events of
   * that door or camera and the alarm events of alarms at that door; an
   * alarm id matches that alarm's events.
   */
  about?: readonly string[];
  /** At most this many, the earliest first. */
  limit?: number;
}

/** Filter of `telemetry`. */
export interface TelemetryQuery { sensor: string; from?: number; to?: number; limit?: number }

/** One down-sampling bucket `[ts, ts + step)`: min, max and mean of the readings in it. */
export interface TelemetryBucket { ts: number; min: number; max: number; mean: number; count: number }

/** Filter of `records`: a time range, resumable after a (ts, seq) position. */
export interface RecordQuery {
  from?: number;
  to?: number;
  /** Start strictly after this position (paging). */
  after?: { ts: number; seq: number };
  /** Only records numbered at most this (a consistent view while others append). */
  maxSeq?: number;
  /** At most this many; default 10,000. */
  limit?: number;
}

/** Counts for `/healthz`. */
export interface StoreStats { kind: string; location: string; telemetry: number; events: number; snapshots: number; bytes: number | null }

/** The history of the twin: records, keyframes, tokens, audit log, settings. */
export interface Store {
  /** `sqlite`, `postgres`. */
  readonly kind: string;
  /**
   * Stores a batch in one transaction: all or nothing. An identical record
   * (same sensor, ts and value; or the same event) stored before is skipped,
   * so re-sending a batch is harmless. `audit` entries commit with it.
   * Snapshots a new record invalidates (those at or after its ts) are dropped.
   */
  append(batch: readonly TwinRecord[], audit?: readonly AuditEntry[]): Promise<AppendResult>;
  /** Events in (ts, seq) order. */
  events(q: EventQuery): Promise<StoredRecord<EventRecord>[]>;
  /** Readings of one sensor in (ts, seq) order. */
  telemetry(q: TelemetryQuery): Promise<StoredRecord<TelemetryRecord>[]>;
  /** Readings of one sensor down-sampled to buckets of `stepMs` from `from`; empty buckets are left out. */
  telemetryBuckets(q: { sensor: string; from: number; to: number; stepMs: number }): Promise<TelemetryBucket[]>;
  /** Readings and events together in (ts, seq) order: what replay folds. */
  records(q: RecordQuery): Promise<StoredRecord[]>;
  /**
   * Records numbered after `afterSeq`, in seq order, at most `limit`
   * (default 10,000): what a cluster's leader folds as every node appends.
   * Seqs are dense and handed out in commit order, so the answer runs on
   * from `afterSeq` without a hole and no record numbered within it can
   * appear later.
   */
  tail(afterSeq: number, limit?: number): Promise<StoredRecord[]>;
  /** Earliest and latest ts stored, or null when empty. */
  timeRange(): Promise<{ from: number; to: number } | null>;

  /** The seq of the latest stored record, 0 when empty. */
  lastSeq(): Promise<number>;

  /**
   * Saves a snapshot unless a record with `ts ≤ s.ts` was stored after
   * `s.seq` (the snapshot would miss it): then it saves nothing and says false.
   */
  saveSnapshot(s: Snapshot): Promise<boolean>;
  /** The latest snapshot with `ts ≤ at`, or null. */
  snapshotAtOrBefore(at: number): Promise<Snapshot | null>;

  addToken(t: TokenRow): Promise<void>;
  findToken(hash: string): Promise<TokenRow | null>;
  listTokens(): Promise<TokenRow[]>;
  /** Revokes a token; false when there was none with that hash. */
  removeToken(hash: string): Promise<boolean>;

  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** Audit entries in time order, the earliest first. */
  auditLog(q: { from?: number; to?: number; limit?: number }): Promise<AuditEntry[]>;

  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;

  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** Pages through `records` in (ts, seq) order, `pageSize` at a time, so a long replay never holds the whole range. */
export async function* iterateRecords(store: Store, q: Omit<RecordQuery, 'after' | 'limit'>, pageSize = 10_000): AsyncGenerator<StoredRecord[]> {
  let after: RecordQuery['after'];
  for (;;) {
    const page = await store.records({ ...q, ...(after ? { after } : {}), limit: pageSize });
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { ts: last.record.ts, seq: last.seq };
  }
}
