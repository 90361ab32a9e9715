// Find: a keyboard-driven palette over ids and names. Type, move with the
// arrow keys, Enter flies to the choice and selects it (an alarm: opens its
// incident); Escape closes.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTwin } from '../state/store.ts';
import { fuzzySearch } from '../state/fuzzy.ts';
import { useRenderCount } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { buildAlarmItems, buildSearchItems, KIND_LABELS, type EntityItem } from '../app/searchIndex.ts';
import { openIncident, useTimeline } from '../state/timeline.ts';

const MAX_RESULTS = 40;

function Marked({ text, at }: { text: string; at: readonly number[] }) {
  if (at.length === 0) return <>{text}</>;
  const set = new Set(at);
  return <>{[...text].map((ch, i) => (set.has(i) ? <mark key={i}>{ch}</mark> : ch))}</>;
}

export function SearchPalette() {
  useRenderCount('SearchPalette');
  const open = useTwin((s) => s.searchOpen);
  const setOpen = useTwin((s) => s.setSearchOpen);
  const ix = useTwin((s) => s.index);
  const entities = useMemo<EntityItem[]>(() => (ix ? buildSearchItems(ix) : []), [ix]);
  const openAlarms = useTwin((s) => s.alarms);
  const markers = useTimeline((s) => s.alarmMarkers);
  const items = useMemo<EntityItem[]>(
    () => (ix ? [...entities, ...buildAlarmItems(ix, [...Object.keys(openAlarms), ...Object.keys(markers)])] : entities),
    [ix, entities, openAlarms, markers],
  );
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const hits = useMemo(() => fuzzySearch(query, items, MAX_RESULTS), [query, items]);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  if (!open) return null;
  const close = () => { setOpen(false); setQuery(''); setActive(0); };
  const choose = (item: EntityItem) => { close(); if (item.kind === 'alarm') void openIncident(item.id); else selectEntity(item.id); };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(hits.length - 1, a + 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
    else if (e.key === 'Enter') { e.preventDefault(); const h = hits[active]; if (h) choose(h.item); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
  };

  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div className="dialog search" role="dialog" aria-modal="true" aria-label="Find">
        <input
          ref={input}
          className="search-input"
          type="search"
          placeholder="Find a zone, door, camera, sensor, HVAC unit, alarm…"
          aria-label="Find"
          aria-controls="search-results"
          aria-activedescendant={hits[active] ? `hit-${hits[active].item.id}` : undefined}
          value={query}
          onChange={(e) => { setQuery(e.target.value); setActive(0); }}
          onKeyDown={onKey}
          spellCheck={false}
          autoComplete="off"
        />
        <ul id="search-results" className="results" role="listbox" ref={list}>
          {hits.map((h, i) => (
            <li
              key={h.item.id}
              id={`hit-${h.item.id}`}
              role="option"
              aria-selected={i === active}
              data-id={h.item.id}
              onMouseMove={() => { if (i !== active) setActive(i); }}
              onClick={() => choose(h.item)}
            >
              <span className={`kind kind-${h.item.kind}`}>{KIND_LABELS[h.item.kind]}</span>
              <span className="hit-id"><Marked text={h.item.id} at={h.idPositions} /></span>
              <span className="hit-name"><Marked text={h.item.name} at={h.namePositions} /></span>
              <span className="hit-detail">{h.item.detail}</span>
            </li>
          ))}
        </ul>
        <p className="hint">
          {query && hits.length === 0 ? 'Nothing matches.' : <><kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to fly there · <kbd>Esc</kbd> to close</>}
        </p>
      </div>
    </div>
  );
}
