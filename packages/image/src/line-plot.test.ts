import { linePlot, logTicks, niceTicks } from './line-plot';

describe('line plot', () => {
  it('ticks at 1/2/5 x 10^k', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 150000, 6)).toEqual([0, 50000, 100000, 150000]);
    expect(niceTicks(3.2, 7.9, 5)).toEqual([4, 5, 6, 7]);
    expect(logTicks(4, 600)).toEqual([5, 10, 20, 50, 100, 200, 500]);
  });
  it('draws each series in its colour where its points are', () => {
    const red = [255, 0, 0] as const;
    const img = linePlot(
      [
        {
          label: 'a',
          color: red,
          points: [
            [0, 10],
            [100, 10],
          ],
        },
      ],
      { width: 200, height: 120 },
    );
    expect(img.data.length).toBe(200 * 120 * 3);
    // a flat series: the red pixels (outside the legend) lie on one horizontal band, spanning the x range
    const rows = new Set<number>(),
      cols: number[] = [];
    for (let y = 30; y < 120; y++)
      for (let x = 0; x < 200; x++) {
        const i = (y * 200 + x) * 3;
        if (img.data[i] === 255 && img.data[i + 1] === 0 && img.data[i + 2] === 0) {
          rows.add(y);
          cols.push(x);
        }
      }
    expect(rows.size).toBeGreaterThan(0);
    expect(Math.max(...rows) - Math.min(...rows)).toBeLessThanOrEqual(2);
    expect(Math.min(...cols)).toBeLessThanOrEqual(57);
    expect(Math.max(...cols)).toBeGreaterThanOrEqual(187);
  });
  it('puts larger values higher, on a log axis too', () => {
    const blue = [0, 0, 255] as const;
    for (const logY of [false, true]) {
      const img = linePlot(
        [
          {
            label: 'b',
            color: blue,
            points: [
              [0, 500],
              [10, 5],
            ],
          },
        ],
        { width: 200, height: 160, logY },
      );
      const at = (x: number) => {
        for (let y = 0; y < 160; y++) {
          const i = (y * 200 + x) * 3;
          if (img.data[i] === 0 && img.data[i + 1] === 0 && img.data[i + 2] === 255) return y;
        }
        return -1;
      };
      expect(at(60)).toBeGreaterThan(0);
      expect(at(60)).toBeLessThan(at(180)); // 500 at the left is above 5 at the right
    }
  });
});
