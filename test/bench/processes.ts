/**
 * Runs one process and times it from outside, as a CI runner experiences it: from spawn to exit,
 * and from spawn to its first byte of output. Peak memory (RSS) comes from GNU time when it is
 * installed (it sees any program); otherwise a preloaded module reports a Node process's own
 * `resourceUsage().maxRSS` as it exits (other programs then have no figure).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
const RSS_FILE_VARIABLE = 'DOCKER_PAT_BENCH_MAXRSS_FILE';
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';` +
    `process.on('exit', () => writeFileSync(process.env.${RSS_FILE_VARIABLE}, String(process.resourceUsage().maxRSS)));`,
)}`;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface ProcessSpec {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to standard input, which is then closed (at once, when there is nothing to write). */
  stdin?: string;
  /** Measure peak RSS; this wraps the process in GNU time, so leave it off where start-up latency is the figure. */
  rss?: boolean;
  timeoutMs?: number;
}

export interface ProcessRun {
  wallMs: number;
  /** Spawn to the first byte on stdout or stderr; undefined when the process printed nothing. */
  firstOutputMs: number | undefined;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in KiB; undefined when it could not be measured. */
  maxRssKiB: number | undefined;
}

export type RssMethod = 'gnu-time' | 'node-preload';

export function rssMethod(): RssMethod {
  return existsSync(GNU_TIME) ? 'gnu-time' : 'node-preload';
}

interface Launch {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  rssFile: string | undefined;
}

function launchWithRss(spec: ProcessSpec): Launch {
  const rssFile = join(tmpdir(), `docker-pat-bench-rss-${randomBytes(6).toString('hex')}`);
  if (rssMethod() === 'gnu-time') {
    return { file: GNU_TIME, args: ['-o', rssFile, '-f', '%M', spec.file, ...spec.args], env: spec.env, rssFile };
  }
  if (spec.file === process.execPath) {
    return { file: spec.file, args: [`--import=${RSS_PRELOAD}`, ...spec.args], env: { ...spec.env, [RSS_FILE_VARIABLE]: rssFile }, rssFile };
  }
  return { file: spec.file, args: spec.args, env: spec.env, rssFile: undefined };
}

/** GNU time writes "Command exited with non-zero status N" before the figure when the command fails. */
function readRss(rssFile: string | undefined): number | undefined {
  if (rssFile === undefined || !existsSync(rssFile)) return undefined;
  const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
  rmSync(rssFile, { force: true });
  const figure = Number(lines[lines.length - 1]);
  return Number.isFinite(figure) && figure > 0 ? figure : undefined;
}

export function runProcess(spec: ProcessSpec): Promise<ProcessRun> {
  const launch = spec.rss ? launchWithRss(spec) : { file: spec.file, args: spec.args, env: spec.env, rssFile: undefined };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs: number | undefined;
    let exitedMs = 0;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const child = spawn(launch.file, launch.args, { env: launch.env, cwd: spec.cwd, stdio: 'pipe' });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      firstOutputMs ??= performance.now() - started;
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', () => {
      exitedMs = performance.now() - started;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        wallMs: exitedMs,
        firstOutputMs,
        exitCode: code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        maxRssKiB: readRss(launch.rssFile),
      });
    });
    // A process that exits without reading its input fails the write with EPIPE: not the run's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.stdin ?? '');
  });
}
