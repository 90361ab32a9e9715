// The strip along the top of the wall display, always visible: the plant,
// where the tour is, the KPI window, the age of the newest reading and the
// live link. When the data stops or the link drops it turns red and says
// so plainly ("NO LIVE DATA — reconnecting since 12:04"); it recovers by
// itself. Written through refs once a second and on link changes: no React
// render per second.
import { useEffect, useRef } from 'react';
import { useTwin } from '../../state/store.ts';
import { live, serverNow, STALE_AFTER_MS, subscribeLive } from '../../state/live.ts';
import { useTour } from '../../app/tour/tourStore.ts';
import { freshness, type FreshLevel } from '../../app/tour/freshness.ts';
import { useRenderCount } from '../../app/debug.ts';
import { formatAge, formatClock, subscribeSecond } from '../ticker.ts';
import { windowWords } from './TourTiles.tsx';

/** Browser time of the last live write (frame or state change) since the page loaded. */
const lastData = { at: null as number | null };

/** Starts watching live writes for the strip; returns the unsubscribe. */
export function watchLiveWrites(): () => void {
  return subscribeLive(() => { lastData.at = Date.now(); });
}

/** The link's word at the strip's right end. */
const SHORT: Record<FreshLevel, string> = { live: 'LIVE', stale: 'STALE', down: 'OFFLINE', connecting: 'CONNECTING' };

/** Sets `data-level` on the tour's root so the whole display can show trouble (its border). */
function setRootLevel(level: FreshLevel): void {
  const root = document.querySelector<HTMLElement>('.tour');
  if (root && root.dataset['level'] !== level) root.dataset['level'] = level;
}

export function StatusStrip({ noDataAfterMs }: { noDataAfterMs: number }) {
  useRenderCount('StatusStrip');
  const name = useTwin((s) => s.index?.facility.name ?? '');
  const openAlarms = useTwin((s) => s.alarmList.length);
  const unacked = useTwin((s) => s.alarmList.filter((a) => a.acknowledgedAt === null).length);
  const position = useTour((s) => s.position);
  const period = useTour((s) => s.figures.period);
  const figuresError = useTour((s) => s.figures.error);
  const strip = useRef<HTMLDivElement>(null);
  const headline = useRef<HTMLDivElement>(null);
  const short = useRef<HTMLSpanElement>(null);
  const age = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const write = () => {
      const el = strip.current, h = headline.current, a = age.current, sh = short.current;
      if (!el || !h || !a || !sh) return;
      const buf = live.buffer;
      const f = freshness({
        link: useTwin.getState().link, now: Date.now(), lastDataAt: lastData.at,
        newestReadingAt: buf?.newestReadingAt ?? Number.NaN, serverNow: serverNow(),
        noDataAfterMs, staleReadingMs: STALE_AFTER_MS, clock: formatClock, age: formatAge,
      });
      if (h.textContent !== f.headline) h.textContent = f.headline;
      const word = SHORT[f.level];
      if (sh.textContent !== word) sh.textContent = word;
      const ageText = `Data ${f.dataAge} old`;
      if (a.textContent !== ageText) a.textContent = ageText;
      if (el.dataset['level'] !== f.level) el.dataset['level'] = f.level;
      el.dataset['link'] = useTwin.getState().link.status;
      setRootLevel(f.level);
    };
    const stopTick = subscribeSecond(write);
    const stopStore = useTwin.subscribe((s, prev) => { if (s.link !== prev.link) write(); });
    return () => { stopTick(); stopStore(); };
  }, [noDataAfterMs]);

  return (
    <div className="tour-strip" ref={strip} role="status" aria-live="polite">
      <div className="ts-left">
        <span className="ts-logo" aria-hidden="true" />
        <span className="ts-name">{name}</span>
        {position && <span className="ts-pos" data-pos={position.pos}>Tour {position.pos + 1} / {position.count}</span>}
      </div>
      <div className="ts-window" title="The period the figures cover">
        <span className="ts-key">KPIs</span> {windowWords(period, true)}
        {figuresError && <span className="ts-warn"> · figures not refreshed ({figuresError})</span>}
      </div>
      <div className="ts-right">
        {openAlarms > 0 && <span className="ts-alarms" data-unacked={unacked}>{unacked > 0 ? `${unacked} unacknowledged` : `${openAlarms} open`} alarm{(unacked > 0 ? unacked : openAlarms) === 1 ? '' : 's'}</span>}
        <span className="ts-age" ref={age} data-age />
        <span className="ts-link"><span className="ts-dot" aria-hidden="true" /><span ref={short} /></span>
      </div>
      <div className="ts-banner" ref={headline} data-headline />
    </div>
  );
}
