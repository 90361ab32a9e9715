// The live link in the top bar, always visible: a dot and "Live · data 2 s
// old" / "Reconnecting…" / "Offline since 12:04", written through refs on the
// HUD's 1 s tick (never a React render per second); the session's role; the
// new-alarm sound toggle; and a banner when the link stopped for a reason
// a retry cannot fix (refused token, incompatible server).
import { useEffect, useRef } from 'react';
import { useTwin } from '../state/store.ts';
import { useTimeline } from '../state/timeline.ts';
import { live, replay, serverNow } from '../state/live.ts';
import type { Link } from '../state/alarms.ts';
import { useRenderCount } from '../app/debug.ts';
import { reconnectNow } from '../net/socket.ts';
import { formatAge, formatClock, subscribeSecond } from './ticker.ts';
import { unlockAudio } from './sound.ts';

/** A link down this long shows as offline (with the time it went), ms. */
export const OFFLINE_AFTER_MS = 10_000;
/** Data older than this shows the dot amber while the link is live, ms. */
export const DATA_LATE_AFTER_MS = 60_000;

/**
 * The status line and dot tone for a link at browser time `now`. While the
 * scene replays the past its buffer holds the state at the cursor, so the
 * age of its newest reading says nothing about the live feed: not shown.
 */
export function linkText(link: Link, now: number, newestReadingAt: number, serverNowMs: number, replaying = false): { text: string; tone: 'ok' | 'late' | 'down' | 'wait' } {
  switch (link.status) {
    case 'connecting': return { text: 'Connecting…', tone: 'wait' };
    case 'live': {
      if (replaying) return { text: 'Live · scene in replay', tone: 'ok' };
      if (!Number.isFinite(newestReadingAt)) return { text: 'Live · no data yet', tone: 'ok' };
      const age = serverNowMs - newestReadingAt;
      return { text: `Live · data ${formatAge(age)} old`, tone: age > DATA_LATE_AFTER_MS ? 'late' : 'ok' };
    }
    case 'reconnecting':
      return now - link.since < OFFLINE_AFTER_MS
        ? { text: 'Reconnecting…', tone: 'wait' }
        : { text: `Offline since ${formatClock(link.since)} · retrying`, tone: 'down' };
    case 'unauthorized': return { text: 'Not authorised', tone: 'down' };
    case 'incompatible': return { text: 'Incompatible server', tone: 'down' };
  }
}

export function ConnectionStatus() {
  useRenderCount('ConnectionStatus');
  const root = useRef<HTMLDivElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  const role = useTwin((s) => s.role);
  const soundOn = useTwin((s) => s.soundOn);

  useEffect(() => {
    const write = () => {
      const el = root.current, t = text.current;
      if (!el || !t) return;
      const link = useTwin.getState().link;
      const { text: line, tone } = linkText(link, Date.now(), live.buffer?.newestReadingAt ?? Number.NaN, serverNow(), replay.active);
      if (t.textContent !== line) t.textContent = line;
      el.dataset['status'] = link.status;
      el.dataset['tone'] = tone;
      el.title = link.detail ?? (link.status === 'live' ? 'Connected to the live feed; the age is that of the newest reading' : '');
    };
    const stopTick = subscribeSecond(write);
    const stopStore = useTwin.subscribe((s, prev) => { if (s.link !== prev.link) write(); });
    const stopTimeline = useTimeline.subscribe((s, prev) => { if (s.mode !== prev.mode) write(); });
    return () => { stopTick(); stopStore(); stopTimeline(); };
  }, []);

  const toggleSound = () => {
    if (!soundOn) unlockAudio();
    useTwin.getState().setSoundOn(!soundOn);
  };

  return (
    <>
      <div className="conn" ref={root} role="status" aria-live="polite">
        <span className="conn-dot" aria-hidden="true" />
        <span className="conn-text" ref={text} />
        {role && <span className={`role-chip role-${role}`} title={`This session's role: ${role}`}>{role}</span>}
      </div>
      <button
        type="button" className="sound-toggle" aria-pressed={soundOn} onClick={toggleSound}
        title={soundOn ? 'Alarm sound on: click to mute' : 'Alarm sound off: click to beep on new alarms'}
        aria-label="Alarm sound"
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round">
          <path d="M2.5 6h2.5l3.5-3v10l-3.5-3h-2.5z" fill="currentColor" />
          {soundOn ? <path d="M11 5.5a3.5 3.5 0 0 1 0 5M12.8 3.8a6 6 0 0 1 0 8.4" /> : <path d="M11 6l4 4M15 6l-4 4" />}
        </svg>
      </button>
    </>
  );
}

/** A banner over the stage when the live link stopped for good (refused token, incompatible server). */
export function LiveBanner() {
  const status = useTwin((s) => s.link.status);
  const detail = useTwin((s) => s.link.detail);
  if (status !== 'unauthorized' && status !== 'incompatible') return null;
  return (
    <div className="live-banner" role="alert" data-status={status}>
      <strong>{status === 'unauthorized' ? 'Live data stopped: not authorised' : 'Live data stopped: incompatible server'}</strong>
      <span>{detail}</span>
      {status === 'unauthorized'
        ? <span className="muted">Open the link you were given with its <code>?token=…</code>, or ask an administrator for a token.</span>
        : null}
      <div className="banner-actions">
        {status === 'unauthorized'
          ? <button type="button" onClick={reconnectNow}>Try again</button>
          : <button type="button" onClick={() => window.location.reload()}>Reload</button>}
      </div>
    </div>
  );
}
