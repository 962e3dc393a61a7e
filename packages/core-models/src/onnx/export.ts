/**
 * Graph description → ONNX (opset 17) for inference, through the same op table and the same
 * ONNX emission as training (engine/onnx-ops): weights are baked in as initializers (conv
 * filters pre-transposed to OIHW), batch and image sizes are left to run time. Inside,
 * images are NCHW (ORT's native conv layout); inputs and outputs stay NHWC like tfjs.
 */
import type { GraphSpec } from '../graph';
import { IrGraph } from '../engine/ir';
import { OnnxOps, Sym } from '../engine/onnx-ops';
import { forwardWith } from '../ops/table';

type Weights = Map<string, { shape: number[]; data: Float32Array }>;

export function exportOnnx(spec: GraphSpec, weights: Weights, opts: { producer?: string } = {}): Uint8Array {
  const g = new IrGraph(),
    ops = new OnnxOps(g, { constants: 'initializers' });
  const inputs: Record<string, Sym> = {};
  for (const i of spec.inputs) {
    const v = spec.values[i.value];
    inputs[i.name] = ops.input(i.name, v.kind === 'image' ? [-1, -1, -1, v.channels] : v.kind === 'vector' ? [-1, v.channels] : [-1]);
  }
  const params = new Map<string, Sym>();
  const P = (name: string): Sym => {
    let p = params.get(name);
    if (!p) {
      const w = weights.get(name);
      if (!w) throw new Error(`exportOnnx: weight ${name} missing`);
      p = ops.constant(w.data, w.shape);
      params.set(name, p);
    }
    return p;
  };
  const outs = forwardWith(ops, spec, P, inputs);
  const outputs = spec.outputs.map((o) => ({
    name: o.name,
    id: ops.physical(
      outs[o.name],
      outs[o.name].shape.map((_, k) => k),
    ),
  }));
  return g.toOnnx(outputs, { name: spec.name, producer: opts.producer }).model;
}
