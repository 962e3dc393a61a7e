/**
 * The single tfjs entry point of the project. tfjs-core's CommonJS build does not install
 * the chained tensor methods (x.add(y)); its registration files are ESM-only, and the full
 * @tensorflow/tfjs bundle pulls in webgl, layers and the converter (~280 MB) we never use.
 * Each chained method is `function (...a) { return tf.op(this, ...a) }`, so install those.
 */
import * as tfc from '@tensorflow/tfjs-core';

const CHAINED = [
  'abs', 'add', 'sub', 'mul', 'div', 'divNoNan', 'pow', 'square', 'sqrt', 'rsqrt', 'exp', 'log', 'neg', 'reciprocal',
  'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softplus', 'elu', 'sin', 'cos', 'maximum', 'minimum', 'clipByValue',
  'mean', 'sum', 'max', 'min', 'argMax', 'reshape', 'transpose', 'slice', 'pad', 'tile', 'expandDims', 'squeeze',
  'concat', 'reverse', 'cast', 'greater', 'less', 'greaterEqual', 'lessEqual', 'equal', 'where', 'matMul',
  'conv2d', 'avgPool', 'maxPool', 'resizeBilinear', 'resizeNearestNeighbor', 'gather', 'softmax', 'logSoftmax',
  'mirrorPad', 'sign', 'floor', 'round', 'depthToSpace', 'batchNorm', 'stack', 'unstack', 'split', 'flatten', 'asType',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const proto = (tfc.Tensor as any).prototype;
for (const name of CHAINED) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const op = (tfc as any)[name];
  if (typeof op === 'function' && typeof proto[name] !== 'function') {
    proto[name] = function chained(this: tfc.Tensor, ...args: unknown[]) { this.throwIfDisposed(); return op(this, ...args); };
  }
}
if (typeof proto.flatten !== 'function') proto.flatten = function flatten(this: tfc.Tensor) { return tfc.reshape(this, [this.size]); };
if (typeof proto.asType !== 'function') proto.asType = function asType(this: tfc.Tensor, d: tfc.DataType) { return tfc.cast(this, d); };
export * from '@tensorflow/tfjs-core';
