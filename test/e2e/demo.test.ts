/**
 * `npm run demo` end to end: the demo runs in a child process (node with tsx's loader, which is
 * what the npm script's `tsx` starts) with a temp dir of its own, so the test can prove it leaves
 * no file and no process behind, after a full run and after Ctrl-C or SIGTERM in the middle.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMarkdown } from '../demo/markdown-terminal.js';
import { STORY } from '../demo/story.js';
import { ACCOUNTS, OATS, PATS } from '../sandbox/fixtures.js';
import { PROJECT_ROOT } from './action-runner.js';
import { processesUsing } from '../support/processes-using.js';

const DEMO_TIMEOUT_MS = 60_000;
const SECRETS = [...Object.values(PATS), ...Object.values(OATS)].map((t) => t.secret).concat(Object.values(ACCOUNTS).map((a) => a.password));
const JWT_SHAPE = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]+/;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  /** The demo's TMPDIR: everything it creates goes there. */
  temp: string;
}

/** Runs the demo; with `interrupt`, sends that signal once `after` appears in its output. */
function runDemo(interrupt?: { signal: NodeJS.Signals; after: string }): Promise<DemoRun> {
  const temp = mkdtempSync(join(tmpdir(), 'demo-test-tmp-'));
  const home = mkdtempSync(join(tmpdir(), 'demo-test-home-'));
  dirs.push(temp, home);
  // tsx keeps a transform cache in TMPDIR; off, so whatever is left there is the demo's.
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: temp, TSX_DISABLE_CACHE: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/demo/run.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), DEMO_TIMEOUT_MS);
    const collect = (chunk: string): void => {
      output += chunk;
      if (interrupt && !sent && output.includes(interrupt.after)) {
        sent = true;
        child.kill(interrupt.signal);
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, temp });
    });
  });
}

function expectNothingLeftBehind(run: DemoRun): void {
  expect(readdirSync(run.temp)).toEqual([]);
  expect(processesUsing(run.temp)).toEqual([]);
}

describe('npm run demo', () => {
  it('tells the whole story, keeps every promise, shows no secret and leaves nothing behind', async () => {
    const run = await runDemo();
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
    for (const [index, step] of STORY.entries()) {
      expect(run.output).toContain(`${index + 1}/${STORY.length}  ${step.title}`);
      expect(run.output).toContain(`✔ as expected: ${step.expected}`);
    }
    expect(run.output).not.toContain('NOT as expected');
    expect(run.output).toContain(`${STORY.length} of ${STORY.length} steps showed what they promised`);
    for (const secret of SECRETS) expect(run.output.includes(secret)).toBe(false);
    expect(JWT_SHAPE.exec(run.output)).toBeNull();
    // Not a terminal: no colour.
    expect(run.output).not.toContain('\u001b[');
    expectNothingLeftBehind(run);
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('on %s in the middle of a step, stops everything it started', async (signal, exitCode) => {
    const run = await runDemo({ signal, after: `2/${STORY.length}  ` });
    expect({ code: run.code, signal: run.signal }).toEqual({ code: exitCode, signal: null });
    expect(run.output).toContain(`${signal}: stopping the sandbox`);
    expect(run.output).not.toContain(`${STORY.length} of ${STORY.length} steps`);
    expectNothingLeftBehind(run);
  });
});

describe('the job summary rendered for a terminal', () => {
  const summary = [
    '### docker-pat: registry-1.docker.io',
    '',
    '| | |',
    '|---|---|',
    '| Result | ⚠️ fits the job, with warnings |',
    '| Permission level | repo:write |',
    '',
    '| Repository | Needed | Granted | |',
    '|---|---|---|---|',
    '| alice/app | pull, push | pull, push | ✅ |',
    '| library/alpine | pull | none | ❌ |',
    '',
    '- ⚠️ **expires-soon**: Token "nightly" expires on 2026-12-06 (in 2 days). Create a replacement token and store it in the CI secret before 2026-12-06.',
  ].join('\n');

  it('aligns table columns, turns icons into one-column symbols and drops the markup', () => {
    const lines = renderMarkdown(summary, { colour: false, width: 80 });
    expect(lines.slice(0, 2)).toEqual(['docker-pat: registry-1.docker.io', '─'.repeat(32)]);
    expect(lines).toContain('  Result            ⚠ fits the job, with warnings');
    expect(lines).toContain('  Permission level  repo:write');
    const rows = lines.filter((line) => /^ {2}(Repository|alice\/app|library\/alpine) /.test(line));
    expect(rows).toEqual([
      '  Repository      Needed      Granted',
      '  alice/app       pull, push  pull, push  ✔',
      '  library/alpine  pull        none        ✘',
    ]);
    expect(lines.join('\n')).not.toMatch(/\*\*|\||✅|❌|⚠️/u);
  });

  it('wraps list items within the width, under their bullet', () => {
    const lines = renderMarkdown(summary, { colour: false, width: 60 });
    const item = lines.slice(lines.findIndex((line) => line.startsWith('  • ')));
    expect(item.length).toBeGreaterThan(1);
    for (const line of item) expect(line.length).toBeLessThanOrEqual(60);
    expect(item[0]).toMatch(/^ {2}• ⚠ expires-soon: /);
    expect(item.slice(1).every((line) => line.startsWith('    '))).toBe(true);
  });

  it('colours only when asked to', () => {
    expect(renderMarkdown(summary, { colour: true, width: 80 }).join('\n')).toContain('\u001b[');
    expect(renderMarkdown(summary, { colour: false, width: 80 }).join('\n')).not.toContain('\u001b[');
  });
});
