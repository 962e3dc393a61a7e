import { mean, median } from './stats';

test('mean: hand cases; no values give NaN', () => {
  expect(mean([1, 2, 3, 4])).toBe(2.5);
  expect(mean([-3])).toBe(-3);
  expect(mean([0.1, 0.2, 0.3])).toBeCloseTo(0.2, 15);
  expect(mean([])).toBeNaN();
});

test('median: odd count the middle value, even count the mean of the middle two, input not reordered; no values give NaN', () => {
  const xs = [3, 1, 2];
  expect(median(xs)).toBe(2);
  expect(xs).toEqual([3, 1, 2]);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([10, -10])).toBe(0);
  expect(median([7])).toBe(7);
  expect(median([5, 1, 100, 2, 3, 4, 6])).toBe(4); // numeric, not string, order
  expect(median([])).toBeNaN();
});
