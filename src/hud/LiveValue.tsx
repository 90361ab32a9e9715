// A live reading in a panel, written through a ref when the live buffer
// changes: telemetry never re-renders React. Sensors show their latest
// value (marked stale after 15 min), zones their temperature as metrics §1
// defines it, doors and cameras their state.
import { useEffect, useRef } from 'react';
import type { FacilityIndex } from '../core/facility/model.ts';
import { live, serverNow, STALE_AFTER_MS, subscribeLive, zoneTemperature, type LiveBuffer } from '../state/live.ts';
import { useTwin } from '../state/store.ts';

const DOOR_STATES = ['closed', 'open', 'held open', 'forced'];

/** What a live value shows, and whether it is stale. */
export interface LiveText { text: string; stale: boolean }

export type LiveKind = 'sensor' | 'zone' | 'door' | 'camera';

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

/** Temperature sensor slots of a zone (empty when it has none). */
export function zoneTemperatureSlots(ix: FacilityIndex | null, zoneId: string): number[] {
  if (!ix) return [];
  return (ix.sensorsByZone.get(zoneId) ?? []).filter((s) => s.kind === 'temperature').map((s) => ix.sensorSlot.get(s.id)!);
}

/** The text of a live value now. `zoneSlots` are the zone's temperature sensor slots (kind 'zone'). */
export function liveText(buf: LiveBuffer | null, kind: LiveKind, id: string, unit: string, zoneSlots: readonly number[] = [], nowMs = serverNow()): LiveText {
  if (!buf) return { text: '—', stale: false };
  switch (kind) {
    case 'sensor': {
      const s = buf.sensorSlot.get(id);
      const v = s === undefined ? Number.NaN : buf.values[s]!;
      if (!Number.isFinite(v)) return { text: 'no data yet', stale: false };
      const stale = !(nowMs - buf.timestamps[s!]! < STALE_AFTER_MS);
      return { text: `${num(v)}${unit ? ` ${unit}` : ''}${stale ? ' (stale)' : ''}`, stale };
    }
    case 'zone': {
      if (zoneSlots.length === 0) return { text: 'no temperature sensor', stale: false };
      const t = zoneTemperature(buf, zoneSlots, nowMs);
      return Number.isFinite(t) ? { text: `${num(t)} °C`, stale: false } : { text: 'no reading in 15 min', stale: true };
    }
    case 'door': {
      const s = buf.doorSlot.get(id);
      return { text: s === undefined ? '—' : DOOR_STATES[buf.doors[s]!] ?? '—', stale: false };
    }
    case 'camera': {
      const s = buf.cameraSlot.get(id);
      return { text: s === undefined ? '—' : buf.cameraOnline[s] ? 'online' : 'offline', stale: false };
    }
  }
}

export function LiveValue({ kind, id, unit = '' }: { kind: LiveKind; id: string; unit?: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const slots = kind === 'zone' ? zoneTemperatureSlots(useTwin.getState().index, id) : [];
    const write = () => {
      const el = ref.current;
      if (!el) return;
      const t = liveText(live.buffer, kind, id, unit, slots);
      if (el.textContent !== t.text) el.textContent = t.text;
      el.classList.toggle('stale', t.stale);
    };
    write();
    return subscribeLive(write);
  }, [kind, id, unit]);
  return <span ref={ref} className="live" data-live={id} />;
}
