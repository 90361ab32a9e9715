// The tour's own low-rate state (a small zustand store beside the app's):
// the checked plan, the sequencer's state and the stop it shows, the figures
// for the KPI window, and notices about the configuration. The app's store
// keeps the facility, view, live link and alarms as in the console.
import { create } from 'zustand';
import type { TrendPoint } from '../../core/metrics/trend.ts';
import type { ClientAlarm } from '../../state/alarms.ts';
import type { TourMetrics, ZoneSeries } from '../../hud/tour/stopFigures.ts';
import type { TourPlan, TourStop } from './plan.ts';
import type { TourState } from './sequencer.ts';

/** The figures of the KPI window: one GET /api/metrics answer and its trend. */
export interface TourFigures {
  metrics: TourMetrics | null;
  trend: TrendPoint[] | null;
  /** The window `[from, to)`, epoch ms (server clock), or null before the first answer. */
  period: { from: number; to: number } | null;
  /** Browser time of the last good answer. */
  fetchedAt: number | null;
  /** Why the last fetch failed (the previous figures stay up), or null. */
  error: string | null;
}

export interface TourUi {
  plan: TourPlan | null;
  seq: TourState | null;
  /** The stop on screen (or resumed after the alarm), or null before the tour starts. */
  stop: TourStop | null;
  /** Its position in the loop and the loop's length. */
  position: { pos: number; count: number; loop: number } | null;
  figures: TourFigures;
  /** The alarm on screen: as last seen (kept after it is resolved), its state, and when the card gives way at the latest (browser ms). */
  alarm: { alarm: ClientAlarm; state: 'open' | 'acknowledged' | 'resolved'; since: number; until: number } | null;
  /** The latest zone temperature series (the zone stop fetches its own). */
  zoneSeries: ZoneSeries | null;
  /** The last phases begun, oldest first (at most HISTORY_SIZE): tests, and what a maintainer asks. */
  history: PhaseRecord[];
  /** Configuration problems (bad URL values, a refused tour file, unknown stops), shown small in the strip. */
  notices: string[];
}

/** A phase as the history keeps it: a stop's key or an alarm's id, when it began (browser ms). */
export interface PhaseRecord { step: number; phase: 'stop' | 'alarm'; key: string; at: number }

/** Phases kept in the history. */
export const HISTORY_SIZE = 20;

/** The tour's store. */
export const useTour = create<TourUi>()(() => ({
  plan: null,
  seq: null,
  stop: null,
  position: null,
  figures: { metrics: null, trend: null, period: null, fetchedAt: null, error: null },
  alarm: null,
  zoneSeries: null,
  history: [],
  notices: [],
}));
