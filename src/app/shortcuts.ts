// Keyboard shortcuts: one table drives both the handler and the help overlay.
import type { LayerId } from '../state/store.ts';
import { cycleFloorMode, flyToSelection, frameAll, frameFloor, selectEntity, setActiveFloor, stepFloor, toggleLayer, toggleViewMode } from './commands.ts';
import { useTwin } from '../state/store.ts';
import { beginBookmark, closeBookmarkPanel, useBookmarkPanel } from '../state/timeline.ts';

export interface Shortcut { keys: string[]; label: string; group: 'Find and select' | 'View' | 'Floors' | 'Timeline' | 'Layers'; run: () => void; layer?: LayerId }

const layer = (keys: string, id: LayerId, label: string): Shortcut => ({ keys: [keys], label: `Toggle ${label}`, group: 'Layers', run: () => toggleLayer(id), layer: id });

/** The shortcuts, in help order. Keys are `KeyboardEvent.key` values ("Ctrl+k" for chords). */
export const SHORTCUTS: Shortcut[] = [
  { keys: ['/', 'Ctrl+k'], label: 'Find a zone, door, camera, sensor or HVAC unit', group: 'Find and select', run: () => useTwin.getState().setSearchOpen(true) },
  { keys: ['f'], label: 'Fly to the selection', group: 'Find and select', run: flyToSelection },
  { keys: ['Escape'], label: 'Close a panel, else clear the selection', group: 'Find and select', run: () => selectEntity(null, false) },
  { keys: ['?'], label: 'Show or hide this help', group: 'Find and select', run: () => { const s = useTwin.getState(); s.setHelpOpen(!s.helpOpen); } },
  { keys: ['a'], label: 'Frame all', group: 'View', run: frameAll },
  { keys: ['g'], label: 'Frame the active floor', group: 'View', run: frameFloor },
  { keys: ['p'], label: '3D / plan view', group: 'View', run: toggleViewMode },
  { keys: ['m'], label: 'Floors: single → stacked → exploded', group: 'Floors', run: cycleFloorMode },
  { keys: ['PageUp', ']'], label: 'Floor up', group: 'Floors', run: () => stepFloor(1) },
  { keys: ['PageDown', '['], label: 'Floor down', group: 'Floors', run: () => stepFloor(-1) },
  { keys: ['1 … 9'], label: 'Go to floor n (from the lowest)', group: 'Floors', run: () => {} },
  { keys: ['b'], label: 'Bookmark this moment with a note', group: 'Timeline', run: beginBookmark },
  layer('z', 'zones', 'zones'),
  layer('t', 'temperature', 'zone temperature colours'),
  layer('v', 'volumes', 'zone volumes'),
  layer('w', 'walls', 'walls'),
  layer('h', 'hvac', 'HVAC zones'),
  layer('d', 'doors', 'doors'),
  layer('c', 'cameras', 'cameras'),
  layer('x', 'frusta', 'camera view cones'),
  layer('s', 'sensors', 'sensors'),
  layer('l', 'labels', 'labels'),
  layer('o', 'coverage', 'camera coverage'),
];

/** The chord string of a key event: "Ctrl+k", "?", "PageUp". */
export function chordOf(e: KeyboardEvent): string {
  const key = e.key.length === 1 ? e.key.toLowerCase() === e.key.toUpperCase() ? e.key : e.key.toLowerCase() : e.key;
  return (e.ctrlKey || e.metaKey) && key.length === 1 ? `Ctrl+${key}` : key;
}

/** Handles a global key press; true when it was a shortcut. Ignored while typing in a field. */
export function handleShortcut(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  const typing = t && (t.tagName === 'TEXTAREA' || t.isContentEditable || (t instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(t.type)));
  if (typing) return false;
  if (e.altKey) return false;
  const chord = chordOf(e);
  const s = useTwin.getState();
  if (chord === 'Escape' && (s.helpOpen || s.searchOpen)) { s.setHelpOpen(false); s.setSearchOpen(false); return true; }
  if (chord === 'Escape' && useBookmarkPanel.getState().panel) { closeBookmarkPanel(); return true; }
  if (!e.ctrlKey && !e.metaKey && /^[1-9]$/.test(chord)) {
    const f = s.floors[Number(chord) - 1];
    if (f) setActiveFloor(f.id);
    return Boolean(f);
  }
  const sc = SHORTCUTS.find((x) => x.keys.includes(chord));
  if (!sc) return false;
  if ((e.ctrlKey || e.metaKey) && !chord.startsWith('Ctrl+')) return false;
  sc.run();
  return true;
}
