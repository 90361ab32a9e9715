// The control-room display (`?mode=tour` or `/tour`): full screen, dark, no
// cursor and nothing to click. Loads the plant (retrying forever while the
// server is away), opens the live socket, builds the tour from the URL and
// an optional tour file, and runs it: the scene flies from stop to stop,
// the panel shows the stop's KPI tiles or the alarm that preempted the tour,
// and the strip along the top always shows the KPI window, the data's age
// and the link.
import { useEffect, useState } from 'react';
import { indexFacility } from '../../core/facility/model.ts';
import { formatProblems } from '../../core/facility/validate.ts';
import { ApiError, authHeaders, fetchFacility } from '../../net/api.ts';
import { startLive } from '../../net/socket.ts';
import { resetLive } from '../../state/live.ts';
import { useTwin } from '../../state/store.ts';
import { StatusStrip, watchLiveWrites } from '../../hud/tour/StatusStrip.tsx';
import { StopTitle } from '../../hud/tour/StopTitle.tsx';
import { TourTiles } from '../../hud/tour/TourTiles.tsx';
import { AlarmCard } from '../../hud/tour/AlarmCard.tsx';
import '../../hud/tour/tour.css';
import { useRenderCount } from '../debug.ts';
import { installTourDebug } from './debugTour.ts';
import { startDirector } from './director.ts';
import { resolvePlan, type TourPlan } from './plan.ts';
import { loadTourFileText, mergeSpecs, parseTourParams, type TourSpec } from './tourFile.ts';
import { startFigures } from './tourData.ts';
import { useTour } from './tourStore.ts';
import { TourViewport } from './TourViewport.tsx';
import { takeRig, TOUR_LAYERS } from './view.ts';

/** Retry delays while the plant cannot be loaded, ms (then the last, forever). */
const LOAD_RETRY_MS = [2_000, 5_000, 10_000, 30_000, 60_000];

/** Fetches and checks a tour file: its spec, or null and the problems as notices. */
async function fetchTourFile(url: string): Promise<{ spec: TourSpec | null; notices: string[] }> {
  try {
    const sameOrigin = new URL(url, window.location.href).origin === window.location.origin;
    const res = await fetch(url, { headers: { Accept: 'application/json', ...(sameOrigin ? authHeaders() : {}) } });
    if (!res.ok) return { spec: null, notices: [`tour file ${url}: HTTP ${res.status}; showing the default tour`] };
    const r = loadTourFileText(await res.text());
    if (!r.ok) return { spec: null, notices: formatProblems(r.problems).split('\n').map((l) => `tour file ${url}: ${l}`) };
    return { spec: r.spec, notices: [] };
  } catch (e) {
    return { spec: null, notices: [`tour file ${url}: cannot fetch it (${(e as Error).message}); showing the default tour`] };
  }
}

export function TourApp() {
  useRenderCount('TourApp');
  const loadState = useTwin((s) => s.loadState);
  const loadError = useTwin((s) => s.loadError);
  const plan = useTour((s) => s.plan);
  const notices = useTour((s) => s.notices);
  const alarmShown = useTour((s) => s.alarm !== null);
  const [labelLayer, setLabelLayer] = useState<HTMLDivElement | null>(null);
  const [retryIn, setRetryIn] = useState<number | null>(null);
  const params = useState(() => parseTourParams(window.location.search))[0];

  // Load the plant and start the live link; retry with back-off while the server is away.
  useEffect(() => {
    const abort = new AbortController();
    const stops: (() => void)[] = [takeRig(), installTourDebug(), watchLiveWrites()];
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | null = null;
    document.title = 'Twinspace · control room';
    const load = () => {
      useTwin.setState({ loadState: 'loading', loadError: null });
      setRetryIn(null);
      fetchFacility(abort.signal).then(async (facility) => {
        const ix = indexFacility(facility);
        resetLive(ix);
        const s = useTwin.getState();
        s.setFacility(ix);
        useTwin.setState({ viewMode: '3d', floorMode: 'exploded', layers: { ...TOUR_LAYERS }, soundOn: false });
        document.title = `${facility.name} · control room`;
        stops.push(startLive(facility.id));
        // The coverage layer of the coverage stop: computed once in the worker, off the main thread.
        s.startCoverage();
        const file = params.tourUrl ? await fetchTourFile(params.tourUrl) : { spec: null, notices: [] };
        if (abort.signal.aborted) return;
        const p: TourPlan = resolvePlan(ix, mergeSpecs(file.spec, params.spec));
        useTour.setState({ plan: p, notices: [...params.problems, ...file.notices, ...p.warnings] });
      }, (e: unknown) => {
        if (abort.signal.aborted) return;
        const err = e instanceof ApiError ? { status: e.status, reason: e.reason } : { status: 0, reason: (e as Error).message };
        useTwin.getState().setLoadError(err);
        const wait = LOAD_RETRY_MS[Math.min(attempt, LOAD_RETRY_MS.length - 1)]!;
        attempt++;
        setRetryIn(Math.round(wait / 1000));
        retry = setTimeout(load, wait);
      });
    };
    load();
    return () => {
      abort.abort();
      if (retry) clearTimeout(retry);
      for (const s of stops) s();
    };
  }, [params]);

  // Run the tour and keep its figures fresh once the plan is known.
  useEffect(() => {
    if (!plan) return;
    const director = startDirector(plan);
    const stopFigures = startFigures(params.refreshS * 1000);
    return () => { director.stop(); stopFigures(); };
  }, [plan, params]);

  const ready = loadState === 'ready';
  return (
    <div className="tour" data-state={loadState}>
      {ready && <StatusStrip noDataAfterMs={params.noDataAfterS * 1000} />}
      <div className="tour-main">
        <main className="tour-stage">
          <div className="tour-scene">
            {ready && <TourViewport labelLayer={labelLayer} />}
            <div className="label-layer" ref={setLabelLayer} aria-hidden="true" />
          </div>
          {ready && <StopTitle />}
        </main>
        {ready && (
          <aside className="tour-panel" data-showing={alarmShown ? 'alarm' : 'tiles'}>
            {alarmShown ? <AlarmCard /> : <TourTiles />}
            {notices.length > 0 && <p className="tour-notices" title={notices.join('\n')}>{notices.length === 1 ? notices[0] : `${notices[0]} (+${notices.length - 1} more)`}</p>}
          </aside>
        )}
        {loadState !== 'ready' && (
          <div className="tour-loading" role="status">
            {loadState === 'loading' && <p>Loading the plant…</p>}
            {loadState === 'error' && loadError && (
              <>
                <p className="tl-head">NO PLANT — {loadError.status ? `the server answered ${loadError.status}` : 'cannot reach the server'}</p>
                <p className="tl-reason">{loadError.reason}</p>
                {retryIn !== null && <p className="tl-retry">Trying again in {retryIn} s, and on until it answers.</p>}
              </>
            )}
          </div>
        )}
      </div>
      {/* Takes every pointer event and hides the cursor: nothing on the wall is clickable. */}
      <div className="tour-shield" aria-hidden="true" />
    </div>
  );
}
