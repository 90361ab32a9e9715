// The inspector: what the selected entity is and what it relates to. Every
// relation is a link that selects it and flies there.
import type { ReactNode } from 'react';
import type { FacilityIndex } from '../core/facility/model.ts';
import type { Camera, Door, Floor, HvacUnit, Sensor, Zone } from '../core/facility/schema.ts';
import { polygonArea } from '../core/geometry.ts';
import { useTwin } from '../state/store.ts';
import { detectionRange, type CameraZoneRelations } from '../state/relations.ts';
import { useRenderCount } from '../app/debug.ts';
import { selectEntity } from '../app/commands.ts';
import { entityName, KIND_LABELS, type EntityKind } from '../app/searchIndex.ts';
import { SENSOR_KIND_LABELS, ZONE_KIND_LABELS } from '../scene/palette.ts';
import { LiveValue } from './LiveValue.tsx';
import { CameraZones, WhatIfControls, ZoneCameras, ZoneFigures } from './figures/InspectorFigures.tsx';

function Link({ ix, id, name, extra }: { ix: FacilityIndex; id: string; name?: string | undefined; extra?: ReactNode }) {
  if (!ix.byId.has(id)) return <li className="rel"><span className="muted">{id}</span></li>;
  return (
    <li className="rel">
      <button type="button" className="link" data-rel={id} onClick={() => selectEntity(id)} title={`${id} · ${entityName(ix, id)}`}>
        <span className="rel-id">{id}</span>
        <span className="rel-name">{name ?? entityName(ix, id)}</span>
      </button>
      {extra}
    </li>
  );
}

function Section({ title, count, children, note }: { title: string; count?: number; children: ReactNode; note?: string }) {
  return (
    <section className="section">
      <h3>{title}{count !== undefined && <span className="count">{count}</span>}</h3>
      {note && <p className="note">{note}</p>}
      {children}
    </section>
  );
}

