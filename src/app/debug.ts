// `window.__twinspace`: what browser tests and benchmarks read from the app
// (renderer figures, render counts, frame timing, entity screen positions).
// Cheap and read-only for the app itself, so it ships in every build.
import { useEffect } from 'react';
import type { Pose } from './url.ts';

/** Renderer figures of the last frame and GPU memory held. */
export interface RenderInfo { calls: number; triangles: number; lines: number; points: number; geometries: number; textures: number; programs: number }
/** Frame time over `n` synchronous renders, ms. */
export interface FrameTimes { n: number; meanMs: number; medianMs: number; p95Ms: number; maxMs: number }

export interface TwinspaceDebug {
  /** React commits per counted component (panels and scene roots). */
  renders: Record<string, number>;
  /** Frames rendered so far. */
  frames: number;
  /** True once the facility is loaded and its first frame rendered. */
  ready: boolean;
  info: () => RenderInfo | null;
  invalidate: () => void;
  /** Renders `n` frames synchronously (optionally orbiting a little before each) and times them. */
  measureFrames: (n: number, orbit: boolean) => FrameTimes | null;
  /** Where an entity's anchor is on screen (client px), or null when off screen or unknown. */
  project: (id: string) => { x: number; y: number } | null;
  /** Where plan point (x, y, z above the slab) of a floor is on screen (client px), or null. */
  projectPoint: (floorId: string, x: number, y: number, z: number) => { x: number; y: number } | null;
  /** The low-rate view state (from the store). */
  state: () => { selected: string | null; activeFloor: string; floorMode: string; viewMode: string; layers: Record<string, boolean> };
  /** The camera pose as the URL keeps it. */
  pose: () => Pose | null;
  /** True when no camera transition or drag is under way. */
  resting: () => boolean;
  /** Selects an entity and flies to it, as the find palette does. */
  select: (id: string | null) => void;
  /** The `#rrggbb` an entity (zone floor, door leaf, camera) was last coloured for drawing, or null. */
  color: (id: string) => string | null;
  /** The live link: status, role, last applied change seq, live buffer version, open alarms. */
  live: () => { status: string; role: string | null; lastSeq: number; version: number; alarms: number };
  /** Closes the socket's transport as a network drop would; it reconnects by itself (after about `holdMs`). */
  dropSocket: (holdMs?: number) => void;
  /** The timeline (issue 6): mode, cursor and the cursor time of the state shown (epoch ms), playing. */
  timeline?: () => { mode: string; cursor: number; shownAt: number; playing: boolean };
  /** What each highlight outlines now (ids) and how many line segments and fill triangles it drew. */
  highlights: Record<string, { ids: string[]; segments: number; triangles: number }>;
  /** The open incident's badge trails as drawn: plan points (floor, x, y), steps passed by the cursor, colour. */
  trails?: () => { badge: string; color: string; passed: number; points: { floor: string; x: number; y: number }[] }[];
  /** A door's contact (open) and drawn state code (live.ts DOOR_*) as the buffer holds them, or null. */
  door?: (id: string) => { open: boolean; state: number } | null;
}

declare global {
  interface Window { __twinspace?: TwinspaceDebug }
}

const none = () => null;

/** The app's debug handle (also `window.__twinspace`). */
export const debug: TwinspaceDebug = {
  renders: {}, frames: 0, ready: false, highlights: {},
  info: none, invalidate: () => {}, measureFrames: none, project: none, projectPoint: none, pose: none, resting: () => false,
  state: () => ({ selected: null, activeFloor: '', floorMode: '', viewMode: '', layers: {} }),
  select: () => {},
  color: none,
  live: () => ({ status: 'none', role: null, lastSeq: 0, version: 0, alarms: 0 }),
  dropSocket: () => {},
};
if (typeof window !== 'undefined') window.__twinspace = debug;

/** Counts the component's commits in `__twinspace.renders[name]` (tests prove camera moves and hover cause none). */
export function useRenderCount(name: string): void {
  useEffect(() => {
    debug.renders[name] = (debug.renders[name] ?? 0) + 1;
  });
}
