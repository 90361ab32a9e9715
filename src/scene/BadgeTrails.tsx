// Badge trails of the open incident (issue 6): each badge's path through the
// doors (and floors) it used, as a polyline at head height, animated by the
// timeline's cursor: the part up to the cursor solid, the rest faint, and a
// marker at the badge's last door read before the cursor. A step on another
// floor is drawn at that floor's height, so a trail climbs with the badge.
import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, LineBasicMaterial, MeshBasicMaterial, SphereGeometry } from 'three';
import { useShallow } from 'zustand/react/shallow';
import { debug } from '../app/debug.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { useTimeline } from '../state/timeline.ts';
import { stepsPassed, trailPoints, type TrailPoint } from '../state/trails.ts';
import { writePlanPoint } from './coords.ts';
import { trailColor } from './palette.ts';

/** Height of the trail above each floor's slab, m. */
export const TRAIL_HEIGHT_M = 1.2;

const marker = new SphereGeometry(0.35, 16, 12);

function Trail({ badge, steps, color, passed }: { badge: string; steps: TrailPoint[]; color: string; passed: number }) {
  // Re-placed when the floors' layout changes.
  const layoutKey = useTwin(useShallow((s) => [s.floorMode, s.viewMode, s.activeFloor, s.explodeGap] as const));
  const points = useMemo(() => {
    const s = useTwin.getState();
    return steps.map((p) => [p.x, p.y, floorPlacement(s, p.floor).lift + TRAIL_HEIGHT_M] as const);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [steps, layoutKey]);
  const mats = useMemo(() => ({
    solid: new LineBasicMaterial({ color, depthTest: false, transparent: true }),
    faint: new LineBasicMaterial({ color, depthTest: false, transparent: true, opacity: 0.3 }),
    marker: new MeshBasicMaterial({ color, depthTest: false, transparent: true }),
  }), [color]);
  useEffect(() => () => { mats.solid.dispose(); mats.faint.dispose(); mats.marker.dispose(); }, [mats]);
  // The part up to the cursor and the rest: rebuilt when a step is passed (a few segments).
  const { solid, faint } = useMemo(() => {
    const seg = (from: number, to: number) => {
      const n = Math.max(0, to - from);
      const pos = new Float32Array(n * 6);
      for (let k = 0; k < n; k++) {
        const a = points[from + k]!, b = points[from + k + 1]!;
        writePlanPoint(pos, k * 6, a[0], a[1], a[2]);
        writePlanPoint(pos, k * 6 + 3, b[0], b[1], b[2]);
      }
      const g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(pos, 3));
      return g;
    };
    const last = Math.max(0, Math.min(points.length - 1, passed - 1));
    return { solid: seg(0, last), faint: seg(last, points.length - 1) };
  }, [points, passed]);
  useEffect(() => () => { solid.dispose(); faint.dispose(); }, [solid, faint]);
  const at = passed > 0 ? points[Math.min(points.length, passed) - 1] : undefined;
  const p = new Float32Array(3);
  if (at) writePlanPoint(p, 0, at[0], at[1], at[2]);
  return (
    <group name={`trail:${badge}`}>
      <lineSegments geometry={solid} material={mats.solid} renderOrder={13} />
      <lineSegments geometry={faint} material={mats.faint} renderOrder={13} />
      {at && <mesh geometry={marker} material={mats.marker} position={[p[0]!, p[1]!, p[2]!]} renderOrder={14} name={`trail-at:${badge}`} />}
    </group>
  );
}

/** The open incident's badge trails (nothing without an incident). */
export function BadgeTrails() {
  const badges = useTimeline((s) => s.incident?.badges ?? null);
  const ix = useTwin((s) => s.index);
  const steps = useMemo(() => (ix && badges ? badges.map((b) => trailPoints(ix, b)) : []), [ix, badges]);
  // Steps each badge has taken by the cursor, as one string: re-renders only when one changes.
  const passedKey = useTimeline((s) => steps.map((pts) => stepsPassed(pts, s.mode === 'live' ? null : s.cursor)).join(','));
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => { invalidate(); }, [badges, passedKey, invalidate]);
  const passed = passedKey === '' ? [] : passedKey.split(',').map(Number);
  useEffect(() => {
    debug.trails = () => (badges ?? []).map((b, i) => ({
      badge: b.badge, color: trailColor(i), passed: passed[i] ?? 0,
      points: (steps[i] ?? []).map((p) => ({ floor: p.floor, x: p.x, y: p.y })),
    }));
  });
  if (!badges || badges.length === 0) return null;
  return <group name="badge-trails">{badges.map((b, i) => <Trail key={b.badge} badge={b.badge} steps={steps[i] ?? []} color={trailColor(i)} passed={passed[i] ?? 0} />)}</group>;
}