function Facts({ rows }: { rows: Array<[string, ReactNode] | null | false | undefined> }) {
  return (
    <dl className="facts">
      {rows.filter((r): r is [string, ReactNode] => Boolean(r)).map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

function Links({ ix, ids, empty, extra, nameOf }: { ix: FacilityIndex; ids: readonly string[]; empty: string; extra?: (id: string) => ReactNode; nameOf?: (id: string) => string }) {
  if (ids.length === 0) return <p className="muted">{empty}</p>;
  return <ul className="rels">{ids.map((id) => <Link key={id} ix={ix} id={id} name={nameOf?.(id)} extra={extra?.(id)} />)}</ul>;
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

function ZoneBody({ ix, zone, floor, rel }: { ix: FacilityIndex; zone: Zone; floor: Floor; rel: CameraZoneRelations }) {
  const sensors = ix.sensorsByZone.get(zone.id) ?? [];
  const doors = ix.doorsByZone.get(zone.id) ?? [];
  const cams = rel.camerasByZone.get(zone.id) ?? [];
  const units = ix.hvacByZone.get(zone.id) ?? [];
  const t = zone.temperature, cov = zone.coverage;
  return (
    <>
      <Facts rows={[
        ['Kind', ZONE_KIND_LABELS[zone.kind]],
        ['Floor', `${floor.name} (${floor.id})`],
        ['Area', `${f1(polygonArea(zone.polygon))} m²`],
        ['Critical', zone.critical ? 'yes' : 'no'],
        zone.isoClass !== undefined && ['Clean room class', `ISO ${zone.isoClass}`],
        t && ['Temperature spec', `${t.setpoint} ± ${t.tolerance} °C${t.alarmDelayMinutes ? `, alarm after ${t.alarmDelayMinutes} min` : ''}`],
        t && ['Temperature now', <LiveValue key="t" kind="zone" id={zone.id} />],
        cov && ['Coverage needed', `${cov.required}, ${Math.round(cov.target * 100)} % of area`],
      ]} />
      <Section title="Sensors" count={sensors.length}>
        <Links
          ix={ix} ids={sensors.map((s) => s.id)} empty="No sensors."
          nameOf={(id) => { const k = ix.sensors.get(id)?.sensor.kind; return k ? SENSOR_KIND_LABELS[k] : id; }}
          extra={(id) => <LiveValue kind="sensor" id={id} unit={ix.sensors.get(id)?.sensor.unit ?? ''} />}
        />
      </Section>
      <Section title="Doors" count={doors.length}>
        <Links ix={ix} ids={doors.map((d) => d.id)} empty="No doors." extra={(id) => (ix.doors.get(id)?.door.reader ? <span className="badge">reader</span> : null)} />
      </Section>
      <ZoneFigures zone={zone} />
      <ZoneCameras ix={ix} zoneId={zone.id} estimate={cams} />
      <Section title="HVAC" count={units.length}>
        <Links ix={ix} ids={units.map((u) => u.id)} empty="No HVAC unit serves this zone." />
      </Section>
    </>
  );
}

function CameraBody({ ix, camera, floor, rel }: { ix: FacilityIndex; camera: Camera; floor: Floor; rel: CameraZoneRelations }) {
  const zones = rel.zonesByCamera.get(camera.id) ?? [];
  return (
    <>
      <Facts rows={[
        ['Model', [camera.manufacturer, camera.model].filter(Boolean).join(' ') || '—'],
        ['Resolution', `${camera.resolution[0]} × ${camera.resolution[1]} px`],
        ['Field of view', `${f1(camera.hfov)}° × ${f1(camera.vfov)}°`],
        ['Mount', `${f1(camera.mountHeight)} m, heading ${f1(camera.yaw)}°, tilt ${f1(camera.tilt)}°`],
        ['Detection range', `${f1(detectionRange(camera))} m (25 px/m)`],
        ['Floor', `${floor.name} (${floor.id})`],
        camera.ndaaCompliant !== undefined && ['NDAA 889', camera.ndaaCompliant ? 'compliant' : 'not compliant'],
        ['Status', <LiveValue key="s" kind="camera" id={camera.id} />],
      ]} />
      <CameraZones ix={ix} cameraId={camera.id} estimate={zones} />
      <WhatIfControls camera={camera} />
    </>
  );
}

function DoorBody({ ix, door, floor }: { ix: FacilityIndex; door: Door; floor: Floor }) {
  return (
    <>
      <Facts rows={[
        ['Card reader', door.reader ? 'yes' : 'no'],
        ['Held-open alarm after', `${door.heldOpenSeconds} s`],
        ['Width', `${f1(door.width)} m`],
        ['Floor', `${floor.name} (${floor.id})`],
        ['State', <LiveValue key="s" kind="door" id={door.id} />],
      ]} />
      <Section title="Between">
        <ul className="rels">
          {door.zones.map((z, i) => (z === 'outside' ? <li key={`o${i}`} className="rel"><span className="muted">outside</span></li> : <Link key={z} ix={ix} id={z} />))}
        </ul>
      </Section>
    </>
  );
}

function SensorBody({ ix, sensor, floor }: { ix: FacilityIndex; sensor: Sensor; floor: Floor }) {
  return (
    <>
      <Facts rows={[
        ['Kind', SENSOR_KIND_LABELS[sensor.kind]],
        ['Unit', sensor.unit || '—'],
        ['Reading', <LiveValue key="v" kind="sensor" id={sensor.id} unit={sensor.unit} />],
        ['Floor', `${floor.name} (${floor.id})`],
        sensor.position && ['Position', `${sensor.position.map(f1).join(', ')} m`],
      ]} />
      <Section title="Zone"><Links ix={ix} ids={[sensor.zone]} empty="—" /></Section>
      <Section title="HVAC unit"><Links ix={ix} ids={sensor.hvacUnit ? [sensor.hvacUnit] : []} empty="Not part of an HVAC unit." /></Section>
    </>
  );
}

function HvacBody({ ix, unit }: { ix: FacilityIndex; unit: HvacUnit }) {
  const sensors = ix.sensorIds.filter((id) => ix.sensors.get(id)?.sensor.hvacUnit === unit.id);
  return (
    <>
      <Facts rows={[['Kind', unit.kind ?? '—'], ['Serves', `${unit.serves.length} zones`]]} />
      <Section title="Zones served" count={unit.serves.length}><Links ix={ix} ids={unit.serves} empty="—" /></Section>
      <Section title="Unit sensors" count={sensors.length}><Links ix={ix} ids={sensors} empty="No sensors belong to this unit." /></Section>
    </>
  );
}

function FloorBody({ floor }: { floor: Floor }) {
  return (
    <Facts rows={[
      ['Elevation', `${f1(floor.elevation)} m`], ['Height', `${f1(floor.height)} m`],
      ['Zones', floor.zones.length], ['Doors', floor.doors.length], ['Cameras', floor.cameras.length], ['Sensors', floor.sensors.length],
    ]} />
  );
}

export function Inspector() {
  useRenderCount('Inspector');
  const selected = useTwin((s) => s.selected);
  const ix = useTwin((s) => s.index);
  const rel = useTwin((s) => s.relations);
  if (!selected || !ix || !rel) return null;
  const e = ix.byId.get(selected);
  if (!e) return null;
  const kind: EntityKind = e.kind;
  let body: ReactNode;
  switch (e.kind) {
    case 'zone': body = <ZoneBody ix={ix} zone={e.item} floor={e.floor} rel={rel} />; break;
    case 'camera': body = <CameraBody ix={ix} camera={e.item} floor={e.floor} rel={rel} />; break;
    case 'door': body = <DoorBody ix={ix} door={e.item} floor={e.floor} />; break;
    case 'sensor': body = <SensorBody ix={ix} sensor={e.item} floor={e.floor} />; break;
    case 'hvac': body = <HvacBody ix={ix} unit={e.item} />; break;
    case 'floor': body = <FloorBody floor={e.item} />; break;
  }
  return (
    <aside className="panel inspector" aria-label="Inspector" data-selected={selected} data-kind={kind}>
      <header className="inspector-head">
        <span className={`kind kind-${kind}`}>{KIND_LABELS[kind]}</span>
        <h2 className="title">{entityName(ix, selected)}</h2>
        <code className="id">{selected}</code>
        <div className="actions">
          <button type="button" onClick={() => selectEntity(selected)} title="Fly to (F)">Fly to</button>
          <button type="button" className="close" onClick={() => selectEntity(null, false)} aria-label="Close inspector" title="Clear selection (Esc)">×</button>
        </div>
      </header>
      <div className="inspector-body">{body}</div>
    </aside>
  );
}
