// Badge trails of the open incident (issue 6): each badge's path through the
// doors (and floors) it used, as a polyline at head height, animated by the
// timeline's cursor: the part up to the cursor solid, the rest faint, and a
// marker at the badge's last door before the cursor.
import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, LineBasicMaterial, MeshBasicMaterial, SphereGeometry } from 'three';
import { useShallow } from 'zustand/react/shallow';
import type { IncidentBadge } from '../core/bundle.ts';
import { floorPlacement, useTwin } from '../state/store.ts';
import { useTimeline } from '../state/timeline.ts';
import { writePlanPoint } from './coords.ts';

/** Height of the trail above each floor's slab, m. */
const TRAIL_HEIGHT_M = 1.2;
/** Trail colours, one per badge in turn (Okabe–Ito). */
const TRAIL_COLORS = ['#cc79a7', '#f0e442', '#009e73', '#56b4e9', '#e69f00', '#0072b2'];

const marker = new SphereGeometry(0.35, 16, 12);

function Trail({ badge, color, passed }: { badge: IncidentBadge; color: string; passed: number }) {
  const ix = useTwin((s) => s.index);
  // Re-placed when the floors' layout changes.
  const layoutKey = useTwin(useShallow((s) => [s.floorMode, s.viewMode, s.activeFloor, s.explodeGap] as const));
  const points = useMemo(() => {
    const s = useTwin.getState();
    const out: [number, number, number][] = [];
    for (const st of badge.trail) {
      const d = ix?.doors.get(st.door)?.door;
      if (!d) continue;
      const lift = floorPlacement(s, st.floor).lift;
      out.push([d.position[0], d.position[1], lift + TRAIL_HEIGHT_M]);
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [badge, ix, layoutKey]);
  const { solid, faint, mats } = useMemo(() => {
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
    return {
      solid: seg(0, last),
      faint: seg(last, points.length - 1),
      mats: {
        solid: new LineBasicMaterial({ color, depthTest: false, transparent: true }),
        faint: new LineBasicMaterial({ color, depthTest: false, transparent: true, opacity: 0.3 }),
        marker: new MeshBasicMaterial({ color, depthTest: false, transparent: true }),
      },
    };
  }, [points, passed, color]);
  useEffect(() => () => { solid.dispose(); faint.dispose(); mats.solid.dispose(); mats.faint.dispose(); mats.marker.dispose(); }, [solid, faint, mats]);
  const at = passed > 0 ? points[Math.min(points.length, passed) - 1] : undefined;
  const p = new Float32Array(3);
  if (at) writePlanPoint(p, 0, at[0], at[1], at[2]);
  return (
    <group name={`trail:${badge.badge}`}>
      <lineSegments geometry={solid} material={mats.solid} renderOrder={13} />
      <lineSegments geometry={faint} material={mats.faint} renderOrder={13} />
      {at && <mesh geometry={marker} material={mats.marker} position={[p[0]!, p[1]!, p[2]!]} renderOrder={14} name={`trail-at:${badge.badge}`} />}
    </group>
  );
}

/** The open incident's badge trails (nothing without an incident). */
export function BadgeTrails() {
  const badges = useTimeline((s) => s.incident?.badges ?? null);
  // Steps each badge has taken by the cursor, as one string: re-renders only when one changes.
  const passedKey = useTimeline((s) => (s.incident?.badges ?? []).map((b) => {
    if (s.mode === 'live') return b.trail.length;
    let n = 0;
    for (const st of b.trail) if (Date.parse(st.ts) <= s.cursor) n++;
    return n;
  }).join(','));
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => { invalidate(); }, [badges, passedKey, invalidate]);
  if (!badges || badges.length === 0) return null;
  const passed = passedKey.split(',').map(Number);
  return <group name="badge-trails">{badges.map((b, i) => <Trail key={b.badge} badge={b} color={TRAIL_COLORS[i % TRAIL_COLORS.length]!} passed={passed[i] ?? 0} />)}</group>;
}
