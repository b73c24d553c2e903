/**
 * The targets of issue 6, each judged on this run's figures: met or missed, with the figures
 * that decided it. Nothing here fails a build; the bench reports.
 */
import { BUNDLE_LIMIT_BYTES, type BundleSizes } from './bundle-sizes.js';
import type { FortyReposResult } from './forty-repos.js';
import type { RequestCount } from './requests.js';
import { medianRatio } from './stats.js';
import { formatBytes, formatMs, formatRatio, formatRss } from './table.js';
import type { WholeStepResult } from './whole-step.js';

/** docker/login-action main + post, median, from /work/shared/reference/performance-baseline.md. */
export const RECORDED_ANCHOR_MS = 711;
export const MAX_STEP_SHARE_OF_ANCHOR = 0.5;
export const MAX_FORTY_TO_ONE = 2;
export const RSS_LIMIT_KIB = 80_000_000 / 1024;

export interface TargetVerdict {
  target: string;
  figure: string;
  met: boolean;
  note?: string;
}

export interface TargetInputs {
  wholeStep: WholeStepResult;
  requests: RequestCount[];
  fortyRepos: FortyReposResult;
  bundleSizes: BundleSizes;
}

function stepTarget(step: WholeStepResult): TargetVerdict {
  const ours = step.dockerPat.wallMs.median;
  const anchorMs = step.anchor?.wallMs.median ?? RECORDED_ANCHOR_MS;
  const share = ours / anchorMs;
  return {
    target: `whole step <= ${MAX_STEP_SHARE_OF_ANCHOR} x docker/login-action main+post`,
    figure: `${formatMs(ours)} ms vs ${formatMs(anchorMs)} ms = ${formatRatio(share)}`,
    met: share <= MAX_STEP_SHARE_OF_ANCHOR,
    note: step.anchor === undefined ? `${step.anchorNote}: the anchor figure is the recorded median (performance-baseline.md), not measured in this run` : undefined,
  };
}

function requestTarget(count: RequestCount): TargetVerdict {
  const duplicates = Object.entries(count.duplicates);
  return {
    target: `no redundant request (${count.source})`,
    figure: `${count.requests.length} requests (protocol minimum ${count.minimum}), ${duplicates.length === 0 ? 'none repeated' : `repeated: ${duplicates.map(([key, n]) => `${key} x${n}`).join('; ')}`}`,
    met: duplicates.length === 0,
  };
}

function fortyTarget(how: string, one: number, forty: number, ratio: number): TargetVerdict {
  return {
    target: `40 repositories < ${MAX_FORTY_TO_ONE} x one (${how})`,
    figure: `${formatMs(forty)} ms vs ${formatMs(one)} ms = ${formatRatio(ratio)}`,
    met: ratio < MAX_FORTY_TO_ONE,
  };
}

function rssTarget(what: string, peakKiB: number | undefined): TargetVerdict {
  return {
    target: `peak RSS < 80 MB (${what})`,
    figure: peakKiB === undefined ? 'not measured' : `max ${formatRss(peakKiB)}`,
    met: peakKiB !== undefined && peakKiB < RSS_LIMIT_KIB,
  };
}

export function evaluateTargets(inputs: TargetInputs): TargetVerdict[] {
  const { inProcess, cli } = inputs.fortyRepos;
  const cliPeaks = [cli.one.rssKiB?.max, cli.forty.rssKiB?.max].filter((value): value is number => value !== undefined);
  return [
    stepTarget(inputs.wholeStep),
    ...inputs.requests.map(requestTarget),
    fortyTarget('in process', inProcess.one.ms.median, inProcess.forty.ms.median, medianRatio(inProcess.forty.ms, inProcess.one.ms)),
    fortyTarget('CLI process', cli.one.ms.median, cli.forty.ms.median, medianRatio(cli.forty.ms, cli.one.ms)),
    ...inputs.bundleSizes.bundles.map((bundle) => ({
      target: `bundle dist/${bundle.name} < ${formatBytes(BUNDLE_LIMIT_BYTES)}`,
      figure: `${formatBytes(bundle.javascriptBytes)} (entry ${formatBytes(bundle.entryBytes)})`,
      met: bundle.javascriptBytes < BUNDLE_LIMIT_BYTES,
    })),
    rssTarget('Action main+post', inputs.wholeStep.dockerPat.peakRssKiB?.max),
    rssTarget('CLI check', cliPeaks.length === 0 ? undefined : Math.max(...cliPeaks)),
  ];
}
