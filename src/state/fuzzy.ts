// Keyboard search: a small fuzzy matcher over ids and names. Pure, so it is
// table-tested; the palette calls `fuzzySearch` on every keystroke, so one
// call stays well under a millisecond for a few thousand items.

/** A match of one query against one text: a score (higher is better) and the matched character positions. */
export interface FuzzyMatch { score: number; positions: number[] }

/** Something to find. */
export interface SearchItem {
  id: string;
  name: string;
  /** What it is: 'zone', 'door', … (shown, and breaks ties). */
  kind: string;
}

/** A found item with the positions to highlight in its id and name. */
export interface SearchHit<T extends SearchItem = SearchItem> { item: T; score: number; idPositions: number[]; namePositions: number[] }

const SEPARATORS = ' -_.:/·—()';
const EXACT = 1000, PREFIX = 900, SUBSTRING = 700, SUBSEQUENCE = 300;

function isBoundary(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1]!, cur = text[i]!;
  if (SEPARATORS.includes(prev)) return true;
  // camelCase and letter→digit transitions start a word too
  if (prev >= 'a' && prev <= 'z' && cur >= 'A' && cur <= 'Z') return true;
  const prevDigit = prev >= '0' && prev <= '9', curDigit = cur >= '0' && cur <= '9';
  return prevDigit !== curDigit && /[a-z0-9]/i.test(prev) && /[a-z0-9]/i.test(cur);
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);

// Scratch for the dynamic programme, grown as needed (search runs on every keystroke).
let _score = new Float64Array(1024);
let _from = new Int32Array(1024);

/**
 * Matches `query` (case-insensitive, spaces ignored) against `text`. Tiers,
 * best first: exact, prefix, substring (earlier and at a word start is
 * better), then an in-order subsequence scored by consecutive runs and word
 * starts and penalised by gaps. Null when the characters do not all occur in order.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  const m = q.length, n = t.length;
  if (m === 0) return { score: 0, positions: [] };
  if (m > n) return null;
  if (t === q) return { score: EXACT, positions: range(0, m) };
  if (t.startsWith(q)) return { score: PREFIX - (n - m), positions: range(0, m) };
  // Prefer a substring occurrence at a word start over an earlier one inside a word.
  let best = -1, bestScore = -Infinity;
  for (let at = t.indexOf(q); at >= 0; at = t.indexOf(q, at + 1)) {
    const s = SUBSTRING - at + (isBoundary(text, at) ? 60 : 0) - (n - m) * 0.25;
    if (s > bestScore) { bestScore = s; best = at; }
  }
  if (best >= 0) return { score: bestScore, positions: range(best, m) };

  // Cheap reject before the dynamic programme: are the characters there in order at all?
  for (let i = 0, j = 0; ; i++) {
    if (j === m) break;
    if (i === n) return null;
    if (t[i] === q[j]) j++;
  }

  // Subsequence: dynamic programme over (query char j, text position i).
  const NEG = -Infinity;
  if (_score.length < m * n) { _score = new Float64Array(m * n * 2); _from = new Int32Array(m * n * 2); }
  const score = _score, from = _from;
  score.fill(NEG, 0, m * n);
  const charScore = (i: number) => 10 + (isBoundary(text, i) ? 20 : 0);
  for (let i = 0; i < n; i++) if (t[i] === q[0]) score[i] = charScore(i) - Math.min(i, 10) * 0.5;
  for (let j = 1; j < m; j++) {
    // runMax holds max over k ≤ i-2 of score[j-1][k] + 0.5·k, so a gap of g = i-k-1 costs 0.5·g.
    let runMax = NEG, runArg = -1;
    for (let i = 1; i < n; i++) {
      if (i >= 2) {
        const k = i - 2, v = score[(j - 1) * n + k]! + 0.5 * k;
        if (v > runMax) { runMax = v; runArg = k; }
      }
      if (t[i] !== q[j]) continue;
      const adj = score[(j - 1) * n + i - 1]!;
      const viaAdj = adj === NEG ? NEG : adj + 15;
      const viaGap = runMax === NEG ? NEG : runMax - 0.5 * (i - 1);
      if (viaAdj === NEG && viaGap === NEG) continue;
      const c = charScore(i);
      if (viaAdj >= viaGap) { score[j * n + i] = viaAdj + c; from[j * n + i] = i - 1; }
      else { score[j * n + i] = viaGap + c; from[j * n + i] = runArg; }
    }
  }
  let end = -1, endScore = NEG;
  for (let i = 0; i < n; i++) {
    const v = score[(m - 1) * n + i]!;
    if (v > endScore) { endScore = v; end = i; }
  }
  if (end < 0) return null;
  const positions = new Array<number>(m);
  for (let j = m - 1, i = end; j >= 0; j--) {
    positions[j] = i;
    i = from[j * n + i]!;
  }
  // Scale into the subsequence tier so it never outranks a substring.
  const perChar = endScore / m; // at most 45 (boundary + consecutive)
  return { score: SUBSEQUENCE + Math.min(perChar, 45) * 5 - (n - m) * 0.25, positions };
}

/**
 * Finds items whose id or name match every whitespace-separated token of
 * `query`; best first (ties: shorter id, then id order). At most `limit` hits.
 */
export function fuzzySearch<T extends SearchItem>(query: string, items: readonly T[], limit = 50): SearchHit<T>[] {
  const tokens = query.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return [];
  const hits: SearchHit<T>[] = [];
  for (const item of items) {
    let total = 0;
    const idPositions: number[] = [], namePositions: number[] = [];
    let ok = true;
    for (const tok of tokens) {
      const a = fuzzyMatch(tok, item.id), b = fuzzyMatch(tok, item.name);
      // An id match is worth a little more: ids are what operators type.
      const sa = a ? a.score + 5 : -Infinity, sb = b ? b.score : -Infinity;
      if (sa === -Infinity && sb === -Infinity) { ok = false; break; }
      if (sa >= sb) { total += sa; idPositions.push(...a!.positions); }
      else { total += sb; namePositions.push(...b!.positions); }
    }
    if (ok) hits.push({ item, score: total, idPositions, namePositions });
  }
  hits.sort((x, y) => y.score - x.score || x.item.id.length - y.item.id.length || (x.item.id < y.item.id ? -1 : x.item.id > y.item.id ? 1 : 0));
  return hits.slice(0, limit);
}
