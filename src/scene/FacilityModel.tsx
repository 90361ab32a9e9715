// The facility: one FloorView per floor, in elevation order.
import { useTwin } from '../state/store.ts';
import { FloorView } from './FloorView.tsx';

export function FacilityModel() {
  const floors = useTwin((s) => s.floors);
  return <>{floors.map((f) => <FloorView key={f.id} floor={f} />)}</>;
}
