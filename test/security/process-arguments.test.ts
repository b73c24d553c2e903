/**
 * The token never travels on a command line, where every user of the machine can read it
 * (/proc/<pid>/cmdline, ps). Every process on the machine is sampled, not only the children,
 * while a login stores its credential; the token is minted for this file alone, so another test
 * running alongside can never be the one that shows it.
 *
 * Covered here: the Action's bundles storing through a credential helper (the tests' own
 * docker-credential-canary script), and the GitLab login template's POSIX ways, which run
 * `docker login --password-stdin` or write config.json with shell built-ins only (and whose job
 * logs, a refused login's included, show no token either).
 * The CLI's `login` through a helper is sampled the same way in test/e2e/cli-login.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNTS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { runJob } from '../e2e/action-runner.js';
import { allCommandLines, sampleCommandLines } from '../e2e/cli-proc.js';
import { GitLabProject, inputs } from '../e2e/gitlab-harness.js';
import { Canary } from '../support/canary.js';
import { mintPersonalToken } from '../support/minted-token.js';

let sb: Sandbox;
let work: string;
let token: string;
let failingToken: string;

beforeAll(async () => {
  sb = await startSandbox();
  work = await mkdtemp(join(tmpdir(), 'process-arguments-'));
  token = await mintPersonalToken(sb, 'alice', ACCOUNTS.alice.password, 'repo:write');
  failingToken = await mintPersonalToken(sb, 'alice', ACCOUNTS.alice.password, 'repo:read');
});

afterAll(async () => {
  await sb?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');

/** The command lines that show a secret: none is the only right answer. */
function showing(commandLines: string[], secrets: string[]): string[] {
  return commandLines.filter((line) => secrets.some((secret) => line.includes(secret))).map((line) => `${line.slice(0, 40)}…`);
}

/** A credential helper speaking the docker protocol, slow enough for every call to be sampled. */
function installHelper(): { bin: string; entry: string } {
  const bin = join(work, 'bin');
  const store = join(work, 'helper-store');
  mkdirSync(bin, { recursive: true });
  mkdirSync(store, { recursive: true });
  const entry = join(store, 'entry.json');
  const script = [
    '#!/bin/sh',
    'sleep 0.2',
    'case "$1" in',
    `  store) cat > "${entry}" ;;`,
    `  get) if [ -f "${entry}" ]; then cat "${entry}"; else echo "credentials not found in native keychain"; exit 1; fi ;;`,
    `  erase) rm -f "${entry}" ;;`,
    '  list) echo "{}" ;;',
    'esac',
    '',
  ].join('\n');
  writeFileSync(join(bin, 'docker-credential-canary'), script);
  chmodSync(join(bin, 'docker-credential-canary'), 0o755);
  return { bin, entry };
}

describe('the Action storing through a credential helper', () => {
  it('hands the token to the helper on stdin only: no process ever shows it, in main or post', async () => {
    const helper = installHelper();
    let stored: unknown;
    const { result, commandLines } = await sampleCommandLines(
      runJob({
        inputs: { registry: sb.registry.host, username: 'alice', password: token, needs: 'push', repositories: 'alice/app' },
        env: { ...sb.env, PATH: `${helper.bin}:${process.env.PATH ?? ''}` },
        prepare: (job) => {
          mkdirSync(job.homeDockerConfig, { recursive: true, mode: 0o700 });
          writeFileSync(join(job.homeDockerConfig, 'config.json'), JSON.stringify({ credsStore: 'canary' }), { mode: 0o600 });
        },
        afterMain: async () => {
          stored = JSON.parse(readFileSync(helper.entry, 'utf8'));
        },
      }),
    );
    try {
      expect({ main: result.main.exitCode, post: result.post.exitCode }).toEqual({ main: 0, post: 0 });
      expect(stored).toEqual({ ServerURL: sb.registry.host, Username: 'alice', Secret: token });
      expect(existsSync(helper.entry)).toBe(false);
      const lines = allCommandLines(commandLines);
      // The sampling saw the helper at work, so it would have seen a token passed to it.
      expect(lines.some((line) => line.endsWith('docker-credential-canary store'))).toBe(true);
      expect(lines.some((line) => line.endsWith('docker-credential-canary erase'))).toBe(true);
      expect(showing(lines, [token, basic('alice', token)])).toEqual([]);
    } finally {
      result.cleanup();
    }
  }, 60_000);
});

describe("the GitLab login template's POSIX ways", () => {
  it('docker login --password-stdin and the config.json writer never put the token on a command line', async () => {
    const login = (name: string, values: Record<string, string>) =>
      `  - local: templates/docker-pat-login/template.yml\n    inputs: ${inputs({ 'job-name': name, registry: sb.registry.host, username: 'alice', ...values })}\n`;
    const job = (name: string, extendsJob: string) => `${name}:\n  extends: ${extendsJob}\n  script:\n    - test -s "$DOCKER_CONFIG/config.json"\n`;
    const project = await GitLabProject.create(
      {
        '.gitlab-ci.yml': [
          'include:',
          login('.with-docker', { method: 'docker', 'token-variable': 'CANARY_PAT' }),
          login('.with-config', { method: 'config', 'token-variable': 'CANARY_PAT' }),
          login('.refused', { method: 'docker', 'token-variable': 'WRONG_USER_PAT', username: 'bob' }),
          job('docker-way', '.with-docker'),
          job('config-way', '.with-config'),
          job('refused-way', '.refused'),
        ].join('\n'),
      },
      { CANARY_PAT: token, WRONG_USER_PAT: failingToken },
    );
    try {
      const { result, commandLines } = await sampleCommandLines(project.run());
      expect(result.status).toEqual({ 'docker-way': 'PASS', 'config-way': 'PASS', 'refused-way': 'FAIL' });
      expect(await project.jobLog('docker-way')).toContain('Login Succeeded');
      const lines = allCommandLines(commandLines);
      expect(lines.some((line) => /docker login --username alice --password-stdin/.test(line))).toBe(true);
      expect(showing(lines, [token, basic('alice', token), failingToken, basic('bob', failingToken)])).toEqual([]);
      // Nor does any job log, the refused login's included.
      const canary = new Canary().watch(token, 'alice', 'the token').watch(failingToken, 'bob', 'the refused token');
      canary.recordAs('gitlab-ci-local output', result.output);
      for (const name of Object.keys(result.status)) canary.recordAs(`${name} log`, await project.jobLog(name));
      canary.expectNoLeak();
    } finally {
      await project.remove();
    }
  }, 120_000);
});
