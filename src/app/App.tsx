// The facility manager's view: loads the model, then shows the 3D/plan
// viewport with the top bar, layers, inspector, find palette and help.
import { useEffect, useState } from 'react';
import { indexFacility } from '../core/facility/model.ts';
import { ApiError, fetchFacility } from '../net/api.ts';
import { resetLive } from '../state/live.ts';
import { useTwin } from '../state/store.ts';
import { Viewport } from '../scene/Viewport.tsx';
import { TopBar } from '../hud/TopBar.tsx';
import { LayerPanel } from '../hud/LayerPanel.tsx';
import { RightColumn } from '../hud/RightColumn.tsx';
import { AlarmToasts } from '../hud/AlarmToast.tsx';
import { LiveBanner } from '../hud/ConnectionStatus.tsx';
import { startLive } from '../net/socket.ts';
import { SearchPalette } from '../hud/SearchPalette.tsx';
import { FiguresOverlay } from '../hud/figures/FiguresOverlay.tsx';
import { Timeline } from '../hud/Timeline.tsx';
import { IncidentPanel } from '../hud/IncidentPanel.tsx';
import { HelpOverlay } from '../hud/HelpOverlay.tsx';
import { Tooltip } from '../hud/Tooltip.tsx';
import { ErrorPanel, LoadingPanel } from '../hud/StatusPanel.tsx';
import { useRenderCount } from './debug.ts';
import { handleShortcut } from './shortcuts.ts';
import { startUrlSync } from './urlSync.ts';

export function App() {
  useRenderCount('App');
  const loadState = useTwin((s) => s.loadState);
  const loadError = useTwin((s) => s.loadError);
  const [attempt, setAttempt] = useState(0);
  const [labelLayer, setLabelLayer] = useState<HTMLDivElement | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let stopUrl = () => {};
    let stopLive = () => {};
    useTwin.setState({ loadState: 'loading', loadError: null });
    fetchFacility(abort.signal).then((facility) => {
      const ix = indexFacility(facility);
      resetLive(ix);
      useTwin.getState().setFacility(ix);
      // Before the viewport mounts: the URL's view and pose go to the first camera rig.
      stopUrl = startUrlSync();
      stopLive = startLive(facility.id);
    }, (e: unknown) => {
      if (abort.signal.aborted) return;
      const err = e instanceof ApiError ? { status: e.status, reason: e.reason } : { status: 0, reason: (e as Error).message };
      useTwin.getState().setLoadError(err);
    });
    return () => { abort.abort(); stopUrl(); stopLive(); };
  }, [attempt]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (handleShortcut(e)) e.preventDefault(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const ready = loadState === 'ready';
  return (
    <div className="app" data-state={loadState}>
      {ready && <TopBar />}
      <div className="body">
        {ready && <LayerPanel />}
        <main className="stage">
          {ready && <Viewport labelLayer={labelLayer} />}
          <div className="label-layer" ref={setLabelLayer} aria-hidden="true" />
          {ready && <FiguresOverlay />}
          {ready && <IncidentPanel />}
          {ready && <Timeline />}
          {ready && <div className="notices"><LiveBanner /><AlarmToasts /></div>}
          {loadState === 'loading' && <LoadingPanel />}
          {loadState === 'error' && loadError && <ErrorPanel error={loadError} onRetry={() => setAttempt((a) => a + 1)} />}
        </main>
        {ready && <RightColumn />}
      </div>
      <SearchPalette />
      <HelpOverlay />
      <Tooltip />
    </div>
  );
}
