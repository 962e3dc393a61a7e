/**
 * Keys' cubic convolution kernel with a = -0.75 (PyTorch grid_sample / interpolate 'bicubic',
 * cv2 INTER_CUBIC), written once for every runtime's bicubic warp: the four tap weights of a
 * sample at fraction f in [0, 1) past pixel floor(s), for the taps floor(s) - 1 .. floor(s) + 2
 * (distances 1 + f, f, 1 - f, 2 - f), and their derivatives in f (the flow gradient on tfjs;
 * the engine differentiates the same polynomials itself). Generic over the tensor type T.
 */
export const KEYS_A = -0.75;

/** kernel polynomials in the distance x, highest power first: |x| <= 1 and 1 < |x| < 2 */
const NEAR = [KEYS_A + 2, -(KEYS_A + 3), 0, 1],
  FAR = [KEYS_A, -5 * KEYS_A, 8 * KEYS_A, -4 * KEYS_A];
const slope = (p: number[]) => p.slice(0, -1).map((c, i) => c * (p.length - 1 - i));

/** What the polynomials need of a runtime: a·x + b, and x·y. */
export interface CubicArith<T> {
  affine(x: T, a: number, b: number): T;
  mul(x: T, y: T): T;
}

/** Horner: p(x) with p's coefficients highest first (at least 2). */
function poly<T>(ar: CubicArith<T>, p: number[], x: T): T {
  let acc = ar.affine(x, p[0], p[1]);
  for (const c of p.slice(2)) acc = ar.affine(ar.mul(acc, x), 1, c);
  return acc;
}

/** the tap distances a·f + b (1 + f, f, 1 - f, 2 - f; a = d distance / d f) and which polynomial each uses */
const TAPS = [
  { a: 1, b: 1, far: true },
  { a: 1, b: 0, far: false },
  { a: -1, b: 1, far: false },
  { a: -1, b: 2, far: true },
];

/** The four tap weights at fraction f (they sum to 1). */
export function cubicWeights<T>(ar: CubicArith<T>, f: T): T[] {
  return TAPS.map((tap) => poly(ar, tap.far ? FAR : NEAR, ar.affine(f, tap.a, tap.b)));
}

/** d weight / d f of each tap. */
export function cubicWeightSlopes<T>(ar: CubicArith<T>, f: T): T[] {
  return TAPS.map((tap) => ar.affine(poly(ar, slope(tap.far ? FAR : NEAR), ar.affine(f, tap.a, tap.b)), tap.a, 0));
}
