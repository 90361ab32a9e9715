// Periods and times at the edges of the metrics (metrics.md, interfaces.md):
// epoch milliseconds inside, ISO 8601 UTC strings in every report.

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;

/** One year for annualising, 365 days, in milliseconds (metrics.md §4). */
export const YEAR_MS = 365 * 24 * 60 * MINUTE_MS;

/** A period `[from, to)` in epoch ms; null ends when there is no input to default from. */
export interface Period { from: number | null; to: number | null }

/** ISO 8601 UTC string of epoch ms, e.g. `2026-11-02T08:00:00Z`; milliseconds appear only when non-zero. */
export function toIso(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/** `toIso`, or null for a missing time. */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}

/** The period asked for, each missing end defaulting to the earliest / latest `ts` (epoch ms) of `records`. */
export function resolvePeriod(records: readonly { ts: number }[], from?: number, to?: number): Period {
  let lo = Infinity, hi = -Infinity;
  if (from === undefined || to === undefined) {
    for (const r of records) {
      if (r.ts < lo) lo = r.ts;
      if (r.ts > hi) hi = r.ts;
    }
  }
  return {
    from: from ?? (lo === Infinity ? null : lo),
    to: to ?? (hi === -Infinity ? null : hi),
  };
}
