// The hover tooltip: follows the pointer over pickable things, with the live
// value of what it is over (a sensor's reading, a zone's temperature, a
// door's or camera's state). Written through its ref from the hover and
// live modules, never through React state.
import { useEffect, useRef } from 'react';
import { hover, subscribeHover } from '../state/hover.ts';
import { live, subscribeLive } from '../state/live.ts';
import { useTwin } from '../state/store.ts';
import { entityName, KIND_LABELS } from '../app/searchIndex.ts';
import { liveText, zoneTemperatureSlots, type LiveKind } from './LiveValue.tsx';

export function Tooltip() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let value: HTMLSpanElement | null = null;
    let what: { kind: LiveKind; id: string; unit: string; slots: number[] } | null = null;
    const writeValue = () => {
      if (!value) return;
      const t = what ? liveText(live.buffer, what.kind, what.id, what.unit, what.slots).text : '';
      if (value.textContent !== t) value.textContent = t;
    };
    const stopHover = subscribeHover((idChanged) => {
      const el = ref.current;
      const ix = useTwin.getState().index;
      if (!el) return;
      if (!hover.id || !ix) { el.hidden = true; what = null; return; }
      if (idChanged) {
        const e = ix.byId.get(hover.id);
        el.textContent = '';
        const k = document.createElement('span');
        k.className = 'tip-kind';
        k.textContent = e ? KIND_LABELS[e.kind] : '';
        const n = document.createElement('span');
        n.textContent = `${hover.id} · ${entityName(ix, hover.id)}`;
        value = document.createElement('span');
        value.className = 'tip-live';
        el.append(k, n, value);
        what = null;
        if (e?.kind === 'sensor') what = { kind: 'sensor', id: hover.id, unit: e.item.unit, slots: [] };
        else if (e?.kind === 'zone' && e.item.temperature) what = { kind: 'zone', id: hover.id, unit: '°C', slots: zoneTemperatureSlots(ix, hover.id) };
        else if (e?.kind === 'door') what = { kind: 'door', id: hover.id, unit: '', slots: [] };
        else if (e?.kind === 'camera') what = { kind: 'camera', id: hover.id, unit: '', slots: [] };
        writeValue();
      }
      el.hidden = false;
      el.style.transform = `translate(${hover.x + 14}px, ${hover.y + 16}px)`;
    });
    const stopLive = subscribeLive(() => { if (what) writeValue(); });
    return () => { stopHover(); stopLive(); };
  }, []);
  return <div ref={ref} className="tooltip" hidden />;
}
