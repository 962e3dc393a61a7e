/**
 * Dynamic time warping between two sequences of feature vectors (frame-major
 * Float32Arrays with `dim` values per frame). Steps: (1,0), (0,1), (1,1), each
 * costing the local distance; returns the optimal path.
 */
export interface DtwResult {
  /** Sum of local distances along the path. */
  cost: number;
  /** Aligned frame pairs [i, j], from (0, 0) to (n-1, m-1). */
  path: Array<[number, number]>;
}

export function dtw(a: Float32Array, b: Float32Array, dim: number, distance: (a: Float32Array, i: number, b: Float32Array, j: number) => number): DtwResult {
  const n = a.length / dim;
  const m = b.length / dim;
  if (n === 0 || m === 0) return { cost: 0, path: [] };
  const acc = new Float64Array(n * m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const d = distance(a, i, b, j);
      if (i === 0 && j === 0) {
        acc[0] = d;
        continue;
      }
      let best = Infinity;
      if (i > 0) best = Math.min(best, acc[(i - 1) * m + j]);
      if (j > 0) best = Math.min(best, acc[i * m + j - 1]);
      if (i > 0 && j > 0) best = Math.min(best, acc[(i - 1) * m + j - 1]);
      acc[i * m + j] = best + d;
    }
  }
  const path: Array<[number, number]> = [];
  let i = n - 1;
  let j = m - 1;
  path.push([i, j]);
  while (i > 0 || j > 0) {
    if (i === 0) j--;
    else if (j === 0) i--;
    else {
      const diag = acc[(i - 1) * m + j - 1];
      const up = acc[(i - 1) * m + j];
      const left = acc[i * m + j - 1];
      if (diag <= up && diag <= left) {
        i--;
        j--;
      } else if (up <= left) i--;
      else j--;
    }
    path.push([i, j]);
  }
  path.reverse();
  return { cost: acc[n * m - 1], path };
}
