/**
 * A Runner over an ONNX Runtime module. onnxruntime-node and onnxruntime-web share this
 * API (onnxruntime-common), so Node and browsers run the same exported graph through the
 * same code; only the module and its session options differ.
 */

/** A runtime-neutral tensor: data + shape (NHWC for images). */
export interface HostTensor {
  data: Float32Array;
  shape: number[];
}

export interface Runner {
  readonly runtime: 'onnxruntime-node' | 'onnxruntime-web' | 'tfjs';
  run(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>>;
  dispose(): Promise<void>;
}

export interface OrtTensorLike {
  data: unknown;
  dims: readonly number[];
  dispose?(): void;
}
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}
/** The part of `onnxruntime-node` / `onnxruntime-web` used here. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: object): Promise<OrtSessionLike> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;
}

export async function createOrtSessionRunner(ort: OrtModule, onnxModel: Uint8Array, sessionOptions: object, runtime: Runner['runtime']): Promise<Runner> {
  const session = await ort.InferenceSession.create(onnxModel, sessionOptions);
  return {
    runtime,
    async run(inputs) {
      const feeds: Record<string, OrtTensorLike> = {};
      for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.shape);
      const res = await session.run(feeds);
      const out: Record<string, HostTensor> = {};
      for (const [k, v] of Object.entries(res)) out[k] = { data: v.data as Float32Array, shape: v.dims.slice() };
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
