// The coverage engine in a Web Worker (DESIGN.md: coverage never blocks the
// page): it builds createCoverageEngine on the facility with the cameras'
// availability, reports progress as cameras are judged, and answers with the
// report, the per-floor drawing grids (typed arrays transferred, not copied),
// the NDAA exclusive areas and each zone's cameras with their share of it.
// What-if edits re-judge only the cameras that changed.
import type { Camera, Facility } from '../core/facility/schema.ts';
import { createCoverageEngine, type CameraExclusiveArea, type CoverageEngine, type CoverageGrid, type CoverageReport } from '../core/metrics/coverage.ts';
import { buildFloorState } from '../core/metrics/coverage-engine.ts';

/** A camera's share of a zone: cells of the zone it sees at detection or better ÷ the zone's cells. */
export interface CameraShare { cameraId: string; share: number }
/** A zone a camera sees, and the share of the zone it sees. */
export interface ZoneShare { zoneId: string; share: number }

/** What the worker answers. */
export interface CoverageResult {
  /** The request this answers. */
  seq: number;
  report: CoverageReport;
  /** One per floor, model order. */
  grids: CoverageGrid[];
  /** Detection and exclusive area of every camera. */
  cameras: CameraExclusiveArea[];
  /** Cameras with `ndaaCompliant: false` and the area only each covers. */
  nonCompliant: CameraExclusiveArea[];
  /** Per zone, the cameras seeing ≥ 1 of its cells at detection, largest share first. */
  zoneCameras: Record<string, CameraShare[]>;
  /** Per camera, the zones it sees ≥ 1 cell of at detection, largest share first. */
  cameraZones: Record<string, ZoneShare[]>;
  /** Time the worker spent on this answer, ms. */
  computeMs: number;
}

/** Messages to the worker. */
export type CoverageRequest =
  | { type: 'run'; seq: number; facility: Facility; grid?: number | undefined; availability: [string, number][] }
  | { type: 'update'; seq: number; cameras: Camera[] };

/** Messages from the worker. */
export type CoverageResponse =
  | { type: 'progress'; seq: number; done: number; total: number }
  | { type: 'result'; seq: number; result: CoverageResult }
  | { type: 'error'; seq: number; message: string };

/** Least time between two progress messages, ms. */
const PROGRESS_EVERY_MS = 40;

/** Each floor's zone cells (as the engine counts them), for the shares. */
export type ZoneCellIndex = Map<string, { ncells: number; zoneIds: string[]; zoneCells: Int32Array[] }>;

/** Builds the zone-cell index of a facility for a grid side. */
export function zoneCellIndex(facility: Facility, grid: number): ZoneCellIndex {
  const out: ZoneCellIndex = new Map();
  for (const floor of facility.floors) {
    const fs = buildFloorState(floor, grid);
    out.set(floor.id, { ncells: fs.ncells, zoneIds: floor.zones.map((z) => z.id), zoneCells: fs.zoneCells });
  }
  return out;
}

/** Which cameras see which zones (≥ 1 cell at detection) and how much of each. */
export function zoneShares(engine: CoverageEngine, index: ZoneCellIndex): { zoneCameras: Record<string, CameraShare[]>; cameraZones: Record<string, ZoneShare[]> } {
  const zoneCameras: Record<string, CameraShare[]> = {}, cameraZones: Record<string, ZoneShare[]> = {};
  for (const floor of engine.currentFacility.floors) {
    const ix = index.get(floor.id);
    if (!ix) continue;
    for (const id of ix.zoneIds) zoneCameras[id] ??= [];
    const mark = new Uint8Array(ix.ncells);
    for (const cam of floor.cameras) {
      const con = engine.contributionOf(cam.id);
      const list: ZoneShare[] = [];
      cameraZones[cam.id] = list;
      if (!con) continue;
      for (const c of con.cells) mark[c] = 1;
      ix.zoneCells.forEach((cells, zi) => {
        let n = 0;
        for (let q = 0; q < cells.length; q++) n += mark[cells[q]!]!;
        if (n === 0) return;
        const share = n / cells.length, zoneId = ix.zoneIds[zi]!;
        list.push({ zoneId, share });
        zoneCameras[zoneId]!.push({ cameraId: cam.id, share });
      });
      for (const c of con.cells) mark[c] = 0;
      list.sort((a, b) => b.share - a.share);
    }
  }
  for (const list of Object.values(zoneCameras)) list.sort((a, b) => b.share - a.share);
  return { zoneCameras, cameraZones };
}

/** Everything an answer holds, from the engine's current state. */
export function coverageResult(seq: number, engine: CoverageEngine, index: ZoneCellIndex, t0: number): CoverageResult {
  return {
    seq, report: engine.report(), grids: engine.grids(), cameras: engine.exclusiveAreas(), nonCompliant: engine.nonCompliantCameras(),
    ...zoneShares(engine, index), computeMs: performance.now() - t0,
  };
}

/** The buffers of a result to transfer (the grids are fresh arrays, safe to give away). */
export function transferables(r: CoverageResult): ArrayBuffer[] {
  return r.grids.flatMap((g) => [g.best.buffer, g.requiredCount.buffer, g.zone.buffer, g.flags.buffer] as ArrayBuffer[]);
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<CoverageRequest>) => void) | null;
  postMessage(m: CoverageResponse, transfer?: Transferable[]): void;
}

// Runs only inside a worker (no document there); importing this module elsewhere (tests) only defines the helpers.
if (typeof document === 'undefined' && typeof self !== 'undefined') {
  const scope = self as unknown as WorkerScope;
  let engine: CoverageEngine | null = null;
  let index: ZoneCellIndex | null = null;
  scope.onmessage = (e) => {
    const msg = e.data;
    const t0 = performance.now();
    try {
      if (msg.type === 'run') {
        let last = 0;
        index = zoneCellIndex(msg.facility, msg.grid ?? 0.25);
        engine = createCoverageEngine(msg.facility, {
          grid: msg.grid, availability: new Map(msg.availability),
          onProgress: (done, total) => {
            const now = performance.now();
            if (done < total && now - last < PROGRESS_EVERY_MS) return;
            last = now;
            scope.postMessage({ type: 'progress', seq: msg.seq, done, total });
          },
        });
      } else {
        if (!engine) throw new Error('Twinspace: coverage worker: update before the first run');
        for (const c of msg.cameras) engine.updateCamera(c);
      }
      const result = coverageResult(msg.seq, engine, index!, t0);
      scope.postMessage({ type: 'result', seq: msg.seq, result }, transferables(result));
    } catch (err) {
      scope.postMessage({ type: 'error', seq: msg.seq, message: (err as Error).message });
    }
  };
}
