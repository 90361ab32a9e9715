// A handle on the camera rig, registered by the scene's CameraRig while it
// is mounted, so the HUD, keyboard and URL code can move the view without
// going through React.
import type { Pose } from '../app/url.ts';

/** What the camera rig can do. */
export interface Rig {
  /** Flies to an entity (smooth), framing it. */
  flyTo(id: string, animate?: boolean): void;
  /** Frames several entities together (those on drawn floors), keeping the view's angle. */
  frame(ids: readonly string[], animate?: boolean): void;
  /** Frames every drawn floor. */
  frameAll(animate?: boolean): void;
  /** Frames the active floor. */
  frameFloor(animate?: boolean): void;
  /** The current pose, rounded as it is written to the URL. */
  getPose(): Pose;
  /** Moves to a pose (from the URL). */
  setPose(p: Pose, animate?: boolean): void;
  /** True when no transition or drag is under way. */
  isResting(): boolean;
  /** Orbits by the given angles, radians (tests and benchmarks). */
  orbit(azimuth: number, polar: number, animate?: boolean): void;
}

/**
 * How the rig behaves, read when it mounts or changes view: user input on or
 * off, and the transition smoothing, s (camera-controls `smoothTime`). The
 * tour takes input away and slows flights down for the wall display.
 */
export const rigOptions: { input: boolean; smoothTime: number } = { input: true, smoothTime: 0.22 };

/** The mounted rig, or null. */
export const rig: { current: Rig | null } = { current: null };

type Listener = () => void;
const readyListeners = new Set<Listener>();

/** Registers the mounted rig (null on unmount) and tells waiters. */
export function setRig(r: Rig | null): void {
  rig.current = r;
  if (r) for (const fn of readyListeners) fn();
}

/** Calls `fn` each time a rig is mounted. */
export function onRigReady(fn: Listener): () => void {
  readyListeners.add(fn);
  return () => { readyListeners.delete(fn); };
}

type MoveListener = () => void;
const moveListeners = new Set<MoveListener>();

/** Called by the rig when the camera moved (drag, wheel, transition). */
export function notifyCameraMoved(): void {
  for (const fn of moveListeners) fn();
}

/** Calls `fn` whenever the camera moves; returns the unsubscribe. */
export function subscribeCameraMoved(fn: MoveListener): () => void {
  moveListeners.add(fn);
  return () => { moveListeners.delete(fn); };
}

/** A pose to take when the next rig mounts (from the URL on load), consumed once. */
export const pendingPose: { pose: Pose | null } = { pose: null };
