// The left sidebar's tabs: the layer toggles, or the facility figures.
import { useTwin } from '../../state/store.ts';
import type { SidebarTab } from '../../state/metrics.ts';
import './figures.css';

const TABS: { id: SidebarTab; label: string }[] = [{ id: 'layers', label: 'Layers' }, { id: 'figures', label: 'Figures' }];

export function SidebarTabs() {
  const tab = useTwin((s) => s.sidebarTab);
  const setTab = useTwin((s) => s.setSidebarTab);
  return (
    <div className="side-tabs" role="tablist" aria-label="Sidebar">
      {TABS.map((t) => (
        <button key={t.id} type="button" role="tab" data-tab={t.id} aria-selected={tab === t.id} onClick={() => setTab(t.id)}>{t.label}</button>
      ))}
    </div>
  );
}
