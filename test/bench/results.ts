/** Everything one bench run measured, and its JSON file (bench-results/ is git-ignored). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BundleSizes } from './bundle-sizes.js';
import type { ColdStart } from './cold-start.js';
import type { FortyReposResult } from './forty-repos.js';
import type { RssMethod } from './processes.js';
import type { RequestCount } from './requests.js';
import type { TargetVerdict } from './targets.js';
import type { WholeStepResult } from './whole-step.js';

export interface Environment {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  dockerCli: string;
  rssMethod: RssMethod;
  /** Rounds measured after the warm-up, per measurement. */
  rounds: Record<string, number>;
}

export interface BenchResults {
  environment: Environment;
  wholeStep: WholeStepResult;
  requests: RequestCount[];
  fortyRepos: FortyReposResult;
  coldStarts: ColdStart[];
  bundleSizes: BundleSizes;
  targets: TargetVerdict[];
  durationMs: number;
}

export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
