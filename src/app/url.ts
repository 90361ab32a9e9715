// The view in the address bar: view mode, floor mode, active floor, layers,
// selection and camera pose. Pure encode/decode; urlSync.ts does the history.
// Example: ?view=3d&floors=stack&floor=L1&layers=zones,walls&sel=CR-101&cam=p:10,-30,40,24,15,0
import { FLOOR_MODES, type FloorMode, type ViewMode } from '../state/layout.ts';
import { LAYER_IDS, type LayerId, type Layers } from '../state/store.ts';

/** A camera pose in plan coordinates (m): perspective position + target, or plan target + zoom (px/m). */
export type Pose =
  | { kind: 'persp'; position: [number, number, number]; target: [number, number, number] }
  | { kind: 'ortho'; target: [number, number]; zoom: number };

/** Everything the URL carries. */
export interface UrlView {
  viewMode: ViewMode;
  floorMode: FloorMode;
  activeFloor: string;
  layers: Layers;
  selected: string | null;
  pose: Pose | null;
}

/** Parameters this module owns; others (`mode`, …) are kept as they are. */
export const VIEW_PARAMS = ['view', 'floors', 'floor', 'layers', 'sel', 'cam'] as const;

/** A length as the URL keeps it: to the centimetre (+ 0 turns -0 into 0). */
export const roundCm = (v: number): number => Math.round(v * 100) / 100 + 0;
/** A plan zoom (px/m) as the URL keeps it. */
export const roundZoom = (v: number): number => Math.round(v * 1000) / 1000;
const fmt = (v: number) => String(v);

/** Rounds a pose as the URL keeps it: centimetres, zoom to 0.001 px/m. */
export function roundPose(p: Pose): Pose {
  if (p.kind === 'persp') {
    const [x, y, z] = p.position, [tx, ty, tz] = p.target;
    return { kind: 'persp', position: [roundCm(x), roundCm(y), roundCm(z)], target: [roundCm(tx), roundCm(ty), roundCm(tz)] };
  }
  return { kind: 'ortho', target: [roundCm(p.target[0]), roundCm(p.target[1])], zoom: roundZoom(p.zoom) };
}

/** `p:x,y,z,tx,ty,tz` or `o:x,y,zoom`, rounded. */
export function formatPose(p: Pose): string {
  const r = roundPose(p);
  return r.kind === 'persp' ? `p:${[...r.position, ...r.target].map(fmt).join(',')}` : `o:${[...r.target, r.zoom].map(fmt).join(',')}`;
}

/** Parses `formatPose` output; null when malformed. */
export function parsePose(s: string): Pose | null {
  const m = /^([po]):(.*)$/.exec(s);
  if (!m) return null;
  const nums = m[2]!.split(',').map(Number);
  if (!nums.every(Number.isFinite)) return null;
  if (m[1] === 'p' && nums.length === 6) {
    const [a, b, c, d, e, f] = nums as [number, number, number, number, number, number];
    if (a === d && b === e && c === f) return null; // a camera cannot look at itself
    return { kind: 'persp', position: [a, b, c], target: [d, e, f] };
  }
  if (m[1] === 'o' && nums.length === 3 && nums[2]! > 0) return { kind: 'ortho', target: [nums[0]!, nums[1]!], zoom: nums[2]! };
  return null;
}

/**
 * The query string for a view, keeping parameters this module does not own
 * from `keep` (a location.search). Ids are URL-safe by the facility format.
 */
export function encodeView(v: UrlView, keep = ''): string {
  const parts: string[] = [];
  for (const [k, val] of new URLSearchParams(keep)) {
    if (!(VIEW_PARAMS as readonly string[]).includes(k) && k !== 'token') parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(val)}`);
  }
  parts.push(`view=${v.viewMode}`, `floors=${v.floorMode}`);
  if (v.activeFloor) parts.push(`floor=${encodeURIComponent(v.activeFloor)}`);
  const on = LAYER_IDS.filter((l) => v.layers[l]);
  parts.push(`layers=${on.length ? on.join(',') : '-'}`);
  if (v.selected) parts.push(`sel=${encodeURIComponent(v.selected)}`);
  if (v.pose) parts.push(`cam=${formatPose(v.pose)}`);
  return `?${parts.join('&')}`;
}

/** What a URL says, checked against the model: unknown floors and ids are dropped. */
export function decodeView(search: string, known: { floors: readonly string[]; has: (id: string) => boolean }): Partial<UrlView> {
  const q = new URLSearchParams(search);
  const out: Partial<UrlView> = {};
  const view = q.get('view');
  if (view === '3d' || view === 'plan') out.viewMode = view;
  const floors = q.get('floors');
  if (floors && (FLOOR_MODES as readonly string[]).includes(floors)) out.floorMode = floors as FloorMode;
  const floor = q.get('floor');
  if (floor && known.floors.includes(floor)) out.activeFloor = floor;
  const layers = q.get('layers');
  if (layers !== null) {
    const on = new Set(layers.split(','));
    out.layers = Object.fromEntries(LAYER_IDS.map((l) => [l, on.has(l)])) as Record<LayerId, boolean>;
  }
  const sel = q.get('sel');
  if (sel && known.has(sel)) out.selected = sel;
  const cam = q.get('cam');
  const pose = cam ? parsePose(cam) : null;
  // A pose only makes sense for the view it was taken in.
  if (pose && (pose.kind === 'ortho') === ((out.viewMode ?? '3d') === 'plan')) out.pose = pose;
  return out;
}
