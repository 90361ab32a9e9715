// What the pointer is over: changes at pointer rate, so it stays out of the
// store and React. The scene's hover highlight and the tooltip subscribe.

/** Told whether the hovered id changed (false: only the pointer moved over the same thing). */
type Listener = (idChanged: boolean) => void;
const listeners = new Set<Listener>();

/** The hovered entity id, or null, and where the pointer was (client px). */
export const hover: { id: string | null; x: number; y: number } = { id: null, x: 0, y: 0 };

/** Sets the hovered entity and pointer position; listeners run on any change. */
export function setHover(id: string | null, x = hover.x, y = hover.y): void {
  if (hover.id === id && hover.x === x && hover.y === y) return;
  const idChanged = hover.id !== id;
  hover.id = id; hover.x = x; hover.y = y;
  for (const fn of listeners) fn(idChanged);
}

/** Calls `fn` on every hover change; returns the unsubscribe. */
export function subscribeHover(fn: Listener): () => void {
  listeners.add(fn);
  return () => { listeners.delete(fn); };
}
