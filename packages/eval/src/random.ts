/**
 * Small seeded generators so that subset sampling (KID) and test data are
 * reproducible run to run; Math.random cannot be seeded.
 */

/** mulberry32: a 32-bit state PRNG returning floats in [0, 1). Plenty for sampling, not for cryptography. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample via Box-Muller (one of the pair is discarded for simplicity). */
export function standardNormal(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: keeps log finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `count` distinct indices from [0, n), uniformly, via a partial Fisher-Yates shuffle. */
export function sampleWithoutReplacement(n: number, count: number, rand: () => number): Int32Array {
  if (count > n) throw new Error(`sampleWithoutReplacement: count ${count} > n ${n}`);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, count);
}
