/**
 * `npm run bench` still works end to end: a smoke run (one round per measurement, no warm-up)
 * against the real sandbox, its results written to a temp file so bench-results/ is left alone.
 * No figure is asserted: machines are noisy, and the bench reports, it never fails a build.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions } from '../bench/options.js';
import { PROJECT_ROOT } from './action-runner.js';

const BENCH_TIMEOUT_MS = 60_000;
const RECORDED_RESULTS = join(PROJECT_ROOT, 'bench-results/latest.json');

/** The targets of issue 6 as the Targets table names them; the bundles are dist/'s folders. */
const TARGETS = [
  'whole step <= 0.5 x docker/login-action main+post',
  'no redundant request (Action step (main + post))',
  'no redundant request (CLI check)',
  '40 repositories < 2 x one (in process)',
  '40 repositories < 2 x one (CLI process)',
  ...['cli', 'main', 'post'].map((bundle) => `bundle dist/${bundle} < 1.00 MB`),
  'peak RSS < 80 MB (Action main+post)',
  'peak RSS < 80 MB (CLI check)',
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

interface BenchRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The bench's TMPDIR: everything it creates goes there. */
  temp: string;
}

/** The bench in a child process, with no ANCHOR_ACTION_DIR and nothing else inherited. */
function runBench(args: string[]): Promise<BenchRun> {
  const temp = tempDir('bench-smoke-tmp-');
  const home = tempDir('bench-smoke-home-');
  // tsx keeps a transform cache in TMPDIR; off, so whatever is left there is the bench's.
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: temp, TSX_DISABLE_CACHE: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), BENCH_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, temp });
    });
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lines of the printed table titled `title`, up to the next blank line. */
function section(output: string, title: string): string[] {
  const lines = output.split('\n');
  const start = lines.indexOf(title);
  if (start === -1) throw new Error(`no "${title}" table in:\n${output}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

/** Modification time of the recorded results, or undefined when there are none. */
function recordedResultsStamp(): number | undefined {
  return existsSync(RECORDED_RESULTS) ? statSync(RECORDED_RESULTS).mtimeMs : undefined;
}

describe('npm run bench -- --rounds 1 --out FILE', () => {
  it('measures everything once, reports every target and the missing anchor, and writes only FILE', async () => {
    const recordedBefore = recordedResultsStamp();
    const out = join(tempDir('bench-smoke-out-'), 'results.json');
    const run = await runBench(['--rounds', '1', '--out', out]);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });

    const targets = section(run.stdout, 'Targets');
    for (const target of TARGETS) expect(targets.filter((line) => new RegExp(`^(met|MISSED) +${escapeRegExp(target)}  `).test(line))).toHaveLength(1);
    expect(targets).toContain('  note: ANCHOR_ACTION_DIR not set: the anchor figure is the recorded median (performance-baseline.md), not measured in this run');
    expect(run.stdout).toContain('docker/login-action skipped: ANCHOR_ACTION_DIR not set');
    expect(run.stdout).not.toContain('FAILED RUNS');
    expect(run.stdout).toContain('Smoke run: no warm-up and few rounds');
    expect(run.stdout).toContain(`Results: ${out}\n`);

    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & { environment: { rounds: Record<string, number> }; targets: Array<{ target: string }>; wholeStep: Record<string, unknown> };
    expect(Object.keys(results).sort()).toEqual(['bundleSizes', 'coldStarts', 'durationMs', 'environment', 'fortyRepos', 'requests', 'targets', 'wholeStep']);
    expect(results.environment.rounds).toEqual({ 'whole step': 1, 'in-process check': 1, 'CLI check': 1, 'cold start': 1 });
    expect(results.targets.map((verdict) => verdict.target).sort()).toEqual([...TARGETS].sort());
    expect(results.wholeStep).toMatchObject({ anchorNote: 'ANCHOR_ACTION_DIR not set' });
    expect(results.wholeStep).not.toHaveProperty('anchor');

    expect(recordedResultsStamp()).toBe(recordedBefore);
    expect(readdirSync(run.temp)).toEqual([]);
  });

  it('refuses a bad option with its usage, before starting anything', async () => {
    const run = await runBench(['--rounds', '0']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain('--rounds takes a whole number from 1 to 9999, not "0"');
    expect(run.stderr).toContain('Usage: npm run bench');
    expect(readdirSync(run.temp)).toEqual([]);
  });
});

describe('the bench options', () => {
  const defaultFile = join(PROJECT_ROOT, 'bench-results/latest.json');

  it('with none, are the full benchmark writing bench-results/latest.json', () => {
    expect(parseBenchOptions([], '/anywhere', defaultFile)).toEqual({
      schedules: {
        wholeStep: { warmups: 2, rounds: 21 },
        inProcess: { warmups: 3, rounds: 21 },
        cli: { warmups: 1, rounds: 11 },
        coldStart: { warmups: 1, rounds: 11 },
      },
      resultsFile: defaultFile,
      smokeRun: false,
    });
  });

  it('cut every measurement to the given rounds with no warm-up, and resolve --out against the working directory', () => {
    const once = { warmups: 0, rounds: 1 };
    const quick = parseBenchOptions(['--quick', '--out', 'smoke.json'], '/work/dir', defaultFile);
    expect(quick).toEqual({ schedules: { wholeStep: once, inProcess: once, cli: once, coldStart: once }, resultsFile: '/work/dir/smoke.json', smokeRun: true });
    expect(parseBenchOptions(['--rounds', '3'], '/work/dir', defaultFile).schedules.cli).toEqual({ warmups: 0, rounds: 3 });
    expect(parseBenchOptions(['--rounds=12', '--out', '/abs/r.json'], '/work/dir', defaultFile)).toMatchObject({ schedules: { wholeStep: { warmups: 0, rounds: 12 } }, resultsFile: '/abs/r.json' });
  });

  it.each([
    [['--rounds=-1'], /--rounds takes a whole number/],
    [['--rounds', '-1'], /argument is ambiguous/],
    [['--rounds', '1.5'], /--rounds takes a whole number/],
    [['--rounds', '10000'], /--rounds takes a whole number/],
    [['--quick', '--rounds', '2'], /--quick is --rounds 1/],
    [['--out', ''], /--out needs a file path/],
    [['--quick=yes'], /does not take an argument/],
    [['--out'], /argument missing/],
    [['--fast'], /Unknown option '--fast'/],
    [['smoke'], /Unexpected argument 'smoke'/],
  ])('refuse %j', (args, message) => {
    expect(() => parseBenchOptions(args, '/work/dir', defaultFile)).toThrow(message);
  });
});
