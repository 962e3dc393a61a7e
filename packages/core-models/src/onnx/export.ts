/**
 * Graph description → ONNX (opset 17). Inside, tensors are NCHW (ORT's native conv
 * layout); image inputs and outputs stay NHWC like tfjs, via one Transpose at each end.
 */
import { onnx } from 'onnx-proto';
import { GraphNode, GraphSpec } from '../graph';

type Weights = Map<string, { shape: number[]; data: Float32Array }>;

const F = onnx.TensorProto.DataType.FLOAT;
const I64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: F, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
}
function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  const b = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: I64, rawData: new Uint8Array(b.buffer) };
}
const attrI = (name: string, i: number): onnx.IAttributeProto => ({ name, type: A.INT, i });
const attrF = (name: string, f: number): onnx.IAttributeProto => ({ name, type: A.FLOAT, f });
const attrS = (name: string, s: string): onnx.IAttributeProto => ({ name, type: A.STRING, s: new TextEncoder().encode(s) });
const attrInts = (name: string, ints: number[]): onnx.IAttributeProto => ({ name, type: A.INTS, ints });

/** HWIO (tfjs conv filter) → OIHW (ONNX Conv weight). */
function hwioToOihw(w: Float32Array, [kh, kw, ci, co]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
    out[((o * ci + i) * kh + y) * kw + x] = w[((y * kw + x) * ci + i) * co + o];
  }
  return out;
}

