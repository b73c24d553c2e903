/** The printed report: one table per measurement, then the targets, then any failed runs. */
import type { CheckSeries } from './forty-repos.js';
import { requestKey, type RequestCount } from './requests.js';
import type { BenchResults } from './results.js';
import { medianRatio, type Summary } from './stats.js';
import { formatBytes, formatMs, formatRatio, formatRss, renderTable } from './table.js';
import type { StepSeries } from './whole-step.js';

const TIMING_HEADERS = ['', 'median', 'p10', 'p90', 'min', 'max', 'n'];

function timingRow(label: string, summary: Summary): string[] {
  return [label, ...[summary.median, summary.p10, summary.p90, summary.min, summary.max].map(formatMs), String(summary.n)];
}

const SKIPPED = 'skipped';

/** The reason the docker/login-action rows are skipped, printed once under each table. */
function anchorNotes(results: BenchResults): string[] {
  return results.wholeStep.anchor === undefined ? [`docker/login-action skipped: ${results.wholeStep.anchorNote ?? ''}`] : [];
}

function stepRows(label: string, parts: [string, string], step: StepSeries | undefined): string[][] {
  if (step === undefined) return [[label, SKIPPED]];
  return [timingRow(label, step.wallMs), timingRow(`  ${parts[0]}`, step.firstMs), timingRow(`  ${parts[1]}`, step.secondMs)];
}

function checkRows(label: string, one: CheckSeries, forty: CheckSeries): string[][] {
  return [timingRow(`${label}: 1 repository`, one.ms), timingRow(`${label}: 40 repositories`, forty.ms)];
}

function wallTimes(results: BenchResults): string {
  const { wholeStep, fortyRepos } = results;
  return renderTable({
    title: 'Wall time, ms (each process timed from spawn to exit)',
    headers: TIMING_HEADERS,
    rows: [
      ...stepRows('docker-pat Action main+post (needs push, alice/app)', ['main', 'post'], wholeStep.dockerPat),
      ...stepRows('docker login --password-stdin + docker logout', ['login', 'logout'], wholeStep.dockerCli),
      ...stepRows('docker/login-action main+post', ['main', 'post'], wholeStep.anchor),
      ...checkRows('checkToken in process', fortyRepos.inProcess.one, fortyRepos.inProcess.forty),
      ...checkRows('CLI check (dist/cli)', fortyRepos.cli.one, fortyRepos.cli.forty),
    ],
    notes: [
      ...(results.environment.rssMethod === 'gnu-time' ? ['Step and CLI processes run under GNU time (for their peak RSS); the cold starts below do not.'] : []),
      ...anchorNotes(results),
    ],
  });
}

function ratios(results: BenchResults): string {
  const { wholeStep, fortyRepos } = results;
  const ours = wholeStep.dockerPat.wallMs;
  const rows = [
    ['docker-pat step / docker login + logout', formatRatio(medianRatio(ours, wholeStep.dockerCli.wallMs))],
    ['docker-pat step / docker/login-action', wholeStep.anchor === undefined ? SKIPPED : formatRatio(medianRatio(ours, wholeStep.anchor.wallMs))],
    ['40 repositories / 1, in process', formatRatio(medianRatio(fortyRepos.inProcess.forty.ms, fortyRepos.inProcess.one.ms))],
    ['40 repositories / 1, CLI process', formatRatio(medianRatio(fortyRepos.cli.forty.ms, fortyRepos.cli.one.ms))],
  ];
  return renderTable({ title: 'Ratios of medians', headers: ['', 'ratio'], rows, notes: anchorNotes(results) });
}

function coldStarts(results: BenchResults): string {
  return renderTable({
    title: 'Cold start, ms (spawn to first byte of output; exit for comparison)',
    headers: ['', 'first output', 'p10', 'p90', 'exit', 'n'],
    rows: results.coldStarts.map((start) => [
      start.alwaysPrinted ? start.name : `${start.name} (printed nothing: exit time)`,
      formatMs(start.firstOutputMs.median),
      formatMs(start.firstOutputMs.p10),
      formatMs(start.firstOutputMs.p90),
      formatMs(start.exitMs.median),
      String(start.firstOutputMs.n),
    ]),
  });
}

function rssRows(label: string, parts: [string, string], step: StepSeries | undefined): string[][] {
  if (step === undefined) return [[label, SKIPPED]];
  const row = (what: string, summary: Summary | undefined): string[] =>
    summary === undefined ? [what, 'not measured'] : [what, formatRss(summary.median), formatRss(summary.max)];
  return [row(`${label}: ${parts[0]}`, step.firstRssKiB), row(`${label}: ${parts[1]}`, step.secondRssKiB)];
}

