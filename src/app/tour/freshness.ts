// What the display says about its live data, pure: live and how old the
// newest reading is; or, plainly, that there is no live data and since
// when — the link is down (socket.ts retries forever with back-off), the
// feed went quiet, or the readings are too old to hold (metrics.md §1).
import type { Link } from '../../state/alarms.ts';

/** `live`: fresh; `stale`: connected but the data stopped or is old; `down`: no connection; `connecting`: the first connection. */
export type FreshLevel = 'live' | 'stale' | 'down' | 'connecting';

export interface Freshness {
  level: FreshLevel;
  /** The strip's main words: "LIVE" or "NO LIVE DATA — reconnecting since 12:04". */
  headline: string;
  /** Age of the newest reading, as people say it, or "—". */
  dataAge: string;
  /** Epoch ms (browser) the trouble began, or null while live. */
  since: number | null;
}

export interface FreshnessInput {
  link: Link;
  /** Browser clock, epoch ms. */
  now: number;
  /** Browser time of the last live write (frame or state change), or null for none since the page loaded. */
  lastDataAt: number | null;
  /** Newest reading time, server clock (NaN for none). */
  newestReadingAt: number;
  /** Server clock now, epoch ms. */
  serverNow: number;
  /** No live write for this long while connected reads as "no live data", ms. */
  noDataAfterMs: number;
  /** Readings older than this no longer hold, ms (15 min). */
  staleReadingMs: number;
  /** Formats a clock time ("12:04"). */
  clock: (ms: number) => string;
  /** Formats a duration ("4 s", "3 min"). */
  age: (ms: number) => string;
}

/** A first connection that takes longer than this is reported as down, ms. */
export const CONNECT_GRACE_MS = 10_000;

/** What the strip says now. */
export function freshness(i: FreshnessInput): Freshness {
  const ageMs = Number.isFinite(i.newestReadingAt) ? Math.max(0, i.serverNow - i.newestReadingAt) : NaN;
  const dataAge = Number.isFinite(ageMs) ? i.age(ageMs) : '—';
  const { link } = i;
  switch (link.status) {
    case 'connecting':
      if (i.now - link.since < CONNECT_GRACE_MS) return { level: 'connecting', headline: 'Connecting to the live feed…', dataAge, since: null };
      return { level: 'down', headline: `NO LIVE DATA — cannot reach the server since ${i.clock(link.since)}`, dataAge, since: link.since };
    case 'reconnecting':
      return { level: 'down', headline: `NO LIVE DATA — reconnecting since ${i.clock(link.since)}`, dataAge, since: link.since };
    case 'unauthorized':
      return { level: 'down', headline: 'NO LIVE DATA — the server refused this display’s token', dataAge, since: link.since };
    case 'incompatible':
      return { level: 'down', headline: 'NO LIVE DATA — the server runs another version; reload the display', dataAge, since: link.since };
    case 'live': {
      const lastAt = Math.max(i.lastDataAt ?? -Infinity, link.since);
      if (i.now - lastAt > i.noDataAfterMs) {
        const quietSince = i.lastDataAt ?? link.since;
        return { level: 'stale', headline: `NO LIVE DATA — no readings since ${i.clock(quietSince)}`, dataAge, since: quietSince };
      }
      if (!Number.isFinite(ageMs)) return { level: 'live', headline: 'LIVE · waiting for the first reading', dataAge, since: null };
      if (ageMs > i.staleReadingMs) {
        return { level: 'stale', headline: `STALE DATA — newest reading ${dataAge} old`, dataAge, since: i.newestReadingAt - i.serverNow + i.now };
      }
      return { level: 'live', headline: 'LIVE', dataAge, since: null };
    }
  }
}
