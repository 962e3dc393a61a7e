import type { GraphNode } from '../graph';
import type { ForwardContext, OpEntry } from './types';

type Binary = Extract<GraphNode, { op: 'add' | 'mul' }>;

/** An image combined with a vector: the vector applies to every pixel. */
function operands<T>(n: Binary, c: ForwardContext<T>): [T, T] {
  const a = c.v(n.a);
  let b = c.v(n.b);
  if (c.spec.values[n.a].kind === 'image' && c.spec.values[n.b].kind === 'vector') {
    const [batch, ch] = c.ops.shape(b);
    b = c.ops.reshape(b, [batch, 1, 1, ch]);
  }
  return [a, b];
}

const binary = (f: 'add' | 'mul'): OpEntry<Binary> => ({
  forward: (n, c) => {
    const [a, b] = operands(n, c);
    return c.ops[f](a, b);
  },
  extent: (n, at, spec) => {
    const a = at(n.a),
      b = at(n.b);
    return { hw: Math.max(a.hw, b.hw), radius: Math.max(a.radius, b.radius), res: spec.values[n.a].kind === 'image' ? a.res : b.res };
  },
  flops: () => 0,
});

export const add = binary('add');
export const mul = binary('mul');
