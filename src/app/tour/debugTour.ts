// What browser tests and the soak benchmark read from the tour, added to
// `window.__twinspace` (app/debug.ts) by module augmentation: the tour's
// position and what it shows, and the memory figures that must stay flat
// over weeks (renderer.info.memory, the JS heap where Chromium tells it).
import { debug } from '../debug.ts';
import { useTour, type PhaseRecord } from './tourStore.ts';

/** The tour as tests see it. */
export interface TourDebug {
  /** Phases begun so far (stops, alarm cards, resumes). */
  step: number;
  phase: 'stop' | 'alarm' | 'none';
  /** The stop on screen or being resumed after the alarm. */
  stopKey: string | null;
  title: string | null;
  pos: number;
  loop: number;
  count: number;
  alarmId: string | null;
  queued: number;
  /** Ends of the phase, browser ms. */
  since: number;
  until: number;
  /** The last phases begun, oldest first. */
  history: PhaseRecord[];
}

/** Memory held: three's geometries, textures and shader programs, and the JS heap (Chromium's non-standard `performance.memory`, else null). */
export interface MemoryDebug { geometries: number; textures: number; programs: number; jsHeapUsed: number | null; jsHeapTotal: number | null }

declare module '../debug.ts' {
  interface TwinspaceDebug {
    /** The tour (tour mode only). */
    tour?: () => TourDebug;
    /** Renderer and JS heap memory (tour mode only). */
    memory?: () => MemoryDebug;
  }
}

interface ChromeMemory { usedJSHeapSize: number; totalJSHeapSize: number }

/** Installs `__twinspace.tour()` and `__twinspace.memory()`; returns the undo. */
export function installTourDebug(): () => void {
  debug.tour = () => {
    const t = useTour.getState();
    const p = t.seq?.phase;
    return {
      step: t.seq?.step ?? 0, phase: p?.kind ?? 'none', stopKey: t.stop?.key ?? null, title: t.stop?.title ?? null,
      pos: t.position?.pos ?? -1, loop: t.position?.loop ?? -1, count: t.position?.count ?? 0,
      alarmId: p?.kind === 'alarm' ? p.alarmId : null, queued: t.seq?.queue.length ?? 0, since: p?.since ?? 0, until: p?.until ?? 0, history: t.history.slice(),
    };
  };
  debug.memory = () => {
    const i = debug.info();
    const m = (performance as Performance & { memory?: ChromeMemory }).memory;
    return {
      geometries: i?.geometries ?? -1, textures: i?.textures ?? -1, programs: i?.programs ?? -1,
      jsHeapUsed: m ? m.usedJSHeapSize : null, jsHeapTotal: m ? m.totalJSHeapSize : null,
    };
  };
  return () => { delete debug.tour; delete debug.memory; };
}
