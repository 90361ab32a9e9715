// The live slice of the store: the low-rate facts of the live socket —
// connection state, the session's role, the open alarms, toasts — and the
// right column's tab. Telemetry and door/camera states stay in live.ts.
import type { StateCreator } from 'zustand';
import type { AlarmKind } from '../core/records.ts';
import type { Alarm } from '../core/reducer.ts';
import type { Role } from '../core/protocol.ts';
import type { TwinState } from './store.ts';
import { DOOR_CLOSED, DOOR_FORCED, DOOR_HELD, DOOR_OPEN, type LiveBuffer } from './live.ts';

/**
 * An open (unresolved) alarm as the browser keeps it: the reducer's alarm up
 * to its acknowledgement; times epoch ms (server clock). `acknowledgedBy`
 * `sim:…` is a simulated operator.
 */
export type ClientAlarm = Pick<Alarm, 'id' | 'kind' | 'door' | 'onset' | 'acknowledgedAt' | 'acknowledgedBy'>;

/** Alarm kinds, most severe first (the queue's order within acknowledged / unacknowledged). */
export const ALARM_SEVERITY: readonly AlarmKind[] = ['door-forced', 'denied-burst', 'after-hours', 'door-held'];

/** Human names of alarm kinds. */
export const ALARM_KIND_LABELS: Record<AlarmKind, string> = {
  'door-forced': 'Door forced', 'denied-burst': 'Denied burst', 'after-hours': 'After-hours access', 'door-held': 'Door held open',
};

/** Queue order: unacknowledged first, then most severe, then newest, then id. */
export function compareAlarms(a: ClientAlarm, b: ClientAlarm): number {
  const ua = a.acknowledgedAt === null ? 0 : 1, ub = b.acknowledgedAt === null ? 0 : 1;
  if (ua !== ub) return ua - ub;
  const sa = ALARM_SEVERITY.indexOf(a.kind), sb = ALARM_SEVERITY.indexOf(b.kind);
  if (sa !== sb) return sa - sb;
  if (a.onset !== b.onset) return b.onset - a.onset;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether an actor label names a simulated operator (`sim:operator-2`). */
export function isSimulatedActor(by: string | null): boolean {
  return by !== null && by.startsWith('sim:');
}

/**
 * What each door shows, from its contact and the open alarms: forced while
 * a door-forced alarm on it is unresolved; held while a door-held alarm is
 * unresolved and the door is still open; else open or closed. Writes
 * `buf.doors`; returns whether anything changed (the caller notifies).
 */
export function deriveDoorStates(buf: LiveBuffer, alarms: Iterable<ClientAlarm>): boolean {
  const forced = new Set<number>(), held = new Set<number>();
  for (const a of alarms) {
    const s = buf.doorSlot.get(a.door);
    if (s === undefined) continue;
    if (a.kind === 'door-forced') forced.add(s);
    else if (a.kind === 'door-held') held.add(s);
  }
  let changed = false;
  for (let s = 0; s < buf.doors.length; s++) {
    const open = buf.doorOpen[s] === 1;
    const st = forced.has(s) ? DOOR_FORCED : open && held.has(s) ? DOOR_HELD : open ? DOOR_OPEN : DOOR_CLOSED;
    if (buf.doors[s] !== st) { buf.doors[s] = st; changed = true; }
  }
  return changed;
}

/** Where the socket is: connecting, live, trying again, or stopped for a reason it cannot fix itself. */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'incompatible';

/** The socket's state; `since` is the browser's epoch ms when it began; `detail` says why for the stopped states. */
export interface Link { status: LinkStatus; since: number; detail: string | null }

/** Which tab the right column shows. */
export type RightTab = 'alarms' | 'inspector';

/** Toasts kept at once (newest first). */
export const MAX_TOASTS = 3;

export interface LiveSlice {
  link: Link;
  /** The session's role, from the server's `hello` (null before it). */
  role: Role | null;
  /** Open alarms by id. */
  alarms: Record<string, ClientAlarm>;
  /** The open alarms in queue order (`compareAlarms`). */
  alarmList: ClientAlarm[];
  /** Ids of alarms announced by a toast, newest first. */
  toasts: string[];
  /** Bumped on every newly raised alarm (the tab count pulses). */
  alarmPulse: number;
  rightTab: RightTab;
  /** Beep on a new alarm (off by default). */
  soundOn: boolean;
  setLink: (status: LinkStatus, detail?: string | null) => void;
  setRole: (role: Role | null) => void;
  /** Replaces the open alarms; `announce` ids get a toast and a pulse. */
  setAlarms: (alarms: Record<string, ClientAlarm>, announce?: readonly string[]) => void;
  dismissToast: (id: string) => void;
  setRightTab: (t: RightTab) => void;
  setSoundOn: (on: boolean) => void;
}

type Slice<T> = StateCreator<TwinState, [], [], T>;

/** The live slice (see the top of this file). */
export const createLiveSlice: Slice<LiveSlice> = (set, get) => ({
  link: { status: 'connecting', since: Date.now(), detail: null },
  role: null,
  alarms: {},
  alarmList: [],
  toasts: [],
  alarmPulse: 0,
  rightTab: 'alarms',
  soundOn: false,
  setLink: (status, detail = null) => {
    const cur = get().link;
    if (cur.status === status && cur.detail === detail) return;
    // Reconnecting keeps the time the link was lost, so "offline since" stays true across attempts.
    const since = cur.status === status ? cur.since : Date.now();
    set({ link: { status, since, detail } });
  },
  setRole: (role) => set({ role }),
  setAlarms: (alarms, announce = []) => {
    const alarmList = Object.values(alarms).sort(compareAlarms);
    const fresh = announce.filter((id) => Object.hasOwn(alarms, id));
    const keep = get().toasts.filter((id) => Object.hasOwn(alarms, id) && !fresh.includes(id));
    set({
      alarms, alarmList,
      toasts: [...[...fresh].reverse(), ...keep].slice(0, MAX_TOASTS),
      ...(fresh.length ? { alarmPulse: get().alarmPulse + 1 } : {}),
    });
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t !== id) }),
  setRightTab: (rightTab) => set({ rightTab }),
  setSoundOn: (soundOn) => set({ soundOn }),
});
