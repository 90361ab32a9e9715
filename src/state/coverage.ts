// Camera coverage in the browser: the worker client and the coverage slice.
// After the facility loads, the cameras' availability over the last 24 h is
// read from their events, and the worker (coverage-worker.ts) computes the
// exact coverage (metrics.md §2) without blocking the page. Admins can try
// camera moves ("what-if"): the edits stay in the browser, unsaved, and the
// worker re-judges only the edited cameras. Only types come from store.ts,
// so the store can be built from this slice.
import type { StateCreator } from 'zustand';
import type { Camera, Facility } from '../core/facility/schema.ts';
import { cameraAvailability, type CameraSight } from '../core/metrics/coverage.ts';
import type { TwinRecord } from '../core/records.ts';
import { apiJson } from '../net/api.ts';
import type { CoverageRequest, CoverageResponse, CoverageResult } from './coverage-worker.ts';
import type { TwinState } from './store.ts';

export type { CameraShare, CoverageResult, ZoneShare } from './coverage-worker.ts';

/** Camera availability is measured over this much history, ms (the last 24 h). */
export const AVAILABILITY_PERIOD_MS = 24 * 3_600_000;
/**
 * Events read before that period, ms, so a camera already offline when it
 * starts counts as down (the same lookback GET /api/metrics uses).
 */
export const AVAILABILITY_LOOKBACK_MS = 6 * 3_600_000;

/** How the coverage layer colours cells. */
export type CoverageView = 'dori' | 'redundancy';

/** Where the computation is. */
export type CoverageStatus = 'idle' | 'events' | 'running' | 'ready' | 'error';

/** The cameras seeing a clicked point of the coverage layer. */
export interface CoveragePopover { floorId: string; x: number; y: number; clientX: number; clientY: number; sights: CameraSight[] }

export interface CoverageSlice {
  coverageStatus: CoverageStatus;
  /** Share of the cameras judged, 0–1. */
  coverageProgress: number;
  coverageError: string | null;
  /** The latest answer (with the what-if edits when there are any). */
  coverage: CoverageResult | null;
  /** The period the availability was measured over, epoch ms, and the cameras less than always available. */
  coverageAvailability: { from: number; to: number; partial: Record<string, number>; note: string | null } | null;
  coverageView: CoverageView;
  /** What-if mode: the selected camera can be dragged and re-aimed. */
  whatIf: boolean;
  /** Edited cameras by id (unsaved); empty when the figures are the model's. */
  whatIfCameras: Record<string, Camera>;
  coveragePopover: CoveragePopover | null;
  /** Starts (or restarts) the computation; `grid` overrides the cell side, m. */
  startCoverage: (opts?: { grid?: number }) => void;
  setCoverageView: (v: CoverageView) => void;
  setWhatIf: (on: boolean) => void;
  /** Tries a camera as edited: the figures and the layer follow when the worker answers. */
  updateWhatIfCamera: (camera: Camera) => void;
  /** Puts every edited camera back as the model has it. */
  resetWhatIf: () => void;
  setCoveragePopover: (p: CoveragePopover | null) => void;
}

/** True once the first computation has answered (or failed): what the page shows no longer changes by itself. */
export function coverageSettled(s: Pick<CoverageSlice, 'coverageStatus' | 'coverage'>): boolean {
  return s.coverage !== null || s.coverageStatus === 'error';
}

/** The facility with the edited cameras in place of the model's (the same object when there are none). */
export function whatIfFacility(facility: Facility, edits: Readonly<Record<string, Camera>>): Facility {
  if (Object.keys(edits).length === 0) return facility;
  return { ...facility, floors: facility.floors.map((f) => (f.cameras.some((c) => edits[c.id]) ? { ...f, cameras: f.cameras.map((c) => edits[c.id] ?? c) } : f)) };
}

/** True when two cameras differ in anything the coverage depends on. */
export function cameraChanged(a: Camera, b: Camera): boolean {
  return a.position[0] !== b.position[0] || a.position[1] !== b.position[1] || a.mountHeight !== b.mountHeight || a.yaw !== b.yaw || a.tilt !== b.tilt
    || a.hfov !== b.hfov || a.vfov !== b.vfov || a.resolution[0] !== b.resolution[0] || a.resolution[1] !== b.resolution[1];
}

/** What tests and the benchmark read: `window.__twinspaceCoverage`. */
export interface CoverageDebug {
  status: () => CoverageStatus;
  progress: () => number;
  /** Progress messages received in the current run. */
  progressEvents: () => number;
  result: () => CoverageResult | null;
  rerun: (grid?: number) => void;
}

declare global {
  interface Window { __twinspaceCoverage?: CoverageDebug }
}

type SetState = Parameters<StateCreator<TwinState, [], [], CoverageSlice>>[0];
type GetState = Parameters<StateCreator<TwinState, [], [], CoverageSlice>>[1];

interface EventsAnswer { events: { ts: string; type: string; camera?: string }[] }

