// The find palette's matcher: tiers, positions, multi-token queries, ordering.
import { describe, expect, it } from 'vitest';
import { fuzzyMatch, fuzzySearch, type SearchItem } from '../../src/state/fuzzy.ts';

describe('fuzzyMatch', () => {
  it.each([
    ['CR-101', 'CR-101', 1000],
    ['cr-101', 'CR-101', 1000],
  ])('exact match %s ~ %s scores %i', (q, t, score) => {
    expect(fuzzyMatch(q, t)).toEqual({ score, positions: [0, 1, 2, 3, 4, 5] });
  });

  it('ranks exact > prefix > substring > subsequence', () => {
    const exact = fuzzyMatch('cam-1', 'CAM-1')!.score;
    const prefix = fuzzyMatch('cam-1', 'CAM-101')!.score;
    const sub = fuzzyMatch('m-10', 'CAM-101')!.score;
    const seq = fuzzyMatch('c11', 'CAM-101')!.score;
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(sub);
    expect(sub).toBeGreaterThan(seq);
  });

  it('returns the matched positions', () => {
    expect(fuzzyMatch('fill', 'Aseptic Filling')!.positions).toEqual([8, 9, 10, 11]);
    expect(fuzzyMatch('af', 'Aseptic Filling')!.positions).toEqual([0, 8]);
  });

  it('prefers word starts for subsequences', () => {
    // "pw" hits "Prep & Washing" on both word starts
    expect(fuzzyMatch('pw', 'Prep & Washing')!.positions).toEqual([0, 7]);
    expect(fuzzyMatch('pw', 'Prep & Washing')!.score).toBeGreaterThan(fuzzyMatch('pw', 'Powder')!.score);
  });

  it('prefers a substring at a word start over an earlier one inside a word', () => {
    expect(fuzzyMatch('room', 'Cloakroom Room')!.positions).toEqual([10, 11, 12, 13]);
  });

  it('fails when the characters are not all there in order', () => {
    expect(fuzzyMatch('xyz', 'CR-101')).toBeNull();
    expect(fuzzyMatch('101c', 'CR-101')).toBeNull();
    expect(fuzzyMatch('toolong', 'short')).toBeNull();
  });

  it('matches everything with an empty query, ignoring spaces', () => {
    expect(fuzzyMatch('', 'x')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('c r', 'CR-1')!.score).toBe(fuzzyMatch('cr', 'CR-1')!.score);
  });

  it('keeps every seeded random subsequence matchable, with increasing in-range positions', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'abcdefghij -_0123';
    for (let k = 0; k < 500; k++) {
      const text = Array.from({ length: 3 + Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const q = [...text].filter(() => rnd() < 0.3).join('').replace(/\s/g, '');
      const m = fuzzyMatch(q, text);
      expect(m, `${q} in ${text}`).not.toBeNull();
      expect(m!.positions).toHaveLength(q.length);
      m!.positions.forEach((p, i) => {
        expect(text[p]!.toLowerCase()).toBe(q[i]!.toLowerCase());
        if (i > 0) expect(p).toBeGreaterThan(m!.positions[i - 1]!);
      });
    }
  });
});

describe('fuzzySearch', () => {
  const items: SearchItem[] = [
    { id: 'CR-101', name: 'Prep & Washing', kind: 'zone' },
    { id: 'CR-103', name: 'Aseptic Filling', kind: 'zone' },
    { id: 'CAM-103', name: 'Aseptic Filling North', kind: 'camera' },
    { id: 'T-CR103-1', name: 'Temperature · Aseptic Filling', kind: 'sensor' },
    { id: 'D-101', name: 'Clean room door', kind: 'door' },
  ];

  it('puts an exact id first', () => {
    expect(fuzzySearch('cr-103', items)[0]!.item.id).toBe('CR-103');
  });

  it('needs every token to match, in id or name', () => {
    const ids = fuzzySearch('temp fill', items).map((h) => h.item.id);
    expect(ids).toEqual(['T-CR103-1']);
    expect(fuzzySearch('aseptic north', items).map((h) => h.item.id)).toEqual(['CAM-103']);
  });

  it('breaks ties by shorter id, then id order', () => {
    const hits = fuzzySearch('aseptic filling', items);
    expect(hits.map((h) => h.item.id).slice(0, 2)).toEqual(['CR-103', 'CAM-103']);
  });

  it('returns nothing for a blank query, and at most `limit` hits', () => {
    expect(fuzzySearch('  ', items)).toEqual([]);
    expect(fuzzySearch('c', items, 2)).toHaveLength(2);
  });

  it('reports highlight positions per field', () => {
    const h = fuzzySearch('d-101', items)[0]!;
    expect(h.item.id).toBe('D-101');
    expect(h.idPositions).toEqual([0, 1, 2, 3, 4]);
    expect(h.namePositions).toEqual([]);
  });

  it('searches 5,000 items in well under 50 ms', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ id: `S-${i}`, name: `Sensor number ${i} in zone ${i % 97}`, kind: 'sensor' }));
    fuzzySearch('sn 42 z', many); // warm up
    const t0 = performance.now();
    fuzzySearch('sn 42 z', many);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});
