import { GraphBuilder } from '@diffgan/core-models';
import { receptiveRadius, planAxis, rampWeight } from './tiling';
import { srGeneratorSpec } from './models';

describe('receptiveRadius', () => {
  test('srNet: 15 3x3 convs at LR resolution (head, 6 blocks x 2, bodyEnd, tail) = 15 px', () => {
    expect(receptiveRadius(srGeneratorSpec(4))).toBe(15);
    expect(receptiveRadius(srGeneratorSpec(2))).toBe(15);
  });
  test('convs after an upsample count at the higher resolution, 5x5 counts 2', () => {
    const g = new GraphBuilder('t');
    let h = g.input('x', 'image', 3);
    h = g.conv(h, 4, { k: 5 }); // 2 LR px
    h = g.upNearest(h, 2);
    h = g.conv(h, 4); // 1 HR px = 0.5 LR px
    h = g.conv(h, 4); // 0.5 more
    g.output('y', h);
    expect(receptiveRadius(g.build())).toBe(3);
  });
});

describe('planAxis', () => {
  test('one tile when the input fits', () => {
    expect(planAxis(100, 256, 38, 15).tiles).toEqual([{ inStart: 0, inEnd: 100, outStart: 0, outEnd: 100, coreStart: 0, coreEnd: 100 }]);
  });
  test.each([
    [83, 64],
    [61, 64],
    [1000, 256],
    [257, 256],
    [500, 100],
  ])('length %i, tile %i: inputs within the tile size, exact context, weights sum to 1', (len, tile) => {
    const plan = planAxis(len, tile, 38, 15);
    expect(plan.context).toBe(15);
    expect(plan.blend).toBe(8);
    const t = plan.tiles;
    expect(t[0].outStart).toBe(0);
    expect(t[t.length - 1].outEnd).toBe(len);
    for (let i = 0; i < t.length; i++) {
      expect(t[i].inEnd - t[i].inStart).toBeLessThanOrEqual(tile);
      // every kept pixel has >= 15 px of context or touches the image border
      expect(t[i].inStart === 0 || t[i].outStart - t[i].inStart >= 15).toBe(true);
      expect(t[i].inEnd === len || t[i].inEnd - t[i].outEnd >= 15).toBe(true);
      if (i > 0) expect(t[i].coreStart).toBe(t[i - 1].coreEnd);
    }
    for (const s of [1, 4]) {
      for (let p = 0; p < len * s; p++) {
        let sum = 0;
        t.forEach((ti, i) => {
          if (p >= ti.outStart * s && p < ti.outEnd * s) sum += rampWeight(plan, i, p, s);
        });
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      }
    }
  });
  test('a small overlap is blended over its whole width (no exact context)', () => {
    const plan = planAxis(300, 100, 16, 15);
    expect(plan.context).toBe(0);
    expect(plan.blend).toBe(16);
  });
  test('too small a tile for the overlap is refused', () => {
    expect(() => planAxis(300, 40, 38, 15)).toThrow(/too small/);
  });
});
