/** Elementwise primitives (numpy broadcasting) and their gradient rules. */
import type { IrGraph, IrNode, Prim, Shape } from '../ir';

export function broadcastShape(a: Shape, b: Shape): Shape {
  const r = Math.max(a.length, b.length),
    out: Shape = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1,
      y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1 && x !== -1 && y !== -1) throw new Error(`engine: cannot broadcast [${a}] with [${b}]`);
    out.push(x === 1 ? y : y === 1 ? x : x === -1 ? y : x);
  }
  return out;
}

const binaryShape = (s: Shape[]) => ({ shape: broadcastShape(s[0], s[1]) });
const sameShape = (s: Shape[]) => ({ shape: s[0] });
const plain =
  (opType: string): Prim['emit'] =>
  (e, n) =>
    e.node(opType, n.inputs.map(e.name), [e.name(n.out)]);

const sh = (g: IrGraph, id: number) => g.shape(id);

function binary(opType: string, vjp: (g: IrGraph, n: IrNode, dy: number, needs: boolean[]) => (number | null)[]): Prim {
  return { infer: binaryShape, emit: plain(opType), vjp };
}

function unary(opType: string, vjp?: (g: IrGraph, x: number, y: number, dy: number, n: IrNode) => number): Prim {
  return { infer: sameShape, emit: plain(opType), ...(vjp ? { vjp: (g, n, dy) => [vjp(g, n.inputs[0], n.out, dy, n)] } : {}) };
}

export const elementwise: Record<string, Prim> = {
  Add: binary('Add', (g, n, dy, need) => n.inputs.map((i, k) => (need[k] ? g.sumTo(dy, sh(g, i)) : null))),
  Sub: binary('Sub', (g, n, dy, need) => [need[0] ? g.sumTo(dy, sh(g, n.inputs[0])) : null, need[1] ? g.sumTo(g.neg(dy), sh(g, n.inputs[1])) : null]),
  Mul: binary('Mul', (g, n, dy, need) => {
    const [a, b] = n.inputs;
    return [need[0] ? g.sumTo(g.mul(dy, b), sh(g, a)) : null, need[1] ? g.sumTo(g.mul(dy, a), sh(g, b)) : null];
  }),
  Div: binary('Div', (g, n, dy, need) => {
    const [a, b] = n.inputs;
    return [
      need[0] ? g.sumTo(g.op('Div', [dy, b]), sh(g, a)) : null,
      need[1] ? g.sumTo(g.neg(g.op('Div', [g.mul(dy, n.out), b])), sh(g, b)) : null, // d(a/b)/db = -(a/b)/b
    ];
  }),
  Neg: unary('Neg', (g, _x, _y, dy) => g.neg(dy)),
  // d|x| = sign(x) as tfjs has it: +1 above zero, -1 at and below (the tie never matters for a loss)
  Abs: unary('Abs', (g, x, _y, dy) => g.op('Where', [g.op('Greater', [x, g.scalar(0)]), dy, g.neg(dy)])),
  Exp: unary('Exp', (g, _x, y, dy) => g.mul(dy, y)),
  Log: unary('Log', (g, x, _y, dy) => g.op('Div', [dy, x])),
  Sqrt: unary('Sqrt', (g, _x, y, dy) => g.op('Div', [g.mul(dy, g.scalar(0.5)), y])),
  Sigmoid: unary('Sigmoid', (g, _x, y, dy) => g.mul(dy, g.mul(y, g.op('Sub', [g.scalar(1), y])))),
  /**
   * SiLU y = x·σ(x) as one primitive: its gradient in closed form, dy·σ(x)·(1 + x - y), takes 5
   * passes (σ recomputed; onnxruntime fuses the forward's Sigmoid and Mul into one kernel) where
   * differentiating the composite x·σ(x) takes 6 and keeps σ(x) alive from the forward.
   */
  Silu: {
    infer: sameShape,
    emit: (e, n) => {
      const x = e.name(n.inputs[0]),
        out = e.name(n.out);
      e.node('Sigmoid', [x], [`${out}_sigmoid`]);
      e.node('Mul', [x, `${out}_sigmoid`], [out]);
    },
    vjp: (g, n, dy) => {
      const [x] = n.inputs;
      return [g.mul(dy, g.mul(g.op('Sigmoid', [x]), g.add(g.op('Sub', [x, n.out]), g.scalar(1))))];
    },
  },
  Tanh: unary('Tanh', (g, _x, y, dy) => g.mul(dy, g.op('Sub', [g.scalar(1), g.mul(y, y)]))),
  Relu: unary('Relu', (g, x, _y, dy) => g.op('Where', [g.op('Greater', [x, g.scalar(0)]), dy, g.scalar(0)])),
  Softplus: unary('Softplus', (g, x, _y, dy) => g.mul(dy, g.op('Sigmoid', [x]))),
  Sin: unary('Sin', (g, x, _y, dy) => g.mul(dy, g.op('Cos', [x]))),
  Cos: unary('Cos', (g, x, _y, dy) => g.neg(g.mul(dy, g.op('Sin', [x])))),
  LeakyRelu: {
    infer: sameShape,
    emit: (e, n) => e.node('LeakyRelu', [e.name(n.inputs[0])], [e.name(n.out)], { alpha: { f: n.attrs.alpha as number } }),
    vjp: (g, n, dy) => [g.op('Where', [g.op('Greater', [n.inputs[0], g.scalar(0)]), dy, g.mul(dy, g.scalar(n.attrs.alpha as number))])],
  },
  // Max / Min against a constant (a clamp): the gradient passes where x wins, ties included (as tfjs)
  Max: binary('Max', (g, n, dy, need) => {
    if (need[1]) throw new Error('engine: Max is differentiable in its first input only');
    return [g.op('Where', [g.op('GreaterOrEqual', n.inputs), dy, g.scalar(0)]), null];
  }),
  Min: binary('Min', (g, n, dy, need) => {
    if (need[1]) throw new Error('engine: Min is differentiable in its first input only');
    return [g.op('Where', [g.op('LessOrEqual', n.inputs), dy, g.scalar(0)]), null];
  }),
  // used by gradient rules only
  Greater: { infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'bool' }), emit: plain('Greater') },
  GreaterOrEqual: { infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'bool' }), emit: plain('GreaterOrEqual') },
  LessOrEqual: { infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'bool' }), emit: plain('LessOrEqual') },
  Where: { infer: (s) => ({ shape: broadcastShape(s[0], broadcastShape(s[1], s[2])) }), emit: plain('Where') },
  Identity: { infer: sameShape, emit: plain('Identity'), vjp: (_g, _n, dy) => [dy] },
};
