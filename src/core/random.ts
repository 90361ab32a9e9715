// A small seeded generator (mulberry32) for what must come out the same on
// every run: the tour's shuffles, generated test plants, benchmark picks.
// (The simulator's Rng in server/sim/random.ts is the same generator with
// forks and distributions on top.)

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
