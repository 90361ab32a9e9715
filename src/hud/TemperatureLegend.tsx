// The temperature overlay's legend: the diverging scale from 2 tolerances
// below setpoint to 2 above, and the stale grey.
import { STALE_ZONE_HEX, TEMP_SCALE_STOPS, ZONE_TEMP_MIX } from '../scene/tempScale.ts';
import { SLAB, mixHex } from '../scene/palette.ts';

const GRADIENT = `linear-gradient(to right, ${TEMP_SCALE_STOPS.map((c) => mixHex(SLAB, c, ZONE_TEMP_MIX)).join(', ')})`;

export function TemperatureLegend() {
  return (
    <div className="temp-legend">
      <div className="temp-bar" style={{ background: GRADIENT }} title="Deviation from setpoint, in tolerances: saturates at 2× tolerance" />
      <div className="temp-ticks" aria-hidden="true"><span>−2 tol</span><span>setpoint</span><span>+2 tol</span></div>
      <ul className="legend">
        <li title="No reading in the last 15 min"><span className="swatch" style={{ background: STALE_ZONE_HEX }} />Stale (15 min)</li>
        <li title="Zones without a temperature spec keep their kind colour"><span className="swatch" style={{ background: 'transparent' }} />No spec: kind</li>
      </ul>
    </div>
  );
}