export function exportOnnx(spec: GraphSpec, weights: Weights, opts: { producer?: string } = {}): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const name = (id: number): string => `v${id}`;
  let tmp = 0;
  const fresh = (hint: string): string => `${hint}_${tmp++}`;
  const node = (opType: string, inputs: string[], outputs: string[], attribute: onnx.IAttributeProto[] = []): void => {
    nodes.push({ opType, input: inputs, output: outputs, attribute, name: fresh(opType) });
  };
  const constF = (hint: string, dims: number[], data: Float32Array): string => { const n = fresh(hint); inits.push(floatTensor(n, dims, data)); return n; };
  const constI = (hint: string, values: number[]): string => { const n = fresh(hint); inits.push(int64Tensor(n, values)); return n; };
  const W = (pname: string): { shape: number[]; data: Float32Array } => {
    const w = weights.get(pname);
    if (!w) throw new Error(`exportOnnx: weight ${pname} missing`);
    return w;
  };
  const kind = (id: number) => spec.values[id].kind;
  /** A [N,C] vector broadcast against NCHW: [N,C,1,1]. */
  const asNC11 = (v: string): string => { const o = fresh('nc11'); node('Unsqueeze', [v, constI('axes', [2, 3])], [o]); return o; };

  const graphInputs: onnx.IValueInfoProto[] = [];
  for (const inp of spec.inputs) {
    const val = spec.values[inp.value];
    const dims: onnx.TensorShapeProto.IDimension[] = val.kind === 'image'
      ? [{ dimParam: 'N' }, { dimParam: 'H' }, { dimParam: 'W' }, { dimValue: val.channels }]
      : val.kind === 'vector' ? [{ dimParam: 'N' }, { dimValue: val.channels }] : [{ dimParam: 'N' }];
    graphInputs.push({ name: inp.name, type: { tensorType: { elemType: F, shape: { dim: dims } } } });
    if (val.kind === 'image') node('Transpose', [inp.name], [name(inp.value)], [attrInts('perm', [0, 3, 1, 2])]);
    else node('Identity', [inp.name], [name(inp.value)]);
  }

  for (const n of spec.nodes as GraphNode[]) {
    const out = name(n.out);
    switch (n.op) {
      case 'input': break;
      case 'conv': {
        const w = W(`${n.param}.w`);
        const ins = [name(n.x), constF(`${n.param}.w`, [n.outCh, n.inCh, n.k, n.kw ?? n.k], hwioToOihw(w.data, w.shape))];
        if (n.bias) ins.push(constF(`${n.param}.b`, [n.outCh], W(`${n.param}.b`).data));
        const kw = n.kw ?? n.k;
        const attrs = [attrInts('kernel_shape', [n.k, kw]), attrInts('strides', [n.stride, n.stride])];
        if (n.stride === 1) {
          const ph = (n.k - 1) >> 1, pw = (kw - 1) >> 1; // ONNX pads: [h_begin, w_begin, h_end, w_end]
          attrs.push(attrInts('pads', [ph, pw, n.k - 1 - ph, kw - 1 - pw]));
        } else attrs.push(attrS('auto_pad', 'SAME_UPPER'));
        node('Conv', ins, [out], attrs);
        break;
      }
      case 'dense':
        node('Gemm', [name(n.x), constF(`${n.param}.w`, [n.inCh, n.outCh], W(`${n.param}.w`).data), constF(`${n.param}.b`, [n.outCh], W(`${n.param}.b`).data)], [out]);
        break;
      case 'act':
        switch (n.fn) {
          case 'relu': node('Relu', [name(n.x)], [out]); break;
          case 'leakyRelu': node('LeakyRelu', [name(n.x)], [out], [attrF('alpha', n.alpha ?? 0.2)]); break;
          case 'sigmoid': node('Sigmoid', [name(n.x)], [out]); break;
          case 'tanh': node('Tanh', [name(n.x)], [out]); break;
          case 'silu': { const s = fresh('sig'); node('Sigmoid', [name(n.x)], [s]); node('Mul', [name(n.x), s], [out]); break; }
        }
        break;
      case 'add': case 'mul': {
        const b = kind(n.a) === 'image' && kind(n.b) === 'vector' ? asNC11(name(n.b)) : name(n.b);
        node(n.op === 'add' ? 'Add' : 'Mul', [name(n.a), b], [out]);
        break;
      }
      case 'scale': node('Mul', [name(n.x), constF('s', [], new Float32Array([n.s]))], [out]); break;
      case 'concat': node('Concat', n.xs.map(name), [out], [attrI('axis', 1)]); break;
      case 'pixelShuffle': node('DepthToSpace', [name(n.x)], [out], [attrI('blocksize', n.r), attrS('mode', 'DCR')]); break;
      case 'avgPool': node('AveragePool', [name(n.x)], [out], [attrInts('kernel_shape', [n.k, n.k]), attrInts('strides', [n.k, n.k])]); break;
      case 'upNearest':
        node('Resize', [name(n.x), '', constF('scales', [4], new Float32Array([1, 1, n.r, n.r]))], [out],
          [attrS('mode', 'nearest'), attrS('coordinate_transformation_mode', 'asymmetric'), attrS('nearest_mode', 'floor')]);
        break;
      case 'groupNorm': {
        // GroupNorm = InstanceNorm over [N, G, rest], then the per-channel affine.
        const x = name(n.x), shape = fresh('shape'), grouped = fresh('grouped'), normed = fresh('normed'), back = fresh('back'), scaled = fresh('scaled');
        node('Shape', [x], [shape]);
        node('Reshape', [x, constI('gshape', [0, n.groups, -1])], [grouped]);
        node('InstanceNormalization', [grouped, constF('ones', [n.groups], new Float32Array(n.groups).fill(1)), constF('zeros', [n.groups], new Float32Array(n.groups))], [normed], [attrF('epsilon', n.eps)]);
        node('Reshape', [normed, shape], [back]);
        const C = spec.values[n.x].channels;
        node('Mul', [back, constF(`${n.param}.gamma`, [1, C, 1, 1], W(`${n.param}.gamma`).data)], [scaled]);
        node('Add', [scaled, constF(`${n.param}.beta`, [1, C, 1, 1], W(`${n.param}.beta`).data)], [out]);
        break;
      }
      case 'timeEmbed': {
        const half = n.dim / 2;
        const freqs = new Float32Array(half).map((_, i) => Math.exp((-Math.log(n.maxPeriod) * i) / half));
        const t2 = fresh('t2'), args = fresh('args'), c = fresh('cos'), s = fresh('sin');
        node('Unsqueeze', [name(n.x), constI('axes', [1])], [t2]);
        node('Mul', [t2, constF('freqs', [1, half], freqs)], [args]);
        node('Cos', [args], [c]);
        node('Sin', [args], [s]);
        node('Concat', [c, s], [out], [attrI('axis', 1)]);
        break;
      }
      case 'vectorAsImage': node('Unsqueeze', [name(n.x), constI('axes', [2, 3])], [out]); break;
    }
  }

  const graphOutputs: onnx.IValueInfoProto[] = spec.outputs.map((o) => {
    const val = spec.values[o.value];
    if (val.kind === 'image') node('Transpose', [name(o.value)], [o.name], [attrInts('perm', [0, 2, 3, 1])]);
    else node('Identity', [name(o.value)], [o.name]);
    return { name: o.name, type: { tensorType: { elemType: F } } };
  });

  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: opts.producer ?? 'diffgan',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: spec.name, node: nodes, initializer: inits, input: graphInputs, output: graphOutputs },
  };
  return onnx.ModelProto.encode(model).finish();
}
