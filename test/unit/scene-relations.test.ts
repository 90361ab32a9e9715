// The inspector's cheap "camera sees zone" test and the frustum as drawn.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFacilityText } from '../../src/core/facility/validate.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import type { Camera, Zone } from '../../src/core/facility/schema.ts';
import { buildCameraZoneRelations, cameraFrame, cameraSeesZone, detectionRange, inFrustum } from '../../src/state/relations.ts';
import { faceEdges, frustumFaces } from '../../src/scene/geometry/frustum.ts';

const cam = (over: Partial<Camera> = {}): Camera => ({
  id: 'C', name: 'C', position: [0, 0], mountHeight: 3, yaw: 0, tilt: 0, hfov: 90, vfov: 90, resolution: [1000, 1000], ...over,
});
const zone = (poly: Array<[number, number]>): Zone => ({ id: 'Z', name: 'Z', kind: 'office', polygon: poly, critical: false });

describe('detectionRange', () => {
  it('is resW / (2·25·tan(hfov/2))', () => {
    expect(detectionRange(cam({ hfov: 90, resolution: [1000, 1000] }))).toBeCloseTo(20, 9);
    expect(detectionRange(cam({ hfov: 60, resolution: [1920, 1080] }))).toBeCloseTo(1920 / (50 * Math.tan(Math.PI / 6)), 9);
  });
});

describe('inFrustum (metrics.md §2 frame)', () => {
  const fr = cameraFrame(cam({ yaw: 90, tilt: 0 })); // looking north (+y), level
  it.each([
    [0, 10, 3, true], // straight ahead
    [9.9, 10, 3, true], // just inside the 45° half-angle
    [10.1, 10, 3, false], // just outside
    [0, -10, 3, false], // behind
    [0, 20, 3, true], // at range
    [0, 20.1, 3, false], // beyond detection range
    [0, 10, 12.9, true], // vertical half-angle 45°
    [0, 10, 13.1, false],
  ])('(%d, %d, %d) → %s', (x, y, z, inside) => {
    expect(inFrustum(fr, x, y, z)).toBe(inside);
  });

  it('tilts the axis down', () => {
    const down = cameraFrame(cam({ tilt: 90, mountHeight: 3, hfov: 10, vfov: 10 }));
    expect(inFrustum(down, 0, 0, 0)).toBe(true);
    expect(inFrustum(down, 2, 0, 0)).toBe(false);
  });
});

describe('cameraSeesZone', () => {
  it('sees a zone ahead within range, not one behind or out of range', () => {
    const c = cam({ yaw: 0, tilt: 10 });
    expect(cameraSeesZone(c, zone([[5, -2], [10, -2], [10, 2], [5, 2]]))).toBe(true);
    expect(cameraSeesZone(c, zone([[-10, -2], [-5, -2], [-5, 2], [-10, 2]]))).toBe(false);
    expect(cameraSeesZone(c, zone([[30, -2], [40, -2], [40, 2], [30, 2]]))).toBe(false);
  });

  it('sees a zone when only part of it is in view', () => {
    const c = cam({ yaw: 0, tilt: 10, hfov: 20, vfov: 20 });
    expect(cameraSeesZone(c, zone([[5, -10], [15, -10], [15, 0.5], [5, 0.5]]))).toBe(true);
  });
});

describe('buildCameraZoneRelations', () => {
  const f = loadFacilityText(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8'));
  if (!f.ok) throw new Error('fixture invalid');
  const ix = indexFacility(f.facility);
  const rel = buildCameraZoneRelations(ix);

  it('relates cameras and zones both ways, floor by floor', () => {
    for (const [camId, zones] of rel.zonesByCamera) {
      const camFloor = ix.cameras.get(camId)!.floor.id;
      for (const z of zones) {
        expect(ix.zones.get(z)!.floor.id).toBe(camFloor);
        expect(rel.camerasByZone.get(z)).toContain(camId);
      }
    }
  });

  it('has the hand-checked relations of the fixture', () => {
    // CAM-102 sits in clean room A's corner looking into it; CAM-107 looks into the server room.
    expect(rel.zonesByCamera.get('CAM-102')).toContain('CR-101');
    expect(rel.zonesByCamera.get('CAM-107')).toContain('SRV-101');
    expect(rel.camerasByZone.get('CR-201')).toContain('CAM-202');
    // Nothing on L2 sees a zone of L1.
    expect(rel.zonesByCamera.get('CAM-201')).not.toContain('COR-101');
  });
});

describe('frustumFaces', () => {
  it('is the closed pyramid when nothing clips it', () => {
    const faces = frustumFaces(cam({ yaw: 0, tilt: 0, mountHeight: 50, hfov: 20, vfov: 20 }), 100);
    expect(faces).toHaveLength(5);
    expect(faceEdges(faces)).toHaveLength(8);
  });

  it('stays inside the storey and the given box', () => {
    const c = cam({ position: [1, 1], yaw: 30, tilt: 20, mountHeight: 3, hfov: 90, vfov: 60, resolution: [3840, 2160] });
    const box = { minX: 0, minY: 0, maxX: 30, maxY: 20 };
    const faces = frustumFaces(c, 4, box);
    expect(faces.length).toBeGreaterThan(5);
    for (const f of faces) {
      for (const p of f) {
        expect(p[2]).toBeGreaterThanOrEqual(-1e-6);
        expect(p[2]).toBeLessThanOrEqual(4 + 1e-6);
        expect(p[0]).toBeGreaterThanOrEqual(-1e-6);
        expect(p[0]).toBeLessThanOrEqual(30 + 1e-6);
        expect(p[1]).toBeGreaterThanOrEqual(-1e-6);
        expect(p[1]).toBeLessThanOrEqual(20 + 1e-6);
      }
    }
    // The slab cap (z = 0) is part of it: the footprint on the floor.
    expect(faces.some((f) => f.every((p) => Math.abs(p[2]) < 1e-6))).toBe(true);
  });
});
