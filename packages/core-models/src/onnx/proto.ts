/**
 * The ONNX protobuf messages this project writes, encoded by hand: a model of one graph (nodes,
 * initializers as raw little-endian data, typed inputs and outputs, opset imports). It replaces
 * onnx-proto, whose protobufjs 6 dependency ships ~22 MB (its CLI's own node_modules) into every
 * install, and the browser bundle. The bytes equal onnx-proto's (proto.test.ts): fields in field
 * number order, repeated scalars packed, set fields written even when zero or empty, empty
 * repeated fields left out.
 */

/** onnx.TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
/** onnx.AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}
export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: AttributeProto[];
}
export interface TensorProto {
  dims: number[];
  dataType: number;
  name: string;
  rawData: Uint8Array;
}
export type Dimension = { dimValue: number } | { dimParam: string };
export interface ValueInfoProto {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: Dimension[] } } };
}
export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}
export interface ModelProto {
  irVersion: number;
  producerName: string;
  graph: GraphProto;
  opsetImport: { domain: string; version: number }[];
}

/** A growable byte buffer with the protobuf wire primitives. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  /** A varint of a non-negative or negative integer (int32/int64: negatives as 10-byte two's complement). */
  varint(v: number): this {
    let x = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.room(10);
    while (x >= 0x80n) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
    return this;
  }
  tag(field: number, wire: 0 | 2 | 5): this {
    return this.varint((field << 3) | wire);
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    this.room(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, v, true);
    this.len += 4;
    return this;
  }
  /** A packed repeated int64, left out when empty. */
  packed(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }
  message<T>(field: number, m: T, encode: (w: Writer, m: T) => void): this {
    const inner = new Writer();
    encode(inner, m);
    return this.bytes(field, inner.finish());
  }
  messages<T>(field: number, ms: readonly T[], encode: (w: Writer, m: T) => void): this {
    for (const m of ms) this.message(field, m, encode);
    return this;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function attribute(w: Writer, a: AttributeProto): void {
  w.string(1, a.name);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) w.int(3, a.i);
  if (a.s !== undefined) w.bytes(4, a.s);
  if (a.ints !== undefined) w.packed(8, a.ints);
  w.int(20, a.type);
}

function node(w: Writer, n: NodeProto): void {
  for (const s of n.input) w.string(1, s);
  for (const s of n.output) w.string(2, s);
  w.string(3, n.name);
  w.string(4, n.opType);
  w.messages(5, n.attribute, attribute);
}

function tensor(w: Writer, t: TensorProto): void {
  w.packed(1, t.dims);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.rawData);
}

function valueInfo(w: Writer, v: ValueInfoProto): void {
  w.string(1, v.name);
  w.message(2, v.type, (wt, type) =>
    wt.message(1, type.tensorType, (wtt, tt) => {
      wtt.int(1, tt.elemType);
      wtt.message(2, tt.shape, (ws, shape) => ws.messages(1, shape.dim, (wd, d) => ('dimValue' in d ? wd.int(1, d.dimValue) : wd.string(2, d.dimParam))));
    }),
  );
}

function graph(w: Writer, g: GraphProto): void {
  w.messages(1, g.node, node);
  w.string(2, g.name);
  w.messages(5, g.initializer, tensor);
  w.messages(11, g.input, valueInfo);
  w.messages(12, g.output, valueInfo);
}

/** The serialized ModelProto (what onnxruntime's InferenceSession.create takes). */
export function encodeModel(m: ModelProto): Uint8Array {
  const w = new Writer();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.message(7, m.graph, graph);
  w.messages(8, m.opsetImport, (wo, o) => wo.string(1, o.domain).int(2, o.version));
  return w.finish();
}
