import { onnx } from 'onnx-proto';
import { benchUpscaler, dcganGenerator, patchDiscriminator, srNet, unet } from '../architectures';
import { IrGraph } from '../engine/ir';
import { compileTrace, compileTraceSplit, traceObjective } from '../engine/ort-step';
import type { GraphSpec } from '../graph';
import { Rng } from '../rng';
import { exportOnnx } from './export';
import { AttributeType, DataType, encodeModel, ModelProto } from './proto';

// The hand-written encoder against onnx-proto (protobufjs), which it replaced: the same bytes for every
// model the project writes (inference exports of each architecture, a training step), and for the
// edge cases (negative and large ints, empty strings and lists, dynamic dims).
const onnxProtoBytes = (m: ModelProto) => onnx.ModelProto.encode(m as onnx.IModelProto).finish();

function weightsFor(spec: GraphSpec, rng: Rng): Map<string, { shape: number[]; data: Float32Array }> {
  return new Map(spec.params.map((p) => [p.name, { shape: p.shape, data: Float32Array.from(rng.normalArray(p.shape.reduce((a, b) => a * b, 1))) }]));
}

/** The ModelProtos IrGraph.toOnnx serializes while `fn` runs. */
function capture(fn: () => void): ModelProto[] {
  const spy = jest.spyOn(IrGraph.prototype, 'toOnnxProto');
  try {
    fn();
    return spy.mock.results.map((r) => (r.value as { proto: ModelProto }).proto);
  } finally {
    spy.mockRestore();
  }
}

test('every architecture exported for inference: the same bytes as onnx-proto', () => {
  const rng = new Rng(7);
  const specs = [
    srNet({ scale: 4, channels: 16, blocks: 2 }),
    srNet({ scale: 2, channels: 8, blocks: 1, inChannels: 1 }),
    benchUpscaler(),
    unet({ inChannels: 1, outChannels: 1, channels: [8, 16], blocksPerLevel: 1, embDim: 8, groups: 4 }),
    patchDiscriminator({ inChannels: 2, channels: [8, 16], embDim: 8 }),
    dcganGenerator({ latentDim: 16, channels: 8, outChannels: 1 }),
  ];
  for (const spec of specs) {
    const protos = capture(() => exportOnnx(spec, weightsFor(spec, rng)));
    expect(protos).toHaveLength(1);
    const ours = encodeModel(protos[0]);
    expect(Buffer.from(ours).equals(Buffer.from(onnxProtoBytes(protos[0])))).toBe(true);
    expect(Buffer.from(exportOnnx(spec, weightsFor(spec, new Rng(1)))).length).toBeGreaterThan(spec.params.length * 8);
  }
});

test('a training step graph (forward, loss, gradients, cut inputs): the same bytes as onnx-proto', () => {
  const spec = srNet({ scale: 2, channels: 8, blocks: 1 });
  const rng = new Rng(3);
  const shard = { x: { data: Float32Array.from(rng.normalArray(2 * 6 * 6 * 3)), shape: [2, 6, 6, 3] } };
  const protos = capture(() => {
    const t = traceObjective((e) => e.ops.mean(e.ops.abs(e.run('g', { lr: e.input('x') }))), { g: spec }, 'g', shard, new Rng(1));
    compileTrace(t, 'g');
    compileTraceSplit(t, 'g'); // forward, and backward with the saved activations cut in as inputs
  });
  expect(protos).toHaveLength(3);
  for (const p of protos) expect(Buffer.from(encodeModel(p)).equals(Buffer.from(onnxProtoBytes(p)))).toBe(true);
});

test('edge cases: negative and 64-bit ints, floats, empty strings and lists, dim params', () => {
  const m: ModelProto = {
    irVersion: 8,
    producerName: '',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    graph: {
      name: 'edge',
      node: [
        {
          opType: 'Pad',
          input: ['x', ''],
          output: ['y'],
          name: 'n0',
          attribute: [
            { name: 'ints', type: AttributeType.INTS, ints: [-1, 0, 127, 128, 300, 2 ** 40, -(2 ** 33)] },
            { name: 'empty', type: AttributeType.INTS, ints: [] },
            { name: 'i', type: AttributeType.INT, i: -3 },
            { name: 'zero', type: AttributeType.INT, i: 0 },
            { name: 'f', type: AttributeType.FLOAT, f: 0.2 },
            { name: 's', type: AttributeType.STRING, s: new TextEncoder().encode('DCR 你好') },
          ],
        },
      ],
      initializer: [
        { name: 'scalar', dims: [], dataType: DataType.FLOAT, rawData: new Uint8Array(new Float32Array([1.5]).buffer) },
        { name: 'big', dims: [3, 1, 5], dataType: DataType.INT64, rawData: new Uint8Array(120) },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'n' }, { dimValue: 0 }, { dimValue: 1 << 20 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [] } } } }],
    },
  };
  const ours = encodeModel(m);
  expect(Buffer.from(ours).equals(Buffer.from(onnxProtoBytes(m)))).toBe(true);
  // hand-checked start: field 1 (irVersion) varint 8, field 2 (producerName) length 0
  expect(Array.from(ours.subarray(0, 4))).toEqual([0x08, 0x08, 0x12, 0x00]);
  // and it decodes back to the same values
  const back = onnx.ModelProto.decode(ours);
  expect(back.graph?.node?.[0].attribute?.[0].ints?.map(Number)).toEqual([-1, 0, 127, 128, 300, 2 ** 40, -(2 ** 33)]);
  expect(back.graph?.node?.[0].attribute?.[4].f).toBeCloseTo(0.2, 7);
});
