/**
 * The single tfjs entry point of the project, loaded on first use.
 *
 * tfjs is an optional peer dependency: inference runs on onnxruntime-node and never touches it,
 * so an inference install (image-sr, tts, video-gen) does not carry its ~290 MB. Training, the
 * tfjs reference path and the fallback when onnxruntime-node is missing reach it through `tf`, a
 * lazy view of tfjs-core: importing this module loads nothing, the first property read loads
 * tfjs, and without it that read throws one clear error (loadTf).
 *
 * tfjs-core's CommonJS build registers neither the gradient functions nor the chained tensor
 * methods (x.add(y)); both exist only as ESM side-effect files. The @tensorflow/tfjs node bundle
 * carries them, compiled against the shared tfjs-core, so it is loaded once for those side
 * effects and tfjs-core's API is used everywhere.
 */
// tfjs-core's own .d.ts name the global `Long` of @types/long (its dependency) without referencing
// it, so a strict build that lists its `types` fails inside tfjs-core; kept in our tf.d.ts (preserve).
/// <reference types="long" preserve="true" />
import type * as Core from '@tensorflow/tfjs-core';
import { DiffganError } from './errors';
// Types only (erased at runtime): the augmentations that declare x.add(y) and friends; exported
// so the emitted tf.d.ts keeps the import and packages using tf.Tensor see the methods too.
export type * as ChainedOps from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

type TfCore = typeof Core;

/** What a tfjs run needs installed (the error message's fix). */
export const TFJS_INSTALL = 'npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';

let core: TfCore | undefined;

/** The error for a missing tfjs: "@tensorflow/tfjs is needed for <purpose>: npm install ..." (a user error: the CLIs print it as one line). */
export function tfMissingError(purpose: string): DiffganError {
  return Object.assign(new DiffganError(`@tensorflow/tfjs is needed for ${purpose}: ${TFJS_INSTALL}`), { code: 'DIFFGAN_NO_TFJS' });
}

/** tfjs-core with the tfjs bundle's side effects, loaded once; `purpose` names what needs it in the error. */
export function loadTf(purpose = 'training and the tfjs runtime'): TfCore {
  if (core) return core;
  // a variable id keeps bundlers from resolving these optional packages
  const load: (id: string) => unknown = require;
  try {
    load('@tensorflow/tfjs');
    core = load('@tensorflow/tfjs-core') as TfCore;
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && /'@tensorflow\/tfjs(-core)?'/.test(first)) throw tfMissingError(purpose);
    throw e;
  }
  return core;
}

/** Whether tfjs can be loaded, without loading it. */
export function hasTf(): boolean {
  if (core) return true;
  try {
    require.resolve('@tensorflow/tfjs');
    return true;
  } catch {
    return false;
  }
}

/** tfjs-core's API (tf.tidy, tf.conv2d, tf.Tensor, ...), loaded on the first property read. */
export const tf: TfCore = new Proxy({} as TfCore, {
  get: (_target, key) => (loadTf() as unknown as Record<PropertyKey, unknown>)[key],
  has: (_target, key) => key in loadTf(),
});

// The tfjs types the packages name as tf.X: a type-only namespace merged with the value above,
// as tfjs' own module is both.
export declare namespace tf {
  type Rank = Core.Rank;
  type Tensor<R extends Core.Rank = Core.Rank> = Core.Tensor<R>;
  type Scalar = Core.Scalar;
  type Tensor1D = Core.Tensor1D;
  type Tensor2D = Core.Tensor2D;
  type Tensor3D = Core.Tensor3D;
  type Tensor4D = Core.Tensor4D;
  type Tensor5D = Core.Tensor5D;
  type Variable<R extends Core.Rank = Core.Rank> = Core.Variable<R>;
  type TensorInfo = Core.TensorInfo;
  type KernelConfig = Core.KernelConfig;
  type NamedTensorMap = Core.NamedTensorMap;
  type TensorLike = Core.TensorLike;
  type DataType = Core.DataType;
  type GradSaveFunc = Core.GradSaveFunc;
}
