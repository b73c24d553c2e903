import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { median, medianRatio, quantile, summarise, summariseKnown, tally } from '../bench/stats.js';

// Samples are times: -0 is not one, and would make equal summaries differ by the sign of zero.
const samples = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0), { minLength: 1, maxLength: 60 });

describe('bench statistics', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates quantiles linearly between the closest ranks', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(quantile(ten, 0)).toBe(1);
    expect(quantile(ten, 1)).toBe(10);
    expect(quantile(ten, 0.1)).toBeCloseTo(1.9, 10);
    expect(quantile(ten, 0.9)).toBeCloseTo(9.1, 10);
    expect(quantile([0, 100], 0.25)).toBe(25);
  });

  it('summarises median, p10, p90, min, max and count, and leaves the samples unsorted', () => {
    const values = [30, 10, 20, 50, 40];
    expect(summarise(values)).toEqual({ n: 5, median: 30, p10: 14, p90: 46, min: 10, max: 50 });
    expect(values).toEqual([30, 10, 20, 50, 40]);
  });

  it('keeps min <= p10 <= median <= p90 <= max for any samples, whatever their order', () => {
    fc.assert(
      fc.property(samples, (values) => {
        const summary = summarise(values);
        expect(summary.min).toBeLessThanOrEqual(summary.p10);
        expect(summary.p10).toBeLessThanOrEqual(summary.median);
        expect(summary.median).toBeLessThanOrEqual(summary.p90);
        expect(summary.p90).toBeLessThanOrEqual(summary.max);
        expect(summarise([...values].reverse())).toEqual(summary);
      }),
      { numRuns: 3000 },
    );
  });

  it('is not moved by one outlier the way a mean is', () => {
    expect(median([100, 101, 102, 103, 5000])).toBe(102);
  });

  it('divides medians for a ratio', () => {
    expect(medianRatio(summarise([200, 210, 220]), summarise([100, 105, 400]))).toBe(2);
  });

  it('summarises only the values that were measured, and nothing when none was', () => {
    expect(summariseKnown([undefined, 3, 1, undefined, 2])).toEqual(summarise([1, 2, 3]));
    expect(summariseKnown([undefined, undefined])).toBeUndefined();
    expect(summariseKnown([])).toBeUndefined();
  });

  it('tallies distinct values and leaves out the undefined ones', () => {
    expect(tally(['exit 1', undefined, 'exit 1', 'timeout', undefined])).toEqual({ 'exit 1': 2, timeout: 1 });
    expect(tally([undefined])).toEqual({});
  });

  it('refuses an empty sample and a quantile outside 0..1', () => {
    expect(() => summarise([])).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});
