// Runs the tour: feeds the pure sequencer with time (one timer, set to its
// next deadline) and with the alarm slice's news (raised, acknowledged,
// resolved), publishes what is on screen to the tour store, and moves the
// view for each new phase. Everything it starts, `stop()` ends.
import type { ClientAlarm } from '../../state/alarms.ts';
import { useTwin } from '../../state/store.ts';
import { loopOrder, type TourPlan, type TourStop } from './plan.ts';
import { nextDeadline, reduceTour, shownAlarm, startTour, type SequencerConfig, type TourEvent, type TourState } from './sequencer.ts';
import { HISTORY_SIZE, useTour, type PhaseRecord } from './tourStore.ts';
import { fetchZoneSeries } from './tourData.ts';
import { cancelPendingFlight, showAlarmDoor, showStop } from './view.ts';

/** Longest single timer, ms: the sequencer is asked again at least this often. */
const MAX_TIMER_MS = 60_000;

/** A running tour. */
export interface Director {
  /** The sequencer's state (tests). */
  state(): TourState;
  /** Ends timers and subscriptions. */
  stop(): void;
}

/** Starts the tour of `plan` now. */
export function startDirector(plan: TourPlan, clock: () => number = Date.now): Director {
  // The order of the current and the previous loop (a resume may reach back one loop).
  const orders = new Map<number, number[]>();
  const orderOf = (loop: number): number[] => {
    let o = orders.get(loop);
    if (!o) {
      o = loopOrder(plan, loop);
      orders.set(loop, o);
      for (const k of orders.keys()) if (k < loop - 1) orders.delete(k);
    }
    return o;
  };
  const stopAt = (loop: number, pos: number): TourStop => plan.stops[orderOf(loop)[pos]!]!;
  const cfg: SequencerConfig = { count: plan.stops.length, dwellMs: (loop, pos) => stopAt(loop, pos).dwellMs, alarmTimeoutMs: plan.alarmTimeoutMs };

  let state = startTour(cfg, clock());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let zoneAbort: AbortController | null = null;
  let stopped = false;

  const loadZone = (stop: TourStop) => {
    zoneAbort?.abort();
    zoneAbort = null;
    const period = useTour.getState().figures.period;
    const ix = useTwin.getState().index;
    if (stop.kind !== 'zone' || !stop.id || !period || !ix) return;
    const a = new AbortController();
    zoneAbort = a;
    void fetchZoneSeries(ix, stop.id, period.from, period.to, a.signal).then((zoneSeries) => {
      if (!a.signal.aborted) useTour.setState({ zoneSeries });
    }, () => {});
  };

  const alarmInfo = (id: string, prev: ReturnType<typeof useTour.getState>['alarm']) => {
    const a: ClientAlarm | undefined = useTwin.getState().alarms[id];
    const p = state.phase;
    if (p.kind !== 'alarm') return null;
    const kept = prev && prev.alarm.id === id ? prev.alarm : null;
    const alarm = a ?? kept;
    if (!alarm) return null;
    const st = !a ? 'resolved' as const : a.acknowledgedAt !== null ? 'acknowledged' as const : 'open' as const;
    return { alarm, state: st, since: p.since, until: p.until };
  };

  /** Publishes the state; moves the view when a new phase began. */
  const publish = (prev: TourState | null) => {
    const p = state.phase;
    const loc = p.kind === 'stop' ? { loop: p.loop, pos: p.pos } : { loop: p.resume.loop, pos: p.resume.pos };
    const stop = stopAt(loc.loop, loc.pos);
    const alarmId = shownAlarm(state);
    useTour.setState((t) => ({
      seq: state, stop, position: { ...loc, count: plan.stops.length },
      alarm: alarmId ? alarmInfo(alarmId, t.alarm) : null,
    }));
    if (prev && prev.step === state.step) return;
    const rec: PhaseRecord = { step: state.step, phase: p.kind, key: p.kind === 'alarm' ? p.alarmId : stop.key, at: p.since };
    useTour.setState((t) => ({ history: [...t.history.slice(-(HISTORY_SIZE - 1)), rec] }));
    if (p.kind === 'alarm') {
      const a = useTour.getState().alarm;
      if (a) showAlarmDoor(a.alarm.door);
      return;
    }
    showStop(stop);
    if (stop.kind === 'zone') loadZone(stop);
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, nextDeadline(state) - clock()));
    timer = setTimeout(() => { timer = null; dispatch({ type: 'tick', now: clock() }); }, wait);
  };

  const dispatch = (e: TourEvent) => {
    if (stopped) return;
    const next = reduceTour(cfg, state, e);
    if (next !== state) {
      const prev = state;
      state = next;
      publish(prev);
    }
    schedule();
  };

  // Alarms: known ids (open now); a new one counts as raised when the slice announced it (not the first snapshot).
  const known = new Set<string>(Object.keys(useTwin.getState().alarms));
  const unsubAlarms = useTwin.subscribe((s, prev) => {
    if (s.alarms === prev.alarms) return;
    const announced = s.alarmPulse !== prev.alarmPulse;
    const raised: ClientAlarm[] = [];
    for (const a of s.alarmList) {
      if (known.has(a.id)) continue;
      known.add(a.id);
      if (announced && a.acknowledgedAt === null && (plan.alarmKinds === null || plan.alarmKinds.includes(a.kind))) raised.push(a);
    }
    for (const id of known) if (!Object.hasOwn(s.alarms, id)) known.delete(id);
    const now = clock();
    raised.sort((a, b) => a.onset - b.onset || (a.id < b.id ? -1 : 1));
    for (const a of raised) dispatch({ type: 'raised', id: a.id, now });
    // Acknowledged or resolved by anyone: the card (or its place in the queue) goes.
    const watched = [shownAlarm(state), ...state.queue].filter((x): x is string => x !== null);
    for (const id of watched) {
      const a = s.alarms[id];
      if (!a || a.acknowledgedAt !== null) dispatch({ type: 'cleared', id, now });
    }
    // The card follows the alarm's state even while it stays up.
    const shown = shownAlarm(state);
    if (shown) useTour.setState((t) => ({ alarm: alarmInfo(shown, t.alarm) }));
  });
  // A zone stop shown before the figures came fetches its line when they do.
  const unsubFigures = useTour.subscribe((t, prev) => {
    if (t.figures.period !== prev.figures.period && t.stop?.kind === 'zone' && state.phase.kind === 'stop') loadZone(t.stop);
  });

  publish(null);
  schedule();

  return {
    state: () => state,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      zoneAbort?.abort();
      unsubAlarms();
      unsubFigures();
      cancelPendingFlight();
    },
  };
}
