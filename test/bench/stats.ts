/** Summaries of repeated measurements: the median and a spread that one slow outlier cannot move. */

export interface Summary {
  n: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
  max: number;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of the samples, interpolating linearly between the closest ranks
 * (the method spreadsheets and R's default use), so small samples still give a stable p10/p90.
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside 0..1`);
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  // Clamped: in floating point low + (high - low) * t can round past high.
  return Math.min(high, low + (high - low) * (position - below));
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  return {
    n: samples.length,
    median: median(samples),
    p10: quantile(samples, 0.1),
    p90: quantile(samples, 0.9),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** How many times `numerator` the `denominator` is, by their medians. */
export function medianRatio(numerator: Summary, denominator: Summary): number {
  return numerator.median / denominator.median;
}

/** The summary of the values that were measured, or undefined when none was. */
export function summariseKnown(values: ReadonlyArray<number | undefined>): Summary | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : summarise(known);
}

/** How often each distinct value occurs (failure reasons of repeated runs), undefined left out. */
export function tally(values: ReadonlyArray<string | undefined>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) if (value !== undefined) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
