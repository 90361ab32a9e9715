// The tour's stop sequencer, pure: which stop is shown, until when, and how
// alarms preempt it. Time comes in with every event (epoch ms), so tests run
// a week of touring in microseconds and the display needs one timer: at
// `nextDeadline(state)` it sends a tick.
//
// - A stop dwells for its own time, then the next position of the loop
//   follows; after the last, the next loop begins (its order may differ).
// - A raised alarm preempts a stop at once: the display flies to its door and
//   shows its card until it is acknowledged or resolved (by anyone) or until
//   the alarm timeout, and for at least MIN_ALARM_MS so the card is read.
//   Alarms raised meanwhile wait in a bounded queue; one cleared while it
//   waits is dropped. When none is left, the interrupted stop resumes for
//   what was left of its dwell (at least MIN_RESUME_MS or its whole dwell if shorter).

/** Shortest time an alarm card is shown, ms, even when acknowledged at once. */
export const MIN_ALARM_MS = 4_000;
/** Shortest dwell of a resumed stop, ms. */
export const MIN_RESUME_MS = 8_000;
/** Alarms waiting for their card, at most (the oldest is dropped). */
export const MAX_ALARM_QUEUE = 32;

/** What the sequencer needs to know of the tour. */
export interface SequencerConfig {
  /** Stops per loop (≥ 1). */
  count: number;
  /** Dwell of the stop at `pos` of loop `loop`, ms. */
  dwellMs: (loop: number, pos: number) => number;
  /** Longest an alarm holds the display, ms. */
  alarmTimeoutMs: number;
}

/** Where a preempted stop was: resumed with what was left of its dwell. */
export interface Resume { loop: number; pos: number; remainingMs: number }

export type TourPhase =
  | { kind: 'stop'; loop: number; pos: number; since: number; until: number }
  | { kind: 'alarm'; alarmId: string; since: number; until: number; resume: Resume };

export interface TourState {
  phase: TourPhase;
  /** Raised alarms waiting for their card, oldest first. */
  queue: readonly string[];
  /** Phases begun so far (a stop, an alarm or a resume each count one): tests and the display's change detection. */
  step: number;
}

export type TourEvent =
  | { type: 'tick'; now: number }
  /** A new alarm was raised. */
  | { type: 'raised'; id: string; now: number }
  /** An alarm was acknowledged or resolved. */
  | { type: 'cleared'; id: string; now: number };

/** The tour at its first stop. */
export function startTour(cfg: SequencerConfig, now: number): TourState {
  return { phase: { kind: 'stop', loop: 0, pos: 0, since: now, until: now + cfg.dwellMs(0, 0) }, queue: [], step: 1 };
}

/** When the sequencer next changes by time alone, epoch ms. */
export function nextDeadline(s: TourState): number {
  return s.phase.until;
}

function stopAt(cfg: SequencerConfig, loop: number, pos: number, now: number, dwellMs?: number): TourPhase {
  return { kind: 'stop', loop, pos, since: now, until: now + (dwellMs ?? cfg.dwellMs(loop, pos)) };
}

function alarmPhase(cfg: SequencerConfig, id: string, now: number, resume: Resume): TourPhase {
  return { kind: 'alarm', alarmId: id, since: now, until: now + Math.max(cfg.alarmTimeoutMs, MIN_ALARM_MS), resume };
}

/** The next phase once the current one is over at `now`. */
function after(cfg: SequencerConfig, s: TourState, now: number): TourState {
  const p = s.phase;
  if (p.kind === 'stop') {
    const last = p.pos + 1 >= cfg.count;
    return { ...s, phase: stopAt(cfg, last ? p.loop + 1 : p.loop, last ? 0 : p.pos + 1, now), step: s.step + 1 };
  }
  const [next, ...rest] = s.queue;
  if (next !== undefined) return { phase: alarmPhase(cfg, next, now, p.resume), queue: rest, step: s.step + 1 };
  const { loop, pos, remainingMs } = p.resume;
  const full = cfg.dwellMs(loop, pos);
  return { ...s, phase: stopAt(cfg, loop, pos, now, Math.max(remainingMs, Math.min(MIN_RESUME_MS, full))), step: s.step + 1 };
}

/** Folds one event into the state; returns the same object when nothing changed. */
export function reduceTour(cfg: SequencerConfig, s: TourState, e: TourEvent): TourState {
  const p = s.phase;
  switch (e.type) {
    case 'tick':
      // One phase per tick, starting now: a timer that fired late (a throttled tab) costs no stop its dwell.
      return e.now >= p.until ? after(cfg, s, e.now) : s;
    case 'raised': {
      if (p.kind === 'stop') {
        const resume: Resume = { loop: p.loop, pos: p.pos, remainingMs: Math.max(0, p.until - e.now) };
        return { ...s, phase: alarmPhase(cfg, e.id, e.now, resume), step: s.step + 1 };
      }
      if (p.alarmId === e.id || s.queue.includes(e.id)) return s;
      const queue = [...s.queue, e.id];
      return { ...s, queue: queue.length > MAX_ALARM_QUEUE ? queue.slice(queue.length - MAX_ALARM_QUEUE) : queue };
    }
    case 'cleared': {
      if (p.kind === 'alarm' && p.alarmId === e.id) {
        // Shown long enough: move on now; else when the card has been up MIN_ALARM_MS.
        const until = Math.max(e.now, p.since + MIN_ALARM_MS);
        if (until >= p.until) return s;
        const out: TourState = { ...s, phase: { ...p, until } };
        return e.now >= until ? after(cfg, out, e.now) : out;
      }
      return s.queue.includes(e.id) ? { ...s, queue: s.queue.filter((q) => q !== e.id) } : s;
    }
  }
}

/** The alarm shown, or null while touring. */
export function shownAlarm(s: TourState): string | null {
  return s.phase.kind === 'alarm' ? s.phase.alarmId : null;
}
