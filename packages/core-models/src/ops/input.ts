import type { OpEntry } from './types';

export const input: OpEntry<{ op: 'input'; out: number; name: string; kind: 'image' | 'vector' | 'scalar'; channels: number }> = {
  forward: () => {
    throw new Error('inputs are bound, not computed');
  },
  extent: () => ({ hw: 0, radius: 0, res: 1 }),
  flops: () => 0,
};
