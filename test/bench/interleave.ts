/**
 * Runs competing variants in alternation rather than in blocks, so a slow minute on a shared
 * machine (another helper's build, a GC storm) falls on every variant alike. The start of each
 * round rotates, so no variant always runs right after the same neighbour.
 */

export interface Variant<T> {
  name: string;
  run: () => Promise<T>;
}

export interface Schedule {
  /** Rounds run and discarded first: disk caches, JIT and connection set-up. */
  warmups: number;
  rounds: number;
}

export async function interleave<T>(variants: readonly Variant<T>[], schedule: Schedule): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < schedule.warmups + schedule.rounds; round++) {
    for (let offset = 0; offset < variants.length; offset++) {
      const variant = variants[(round + offset) % variants.length] as Variant<T>;
      const result = await variant.run();
      if (round >= schedule.warmups) results.get(variant.name)?.push(result);
    }
  }
  return results;
}
