// Outlines (and, for areas, a light fill) around the selected or hovered
// entity, or the open incident's door and the cameras that see it (each with
// its own frustum and footprint), drawn through walls. Updated imperatively
// from the stores or the hover module into preallocated buffers: hovering
// causes no React render.
import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, LineSegments, Mesh, ShapeUtils, Vector2 } from 'three';
import type { FacilityIndex } from '../core/facility/model.ts';
import type { Floor } from '../core/facility/schema.ts';
import { bounds, type Polygon } from '../core/geometry.ts';
import { entityBoxes } from '../state/placement.ts';
import { floorPlacement, useTwin, type TwinState } from '../state/store.ts';
import { hover, subscribeHover } from '../state/hover.ts';
import { useTimeline } from '../state/timeline.ts';
import { debug } from '../app/debug.ts';
import { writePlanPoint } from './coords.ts';
import { faceEdges, frustumFaces } from './geometry/frustum.ts';
import { materials } from './materials.ts';

/** Most segments and fill triangles an outline may use (an HVAC unit's zones can be many). */
const MAX_SEGMENTS = 16384;
const MAX_TRIANGLES = 16384;

class OutlineWriter {
  seg = 0;
  tri = 0;
  constructor(readonly lines: Float32Array, readonly fill: Float32Array) {}
  line(ax: number, ay: number, az: number, bx: number, by: number, bz: number) {
    if (this.seg >= MAX_SEGMENTS) return;
    writePlanPoint(this.lines, this.seg * 6, ax, ay, az);
    writePlanPoint(this.lines, this.seg * 6 + 3, bx, by, bz);
    this.seg++;
  }
  prismOutline(poly: Polygon, z0: number, z1: number) {
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      this.line(a[0], a[1], z0, b[0], b[1], z0);
      this.line(a[0], a[1], z1, b[0], b[1], z1);
      this.line(a[0], a[1], z0, a[0], a[1], z1);
    }
  }
  polygonFill(poly: Polygon, z: number) {
    const tris = ShapeUtils.triangulateShape(poly.map((p) => new Vector2(p[0], p[1])), []);
    for (const t of tris) {
      if (this.tri >= MAX_TRIANGLES) return;
      for (let k = 0; k < 3; k++) {
        const p = poly[t[k]!]!;
        writePlanPoint(this.fill, this.tri * 9 + k * 3, p[0], p[1], z);
      }
      this.tri++;
    }
  }
  box(min: readonly number[], max: readonly number[]) {
    const [x0, y0, z0] = min as [number, number, number], [x1, y1, z1] = max as [number, number, number];
    this.prismOutline([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], z0, z1);
  }
}

/** Writes the outline of entity `id` on drawn floors. */
function writeOutline(w: OutlineWriter, s: TwinState, ix: FacilityIndex, id: string): void {
  const e = ix.byId.get(id);
  if (!e) return;
  const lift = (f: Floor) => {
    const p = floorPlacement(s, f.id);
    return p.display === 'full' ? p.lift : null;
  };
  const zone = (zid: string) => {
    const z = ix.zones.get(zid);
    const l = z ? lift(z.floor) : null;
    if (!z || l === null) return;
    w.prismOutline(z.zone.polygon, l + 0.05, l + z.floor.height * 0.97);
    w.polygonFill(z.zone.polygon, l + 0.06);
  };
  if (e.kind === 'zone') zone(id);
  else if (e.kind === 'hvac') for (const zid of e.item.serves) zone(zid);
  else if (e.kind === 'floor') {
    const l = lift(e.floor);
    if (l !== null) w.prismOutline(e.floor.outline, l, l + e.floor.height);
  } else {
    const l = lift(e.floor);
    if (l === null) return;
    for (const b of entityBoxes(ix, id)) w.box([b.min[0], b.min[1], l + b.min[2]], [b.max[0], b.max[1], l + b.max[2]]);
    if (e.kind === 'camera') {
      const faces = frustumFaces(e.item, e.floor.height, bounds(e.floor.outline));
      for (const [a, b] of faceEdges(faces)) w.line(a[0], a[1], l + a[2], b[0], b[1], l + b[2]);
      // Fill its footprint on the slab: what it covers.
      const foot = faces.find((f) => f.every((p) => Math.abs(p[2]) < 1e-6));
      if (foot) w.polygonFill(foot.map((p) => [p[0], p[1]] as const), l + 0.06);
    }
  }
}