/** Builds the coverage slice. NOTE: a function declaration, so store.ts may call it whatever the import order. */
export function createCoverageSlice(set: SetState, get: GetState): CoverageSlice {
  let worker: Worker | null = null;
  let seq = 0;
  /** The run whose answers count; what-if updates get later numbers. */
  let runSeq = 0;
  let outstanding = 0;
  let progressEvents = 0;
  const pending = new Map<string, Camera>();

  const post = (m: CoverageRequest) => { outstanding++; worker!.postMessage(m); };
  const flush = () => {
    if (pending.size === 0 || outstanding > 0 || !worker) return;
    const cameras = [...pending.values()];
    pending.clear();
    post({ type: 'update', seq: ++seq, cameras });
  };
  const onMessage = (e: MessageEvent<CoverageResponse>) => {
    const m = e.data;
    if (m.seq < runSeq) return; // an answer to a run that was replaced
    if (m.type === 'progress') {
      progressEvents++;
      set({ coverageProgress: m.total > 0 ? m.done / m.total : 1 });
      return;
    }
    outstanding = Math.max(0, outstanding - 1);
    if (m.type === 'error') set({ coverageStatus: 'error', coverageError: m.message });
    else set({ coverage: m.result, coverageStatus: 'ready', coverageProgress: 1, coverageError: null });
    flush();
  };
  const ensureWorker = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('./coverage-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = onMessage;
    worker.onerror = (e) => { outstanding = 0; set({ coverageStatus: 'error', coverageError: e.message || 'the coverage worker failed' }); };
    return worker;
  };

  const availability = async (facility: Facility): Promise<{ values: Map<string, number>; from: number; to: number; note: string | null }> => {
    const to = Date.now(), from = to - AVAILABILITY_PERIOD_MS;
    const ids = facility.floors.flatMap((f) => f.cameras.map((c) => c.id));
    try {
      const q = `/api/events?types=camera.offline,camera.online&from=${new Date(from - AVAILABILITY_LOOKBACK_MS).toISOString()}&to=${new Date(to).toISOString()}`;
      const r = await apiJson<EventsAnswer>(q);
      const records: TwinRecord[] = [];
      for (const ev of r.events) {
        if ((ev.type === 'camera.offline' || ev.type === 'camera.online') && ev.camera) records.push({ ts: Date.parse(ev.ts), type: ev.type, camera: ev.camera });
      }
      return { values: cameraAvailability(records, ids, from, to), from, to, note: null };
    } catch (e) {
      // Coverage itself does not need the events: without them every camera counts as always available.
      return { values: new Map(), from, to, note: `camera events unavailable (${(e as Error).message}); availability taken as 1` };
    }
  };

  const slice: CoverageSlice = {
    coverageStatus: 'idle', coverageProgress: 0, coverageError: null, coverage: null, coverageAvailability: null,
    coverageView: 'dori', whatIf: false, whatIfCameras: {}, coveragePopover: null,
    startCoverage: (opts = {}) => {
      const ix = get().index;
      if (!ix) return;
      const mySeq = ++seq;
      runSeq = mySeq;
      outstanding = 0;
      progressEvents = 0;
      pending.clear();
      set({ coverageStatus: 'events', coverageProgress: 0, coverageError: null });
      void availability(ix.facility).then((a) => {
        if (runSeq !== mySeq) return;
        const partial: Record<string, number> = {};
        for (const [id, v] of a.values) if (v < 1) partial[id] = v;
        set({ coverageStatus: 'running', coverageAvailability: { from: a.from, to: a.to, partial, note: a.note } });
        // A run judges the edited cameras too, so the what-if survives a restart.
        const facility = whatIfFacility(ix.facility, get().whatIfCameras);
        ensureWorker();
        post({ type: 'run', seq: mySeq, facility, grid: opts.grid, availability: [...a.values] });
      });
    },
    setCoverageView: (coverageView) => set({ coverageView }),
    setWhatIf: (whatIf) => set({ whatIf }),
    updateWhatIfCamera: (camera) => {
      const ix = get().index;
      const original = ix?.cameras.get(camera.id)?.camera;
      if (!original) return;
      const edits = { ...get().whatIfCameras };
      if (cameraChanged(original, camera)) edits[camera.id] = camera; else delete edits[camera.id];
      set({ whatIfCameras: edits });
      pending.set(camera.id, camera);
      flush();
    },
    resetWhatIf: () => {
      const ix = get().index;
      const edited = Object.keys(get().whatIfCameras);
      set({ whatIfCameras: {} });
      if (!ix) return;
      for (const id of edited) {
        const c = ix.cameras.get(id)?.camera;
        if (c) pending.set(id, c);
      }
      flush();
    },
    setCoveragePopover: (coveragePopover) => set({ coveragePopover }),
  };

  if (typeof window !== 'undefined') {
    window.__twinspaceCoverage = {
      status: () => get().coverageStatus,
      progress: () => get().coverageProgress,
      progressEvents: () => progressEvents,
      result: () => get().coverage,
      rerun: (grid) => get().startCoverage(grid === undefined ? {} : { grid }),
    };
  }
  return slice;
}
