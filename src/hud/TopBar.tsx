// The bar across the top: facility, floors, floor mode, 3D/plan, framing,
// the live link and alarm sound, find and help.
import { useTwin } from '../state/store.ts';
import { useRenderCount } from '../app/debug.ts';
import { frameAll, frameFloor, setActiveFloor } from '../app/commands.ts';
import type { FloorMode, ViewMode } from '../state/layout.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';

const FLOOR_MODE_LABELS: Record<FloorMode, string> = { single: 'Single', stack: 'Stacked', exploded: 'Exploded' };
const VIEW_LABELS: Record<ViewMode, string> = { '3d': '3D', plan: 'Plan' };

export function TopBar() {
  useRenderCount('TopBar');
  const name = useTwin((s) => s.index?.facility.name ?? '');
  const floors = useTwin((s) => s.floors);
  const activeFloor = useTwin((s) => s.activeFloor);
  const floorMode = useTwin((s) => s.floorMode);
  const viewMode = useTwin((s) => s.viewMode);
  const setFloorMode = useTwin((s) => s.setFloorMode);
  const setViewMode = useTwin((s) => s.setViewMode);
  const setSearchOpen = useTwin((s) => s.setSearchOpen);
  const setHelpOpen = useTwin((s) => s.setHelpOpen);

  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true" />
        <span className="product">Twinspace</span>
        <span className="facility" title={name}>{name}</span>
      </div>
      <nav className="controls" aria-label="View">
        <div className="segmented" role="group" aria-label="Active floor">
          {[...floors].reverse().map((f) => (
            <button key={f.id} type="button" data-floor={f.id} aria-pressed={f.id === activeFloor} onClick={() => setActiveFloor(f.id)} title={`${f.name} (${f.id})`}>
              {f.id}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Floors shown">
          {(Object.keys(FLOOR_MODE_LABELS) as FloorMode[]).map((m) => (
            <button key={m} type="button" data-floor-mode={m} aria-pressed={m === floorMode} disabled={viewMode === 'plan'} onClick={() => setFloorMode(m)}>
              {FLOOR_MODE_LABELS[m]}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="View mode">
          {(Object.keys(VIEW_LABELS) as ViewMode[]).map((m) => (
            <button key={m} type="button" data-view-mode={m} aria-pressed={m === viewMode} onClick={() => setViewMode(m)}>
              {VIEW_LABELS[m]}
            </button>
          ))}
        </div>
        <div className="group">
          <button type="button" onClick={frameAll} title="Frame all (A)">Frame all</button>
          <button type="button" onClick={frameFloor} title="Frame the active floor (G)">Frame floor</button>
        </div>
      </nav>
      <div className="tools">
        <ConnectionStatus />
        <button type="button" className="find" onClick={() => setSearchOpen(true)} title="Find (/ or Ctrl+K)">
          <span>Find…</span><kbd>/</kbd>
        </button>
        <button type="button" className="help" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</button>
      </div>
    </header>
  );
}