function memory(results: BenchResults): string {
  const { wholeStep, fortyRepos } = results;
  const checkRow = (what: string, summary: Summary | undefined): string[] =>
    summary === undefined ? [what, 'not measured'] : [what, formatRss(summary.median), formatRss(summary.max)];
  return renderTable({
    title: `Peak RSS per process (${results.environment.rssMethod})`,
    headers: ['', 'median', 'max'],
    rows: [
      ...rssRows('docker-pat Action', ['main', 'post'], wholeStep.dockerPat),
      ...rssRows('docker CLI', ['login', 'logout'], wholeStep.dockerCli),
      ...rssRows('docker/login-action', ['main', 'post'], wholeStep.anchor),
      checkRow('CLI check, 1 repository', fortyRepos.cli.one.rssKiB),
      checkRow('CLI check, 40 repositories', fortyRepos.cli.forty.rssKiB),
    ],
    notes: anchorNotes(results),
  });
}

function requestTable(count: RequestCount): string {
  const duplicates = Object.keys(count.duplicates);
  const rows = count.requests.map((entry) => [
    entry.service,
    entry.method,
    `${entry.path}${entry.query === '' ? '' : `?${entry.query}`}`,
    String(entry.status),
    entry.authorization,
    duplicates.includes(requestKey(entry)) ? 'REPEATED' : '',
  ]);
  const summary =
    `  ${count.requests.length} requests: ${count.pings} ping, ${count.tokenRequests} token, ${count.hubCalls} Hub API, ${count.other} other; ` +
    `protocol minimum ${count.minimum}; ${duplicates.length === 0 ? 'no request repeated' : `${duplicates.length} repeated`}` +
    (count.failure === undefined ? '' : `; RUN FAILED: ${count.failure}`);
  return `${renderTable({
    title: `Requests per check: ${count.source}, needs push on alice/app`,
    headers: ['service', 'method', 'path?query', 'status', 'auth', ''],
    rows,
    align: ['left', 'left', 'left', 'right', 'left', 'left'],
  })}\n${summary}`;
}

function requests(results: BenchResults): string {
  const { requestsOne, requestsForty } = results.fortyRepos.inProcess;
  return [...results.requests.map(requestTable), `Requests of checkToken in process: ${requestsOne} for 1 repository, ${requestsForty} for 40 (needs pull)`].join('\n\n');
}

function bundles(results: BenchResults): string {
  const { files, bundles: perBundle } = results.bundleSizes;
  const fileTable = renderTable({ title: 'dist/ files', headers: ['file', 'bytes', 'size'], rows: files.map((file) => [file.path, String(file.bytes), formatBytes(file.bytes)]) });
  const bundleTable = renderTable({
    title: 'Bundles (entry + lazily loaded chunks)',
    headers: ['bundle', 'entry', 'all JavaScript'],
    rows: perBundle.map((bundle) => [`dist/${bundle.name}`, formatBytes(bundle.entryBytes), formatBytes(bundle.javascriptBytes)]),
  });
  return `${fileTable}\n\n${bundleTable}`;
}

function targets(results: BenchResults): string {
  return renderTable({
    title: 'Targets',
    headers: ['', 'target', 'figure'],
    rows: results.targets.map((verdict) => [verdict.met ? 'met' : 'MISSED', verdict.target, verdict.figure]),
    align: ['left', 'left', 'left'],
    notes: results.targets.filter((verdict) => verdict.note !== undefined).map((verdict) => `note: ${verdict.note}`),
  });
}

function failures(results: BenchResults): string | undefined {
  const { wholeStep, fortyRepos } = results;
  const sources: Array<[string, Record<string, number> | undefined]> = [
    ['docker-pat Action step', wholeStep.dockerPat.failures],
    ['docker login/logout', wholeStep.dockerCli.failures],
    ['docker/login-action', wholeStep.anchor?.failures],
    ['checkToken, 1 repository', fortyRepos.inProcess.one.failures],
    ['checkToken, 40 repositories', fortyRepos.inProcess.forty.failures],
    ['CLI check, 1 repository', fortyRepos.cli.one.failures],
    ['CLI check, 40 repositories', fortyRepos.cli.forty.failures],
  ];
  const lines = sources.flatMap(([what, reasons]) => Object.entries(reasons ?? {}).map(([reason, n]) => `  ${what}: ${n} runs failed: ${reason}`));
  return lines.length === 0 ? undefined : ['FAILED RUNS (their figures above are not those of a working step):', ...lines].join('\n');
}

export function renderReport(results: BenchResults): string {
  const env = results.environment;
  const header =
    `docker-pat benchmark, ${env.date}: Node ${env.node}, ${env.platform}, ${env.cpus} x ${env.cpuModel}, ${env.dockerCli}\n` +
    `Rounds after warm-up: ${Object.entries(env.rounds).map(([what, n]) => `${what} ${n}`).join(', ')}; variants interleaved.`;
  const sections = [header, wallTimes(results), ratios(results), coldStarts(results), memory(results), requests(results), bundles(results), targets(results)];
  const failed = failures(results);
  if (failed !== undefined) sections.push(failed);
  sections.push(`Bench took ${(results.durationMs / 1000).toFixed(1)} s.`);
  return `${sections.join('\n\n')}\n`;
}
