/**
 * The CLI as users get it: the committed bundle dist/cli/index.js (`npm run build`), run with node
 * in a child process, as the Action's tests run its committed dist/. `npm test` checks that dist/
 * matches a fresh build before any test runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'cli', 'index.js');

export function cliBundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  return BUNDLE;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
  /** Called with the child's pid as soon as it runs (to sample /proc while it works). */
  onSpawn?: (pid: number) => void;
}

/** Only what a CI job would have: PATH, a HOME of its own, and the variables the test gives. */
export function baseEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };
}

export function runNode(script: string, args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: options.env ?? {}, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, pid: child.pid }));
    child.stdin.end(options.stdin ?? '');
  });
}
