// What the find palette searches: every zone, door, camera, sensor, HVAC
// unit and floor, with a name to show (sensors have none in the model), and
// the alarms the client knows (open ones, and those of the timeline's range):
// choosing one opens its incident.
import type { FacilityIndex } from '../core/facility/model.ts';
import type { SearchItem } from '../state/fuzzy.ts';
import { SENSOR_KIND_LABELS, ZONE_KIND_LABELS } from '../scene/palette.ts';
import { ALARM_KINDS, type AlarmKind } from '../core/records.ts';
import { ALARM_KIND_LABELS } from '../state/alarms.ts';

export type EntityKind = 'floor' | 'zone' | 'door' | 'camera' | 'sensor' | 'hvac' | 'alarm';

/** A searchable entity: id, display name, kind, and a short detail line. */
export interface EntityItem extends SearchItem { kind: EntityKind; detail: string }

/** Human label of an entity kind. */
export const KIND_LABELS: Record<EntityKind, string> = { floor: 'Floor', zone: 'Zone', door: 'Door', camera: 'Camera', sensor: 'Sensor', hvac: 'HVAC unit', alarm: 'Alarm' };

/** All searchable entities in model order. */
export function buildSearchItems(ix: FacilityIndex): EntityItem[] {
  const out: EntityItem[] = [];
  for (const f of ix.facility.floors) {
    out.push({ id: f.id, name: f.name, kind: 'floor', detail: `${f.zones.length} zones` });
    for (const z of f.zones) out.push({ id: z.id, name: z.name, kind: 'zone', detail: `${ZONE_KIND_LABELS[z.kind]}${z.isoClass ? ` · ISO ${z.isoClass}` : ''} · ${f.name}` });
    for (const d of f.doors) out.push({ id: d.id, name: d.name, kind: 'door', detail: `${d.reader ? 'Reader door' : 'Door'} · ${f.name}` });
    for (const c of f.cameras) out.push({ id: c.id, name: c.name, kind: 'camera', detail: `${c.model ?? 'Camera'} · ${f.name}` });
    for (const s of f.sensors) {
      const zone = ix.zones.get(s.zone)?.zone.name ?? s.zone;
      out.push({ id: s.id, name: `${SENSOR_KIND_LABELS[s.kind]} · ${zone}`, kind: 'sensor', detail: f.name });
    }
  }
  for (const u of ix.facility.hvacUnits) out.push({ id: u.id, name: u.name, kind: 'hvac', detail: `${u.kind ?? 'Unit'} · serves ${u.serves.length} zones` });
  return out;
}

/** Display name of an entity (its name, or for a sensor its kind and zone). */
export function entityName(ix: FacilityIndex, id: string): string {
  const e = ix.byId.get(id);
  if (!e) return id;
  if (e.kind === 'sensor') return `${SENSOR_KIND_LABELS[e.item.kind]} · ${ix.zones.get(e.item.zone)?.zone.name ?? e.item.zone}`;
  return e.item.name || id;
}

/** An alarm id's parts (`<kind>:<door>:<onset ms>`, metrics.md §3), or null when it is not one. */
export function parseAlarmId(id: string): { kind: AlarmKind; door: string; onset: number } | null {
  const a = id.indexOf(':'), b = id.lastIndexOf(':');
  if (a < 0 || b <= a) return null;
  const kind = id.slice(0, a), onset = Number(id.slice(b + 1));
  if (!(ALARM_KINDS as readonly string[]).includes(kind) || !Number.isSafeInteger(onset)) return null;
  return { kind: kind as AlarmKind, door: id.slice(a + 1, b), onset };
}

/** Search items for alarm ids (newest first; unknown doors and malformed ids left out). */
export function buildAlarmItems(ix: FacilityIndex, ids: Iterable<string>): EntityItem[] {
  const out: { item: EntityItem; onset: number }[] = [];
  for (const id of new Set(ids)) {
    const p = parseAlarmId(id);
    const d = p ? ix.doors.get(p.door) : undefined;
    if (!p || !d) continue;
    const onset = new Date(p.onset).toISOString().slice(0, 19).replace('T', ' ');
    out.push({ onset: p.onset, item: { id, name: `${ALARM_KIND_LABELS[p.kind]} · ${d.door.name || p.door}`, kind: 'alarm', detail: `${onset} UTC · ${p.door}` } });
  }
  return out.sort((x, y) => y.onset - x.onset).map((x) => x.item);
}
