// One 1 s timer for every live age and status text in the HUD: they are
// written through refs from here, never by React renders.

type Listener = () => void;
const listeners = new Set<Listener>();
let timer: ReturnType<typeof setInterval> | null = null;

/** Interval of the HUD's age and status texts, ms. */
export const TICK_MS = 1_000;

/** Calls `fn` every second (and once now); returns the unsubscribe. */
export function subscribeSecond(fn: Listener): () => void {
  listeners.add(fn);
  timer ??= setInterval(() => { for (const l of listeners) l(); }, TICK_MS);
  fn();
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && timer) { clearInterval(timer); timer = null; }
  };
}

/** A duration as people say it: "4 s", "3 min", "2 h", "5 d" (negative counts as 0). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** A clock time in the browser's zone, "12:04". */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}
