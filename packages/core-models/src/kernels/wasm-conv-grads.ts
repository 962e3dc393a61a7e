/**
 * Conv gradient kernels built on the backend's fast forward conv2d (tfjs 4.22).
 *
 * wasm has no Conv2DBackpropFilter at all (so no conv weight gradient), and its
 * Conv2DBackpropInput runs at ~3 GFLOP/s against ~34 for conv2d. Both are expressed as
 * forward convolutions here: dW is a conv of the transposed input with the transposed
 * output gradient, dX is a correlation of the (zero-inserted) output gradient with the
 * flipped filter. Checked against the cpu backend's autodiff in kernels.test.ts.
 */
import { tf } from '../tf';

type Pad = 'same' | 'valid';

function samePads(n: number, k: number, s: number, p: Pad): [number, number] {
  if (p !== 'same') return [0, 0];
  const t = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [t >> 1, t - (t >> 1)];
}

export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], s: number, p: Pad): tf.Tensor4D {
  const [kh, kw] = filterShape;
  const [pt, pb] = samePads(x.shape[1], kh, s, p);
  const [pl, pr] = samePads(x.shape[2], kw, s, p);
  const xT = tf
    .pad(x, [
      [0, 0],
      [pt, pb],
      [pl, pr],
      [0, 0],
    ])
    .transpose<tf.Tensor4D>([3, 1, 2, 0]);
  const r = tf.conv2d(xT, dy.transpose<tf.Tensor4D>([1, 2, 0, 3]), 1, 'valid', 'NHWC', s);
  return r.slice([0, 0, 0, 0], [-1, kh, kw, -1]).transpose<tf.Tensor4D>([1, 2, 0, 3]);
}

export function conv2dInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, inputShape: number[], s: number, p: Pad): tf.Tensor4D {
  const [kh, kw] = w.shape;
  const H = inputShape[1],
    W = inputShape[2];
  const [pt] = samePads(H, kh, s, p);
  const [pl] = samePads(W, kw, s, p);
  const [n, ho, wo, c] = dy.shape;
  let d: tf.Tensor4D = dy;
  if (s > 1) {
    d = dy
      .reshape([n, ho, 1, wo, 1, c])
      .pad([
        [0, 0],
        [0, 0],
        [0, s - 1],
        [0, 0],
        [0, s - 1],
        [0, 0],
      ])
      .reshape([n, ho * s, wo * s, c])
      .slice([0, 0, 0, 0], [n, (ho - 1) * s + 1, (wo - 1) * s + 1, c]) as tf.Tensor4D;
  }
  const wf = tf.reverse(w, [0, 1]).transpose<tf.Tensor4D>([0, 1, 3, 2]);
  return tf.conv2d(d, wf, 1, [
    [0, 0],
    [kh - 1 - pt, H + pt - d.shape[1]],
    [kw - 1 - pl, W + pl - d.shape[2]],
    [0, 0],
  ]);
}

interface ConvAttrs {
  strides: number | number[];
  pad: unknown;
  dataFormat?: string;
  dimRoundingMode?: unknown;
  filterShape: number[];
  inputShape: number[];
}

// biome-ignore lint/suspicious/noExplicitAny: incRef, makeTensorInfo and makeOutput of the cpu and wasm backends are not on tfjs's KernelBackend type
type AnyBackend = any;

/** One conv gradient kernel: its tfjs name, its inputs in order, its output's shape and the computation. */
interface ConvGrad {
  name: string;
  inputNames: string[];
  outShape: (a: ConvAttrs) => number[];
  fn: (a: tf.Tensor4D, b: tf.Tensor4D, stride: number, attrs: ConvAttrs) => tf.Tensor;
}

const CONV_GRADS: readonly ConvGrad[] = [
  {
    name: 'Conv2DBackpropFilter',
    inputNames: ['x', 'dy'],
    outShape: (a) => a.filterShape,
    fn: (x, dy, s, a) => conv2dFilterGrad(x, dy, a.filterShape, s, a.pad as Pad),
  },
  {
    name: 'Conv2DBackpropInput',
    inputNames: ['dy', 'filter'],
    outShape: (a) => a.inputShape,
    fn: (dy, w, s, a) => conv2dInputGrad(dy, w, a.inputShape, s, a.pad as Pad),
  },
];

function convGradKernel(backendName: 'wasm' | 'cpu', { name, inputNames, outShape, fn }: ConvGrad): tf.KernelConfig {
  return {
    kernelName: name,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as ConvAttrs;
      const strides = ([] as number[]).concat(a.strides);
      if (strides.some((v) => v !== strides[0]) || typeof a.pad !== 'string' || a.dataFormat === 'NCHW' || a.dimRoundingMode != null) {
        throw new Error(`${name} (diffgan wasm kernel): only NHWC, square strides and 'same'|'valid' padding are supported`);
      }
      const b = backend as AnyBackend;
      const wrap = (t: tf.TensorInfo): tf.Tensor4D => {
        b.incRef(t.dataId);
        return tf.engine().makeTensorFromTensorInfo(t, b) as tf.Tensor4D;
      };
      if (backendName === 'cpu') {
        return tf.tidy(() => {
          const ins = inputNames.map((k) => wrap((inputs as Record<string, tf.TensorInfo>)[k]));
          return b.makeTensorInfo(outShape(a), 'float32', fn(ins[0], ins[1], strides[0], a).dataSync());
        });
      }
      const out = b.makeOutput(outShape(a), 'float32');
      tf.tidy(() => {
        const ins = inputNames.map((k) => wrap((inputs as Record<string, tf.TensorInfo>)[k]));
        // Compute before taking heap views: heap growth during compute detaches earlier views.
        const r = fn(ins[0], ins[1], strides[0], a);
        b.typedArrayFromHeap(out).set(b.typedArrayFromHeap(r));
      });
      return out;
    },
  };
}

const registered = new Set<string>();

/**
 * Installs the kernels on a backend (idempotent). On wasm they fill a gap and replace a
 * slow kernel; on cpu they replace a stock Conv2DBackpropFilter that runs at 0.02 GFLOP/s.
 */
export function registerConvGradKernels(backendName: 'wasm' | 'cpu'): void {
  if (registered.has(backendName)) return;
  registered.add(backendName);
  for (const grad of CONV_GRADS) {
    if (tf.getKernel(grad.name, backendName)) tf.unregisterKernel(grad.name, backendName);
    tf.registerKernel(convGradKernel(backendName, grad));
  }
}

/** The wasm registration (kept as a named entry point: wasm cannot train without it). */
export const registerWasmConvGrads = (): void => registerConvGradKernels('wasm');
