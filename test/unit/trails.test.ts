// Badge-trail maths (issue 6): the steps' plan positions on their doors'
// floors, and how many steps the time cursor has passed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadFacilityText } from '../../src/core/facility/validate.ts';
import type { IncidentBadge } from '../../src/core/bundle.ts';
import { stepsPassed, trailPoints } from '../../src/state/trails.ts';

const loaded = loadFacilityText(readFileSync(new URL('../fixtures/small-plant.json', import.meta.url), 'utf8'));
if (!loaded.ok) throw new Error('fixture does not load');
const ix = indexFacility(loaded.facility);

const step = (ts: string, door: string, type: 'access.granted' | 'access.denied' = 'access.granted') =>
  ({ ts, type, door, zones: ['?', '?'] as [string, string], floor: '?' });

describe('trailPoints', () => {
  const badge: IncidentBadge = {
    badge: 'B-7', doors: ['D-101'],
    trail: [
      step('2026-11-02T08:00:00.000Z', 'D-110'),
      step('2026-11-02T08:01:00.000Z', 'D-201'), // upstairs
      step('2026-11-02T08:02:00.000Z', 'D-101', 'access.denied'),
    ],
  };

  it('places each step on its door, on the door’s own floor, and keeps denials', () => {
    expect(trailPoints(ix, badge)).toEqual([
      { door: 'D-110', floor: 'L1', x: 0, y: 14, ts: Date.parse('2026-11-02T08:00:00Z'), denied: false },
      { door: 'D-201', floor: 'L2', x: 10, y: 14, ts: Date.parse('2026-11-02T08:01:00Z'), denied: false },
      { door: 'D-101', floor: 'L1', x: 8, y: 12, ts: Date.parse('2026-11-02T08:02:00Z'), denied: true },
    ]);
  });

  it('leaves out doors the facility does not have and unreadable times, and orders by time', () => {
    const pts = trailPoints(ix, { badge: 'B', doors: [], trail: [
      step('2026-11-02T08:05:00.000Z', 'D-102'),
      step('2026-11-02T08:01:00.000Z', 'D-GONE'),
      step('not a time', 'D-101'),
      step('2026-11-02T08:03:00.000Z', 'D-202'),
    ] });
    expect(pts.map((p) => p.door)).toEqual(['D-202', 'D-102']);
  });
});

describe('stepsPassed', () => {
  const pts = [{ ts: 100 }, { ts: 200 }, { ts: 200 }, { ts: 300 }];
  it.each([
    [99, 0], [100, 1], [150, 1], [200, 3], [299, 3], [300, 4], [1e12, 4],
  ])('at cursor %d the badge has taken %d steps (a read at the cursor counts)', (cursor, n) => {
    expect(stepsPassed(pts, cursor)).toBe(n);
  });
  it('live (no cursor) shows the whole trail; an empty trail has none', () => {
    expect(stepsPassed(pts, null)).toBe(4);
    expect(stepsPassed([], 500)).toBe(0);
  });
});
