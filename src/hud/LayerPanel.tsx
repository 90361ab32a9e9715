// Layer toggles with their legends (only the kinds this facility has).
import { useMemo } from 'react';
import { SENSOR_KINDS, ZONE_KINDS } from '../core/facility/schema.ts';
import { LAYER_IDS, useTwin, type LayerId } from '../state/store.ts';
import { useRenderCount } from '../app/debug.ts';
import { CAMERA_COLORS, DOOR_COLORS, SENSOR_KIND_COLORS, SENSOR_KIND_LABELS, ZONE_KIND_COLORS, ZONE_KIND_LABELS, hvacUnitHex } from '../scene/palette.ts';
import { SHORTCUTS } from '../app/shortcuts.ts';
import { TemperatureLegend } from './TemperatureLegend.tsx';
import { CoverageLegend } from './figures/CoverageLegend.tsx';
import { FiguresPanel } from './figures/FiguresPanel.tsx';
import { SidebarTabs } from './figures/SidebarTabs.tsx';

const LAYER_LABELS: Record<LayerId, string> = {
  zones: 'Zones', temperature: 'Temperature vs spec', volumes: 'Zone volumes', walls: 'Walls', hvac: 'HVAC zones', doors: 'Doors', cameras: 'Cameras',
  frusta: 'Camera views', sensors: 'Sensors', labels: 'Labels', coverage: 'Coverage',
};

function keyOf(id: LayerId): string {
  return SHORTCUTS.find((s) => s.layer === id)?.keys[0] ?? '';
}

function Swatch({ color, label }: { color: string; label: string }) {
  return <li title={label}><span className="swatch" style={{ background: color }} />{label}</li>;
}

export function LayerPanel() {
  useRenderCount('LayerPanel');
  const layers = useTwin((s) => s.layers);
  const toggle = useTwin((s) => s.toggleLayer);
  const index = useTwin((s) => s.index);
  const tab = useTwin((s) => s.sidebarTab);

  const present = useMemo(() => {
    const zoneKinds = new Set<string>(), sensorKinds = new Set<string>();
    for (const f of index?.facility.floors ?? []) {
      for (const z of f.zones) zoneKinds.add(z.kind);
      for (const s of f.sensors) sensorKinds.add(s.kind);
    }
    return {
      zones: ZONE_KINDS.filter((k) => zoneKinds.has(k)),
      sensors: SENSOR_KINDS.filter((k) => sensorKinds.has(k)),
      units: index?.facility.hvacUnits ?? [],
    };
  }, [index]);

  const legend = (id: LayerId) => {
    if (!layers[id]) return null;
    switch (id) {
      case 'zones': return <ul className="legend">{present.zones.map((k) => <Swatch key={k} color={ZONE_KIND_COLORS[k]} label={ZONE_KIND_LABELS[k]} />)}</ul>;
      case 'hvac': return <ul className="legend">{present.units.map((u, i) => <Swatch key={u.id} color={hvacUnitHex(i)} label={u.id} />)}</ul>;
      case 'temperature': return <TemperatureLegend />;
      case 'doors': return <ul className="legend"><Swatch color={DOOR_COLORS.plain} label="Door" /><Swatch color={DOOR_COLORS.reader} label="Reader (with pad)" /><Swatch color={DOOR_COLORS.open} label="Open" /><Swatch color={DOOR_COLORS.held} label="Held open" /><Swatch color={DOOR_COLORS.forced} label="Forced" /></ul>;
      case 'cameras': return <ul className="legend"><Swatch color={CAMERA_COLORS.body} label="Online" /><Swatch color={CAMERA_COLORS.offline} label="Offline" /></ul>;
      case 'sensors': return <ul className="legend">{present.sensors.map((k) => <Swatch key={k} color={SENSOR_KIND_COLORS[k]} label={SENSOR_KIND_LABELS[k]} />)}</ul>;
      case 'coverage': return <CoverageLegend />;
      default: return null;
    }
  };

  if (tab === 'figures') return <FiguresPanel />;
  return (
    <aside className="sidebar layers" aria-label="Layers">
      <SidebarTabs />
      <ul className="layer-list">
        {LAYER_IDS.map((id) => (
          <li key={id}>
            <label>
              <input type="checkbox" data-layer={id} checked={layers[id]} onChange={() => toggle(id)} />
              <span className="layer-name">{LAYER_LABELS[id]}</span>
              <kbd>{keyOf(id)}</kbd>
            </label>
            {legend(id)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