/** What each highlight outlines. */
export type HighlightSource = 'selection' | 'hover' | 'incident';

const MATERIALS = {
  selection: { line: materials.selection, fill: materials.selectionFill, order: 10 },
  hover: { line: materials.hover, fill: materials.hoverFill, order: 11 },
  incident: { line: materials.incident, fill: materials.incidentFill, order: 9 },
} as const;

/** The ids a highlight outlines now. */
function highlightIds(source: HighlightSource, s: TwinState): string[] {
  if (source === 'selection') return s.selected ? [s.selected] : [];
  if (source === 'hover') return hover.id && hover.id !== s.selected ? [hover.id] : [];
  const inc = useTimeline.getState().incident;
  return inc ? [inc.alarm.door.id, ...inc.cameras.map((c) => c.id)] : [];
}

export function Highlight({ source }: { source: HighlightSource }) {
  const invalidate = useThree((s) => s.invalidate);
  const parts = useMemo(() => {
    const lines = new Float32Array(MAX_SEGMENTS * 6), fill = new Float32Array(MAX_TRIANGLES * 9);
    const lg = new BufferGeometry(), fg = new BufferGeometry();
    lg.setAttribute('position', new BufferAttribute(lines, 3));
    fg.setAttribute('position', new BufferAttribute(fill, 3));
    const m = MATERIALS[source];
    const lineObj = new LineSegments(lg, m.line);
    const fillObj = new Mesh(fg, m.fill);
    lineObj.name = `highlight:${source}`;
    for (const o of [lineObj, fillObj]) { o.frustumCulled = false; o.renderOrder = m.order; o.raycast = () => {}; }
    return { writer: new OutlineWriter(lines, fill), lg, fg, lineObj, fillObj };
  }, [source]);
  useEffect(() => () => { parts.lg.dispose(); parts.fg.dispose(); }, [parts]);

  useEffect(() => {
    const update = () => {
      const s = useTwin.getState();
      const ids = highlightIds(source, s);
      const w = parts.writer;
      w.seg = 0; w.tri = 0;
      if (s.index) for (const id of ids) writeOutline(w, s, s.index, id);
      debug.highlights[source] = { ids, segments: w.seg, triangles: w.tri };
      parts.lg.setDrawRange(0, w.seg * 2);
      parts.fg.setDrawRange(0, w.tri * 3);
      for (const [g, n] of [[parts.lg, w.seg * 6], [parts.fg, w.tri * 9]] as const) {
        const attr = g.attributes['position'] as BufferAttribute;
        attr.clearUpdateRanges();
        attr.addUpdateRange(0, Math.max(n, 1)); // upload only what was written
        attr.needsUpdate = true;
      }
      parts.lineObj.visible = w.seg > 0;
      parts.fillObj.visible = w.tri > 0;
      invalidate();
    };
    update();
    const unsubStore = useTwin.subscribe((s, prev) => {
      if (s.selected !== prev.selected || s.activeFloor !== prev.activeFloor || s.floorMode !== prev.floorMode || s.viewMode !== prev.viewMode || s.index !== prev.index) update();
    });
    const unsubHover = source === 'hover' ? subscribeHover((idChanged) => { if (idChanged) update(); }) : () => {};
    const unsubIncident = source === 'incident' ? useTimeline.subscribe((t, prev) => { if (t.incident !== prev.incident) update(); }) : () => {};
    return () => { unsubStore(); unsubHover(); unsubIncident(); };
  }, [parts, source, invalidate]);

  return (
    <>
      <primitive object={parts.fillObj} />
      <primitive object={parts.lineObj} />
    </>
  );
}
