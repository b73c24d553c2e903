import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNTS, PATS } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { closedPort } from '../support/loopback-server.js';
import { cliBundle } from './cli-bundle.js';
import { Canary } from './cli-canary.js';
import { GitLabProject, inputs, type PipelineResult } from './gitlab-harness.js';

let sb: Sandbox;
let cli: string;
const projects: GitLabProject[] = [];
const canary = new Canary();
for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner);
canary.watch(ACCOUNTS.bob.password, 'bob');

beforeAll(async () => {
  [sb, cli] = await Promise.all([startSandbox(), cliBundle()]);
}, 240_000);

afterAll(async () => {
  await sb?.stop();
  await Promise.all(projects.map((p) => p.remove()));
});

/** Every variable a job sees besides the inputs: the tokens, by name, and the fake Hub API. */
function variables(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DOCKER_PAT: PATS.aliceWrite.secret,
    READ_PAT: PATS.aliceRead.secret,
    ADMIN_PAT: PATS.aliceAdmin.secret,
    EXPIRED_PAT: PATS.aliceExpired.secret,
    DELETED_PAT: PATS.aliceDeleted.secret,
    BOB_PASSWORD: ACCOUNTS.bob.password,
    ...sb.env,
    ...extra,
  };
}

function checkInputs(values: Record<string, string | number | boolean>): string {
  return inputs({ registry: sb.registry.host, username: 'alice', 'client-path': cli, ...values });
}

async function pipeline(yaml: string, args: string[] = [], extraVariables: Record<string, string> = {}): Promise<{ project: GitLabProject; result: PipelineResult }> {
  const project = await GitLabProject.create({ '.gitlab-ci.yml': yaml }, variables(extraVariables));
  projects.push(project);
  const result = await project.run(args);
  canary.record(result.output);
  return { project, result };
}

describe('the docker-pat-check component in a pipeline (gitlab-ci-local)', () => {
  it('include: local with inputs: a passing check, and its dotenv report reaches the next job', async () => {
    const { project, result } = await pipeline(`
include:
  - local: templates/docker-pat-check/template.yml
    inputs: ${checkInputs({ needs: 'push', repositories: 'alice/app alice/site:pull' })}
report:
  stage: test
  needs: [docker-pat-check]
  script:
    - echo "scope=$DOCKER_PAT_SCOPE granted=$DOCKER_PAT_GRANTED verdict=$DOCKER_PAT_VERDICT warnings=[$DOCKER_PAT_WARNINGS]"
`);
    expect(result.code).toBe(0);
    expect(result.status).toEqual({ 'docker-pat-check': 'PASS', report: 'PASS' });
    expect(result.output).toMatch(/docker-pat-check +> +alice\/app +pull,push +pull,push +ok/);
    expect(result.output).toMatch(/docker-pat-check +> OK {4}the token fits the job\./);
    expect(await project.dotenv('docker-pat-check')).toEqual({
      DOCKER_PAT_VERDICT: 'ok',
      DOCKER_PAT_ERROR: '',
      DOCKER_PAT_REGISTRY: sb.registry.host,
      DOCKER_PAT_TOKEN_TYPE: 'pat',
      DOCKER_PAT_SCOPE: 'repo:write',
      DOCKER_PAT_GRANTED: 'alice/app:pull,push;alice/site:pull',
      DOCKER_PAT_EXPIRES_AT: '',
      DOCKER_PAT_DAYS_UNTIL_EXPIRY: '',
      DOCKER_PAT_WARNINGS: '',
    });
    expect(result.output).toMatch(/report +> scope=repo:write granted=alice\/app:pull,push;alice\/site:pull verdict=ok warnings=\[\]/);
  });

  it('include: component at the current commit, with GitLab sections and colours (GITLAB_CI=true)', async () => {
    const { project, result } = await pipeline(
      `
include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/docker-pat-check@$CI_COMMIT_SHA
    inputs: ${checkInputs({ 'job-name': 'hub-check', stage: 'build', 'token-variable': 'READ_PAT', repositories: 'alice/app' })}
stages: [build]
`,
      ['--variable', 'GITLAB_CI=true'],
    );
    expect(result.code).toBe(0);
    expect(result.status).toEqual({ 'hub-check': 'PASS' });
    const log = await project.jobLog('hub-check');
    canary.record(log);
    // gitlab-ci-local turns a well-formed section into these two lines, as GitLab folds it.
    expect(log).toMatch(/^docker_pat_check_started\n/m);
    expect(log).toMatch(/^docker_pat_check took \d+ms\n/m);
    expect(log).toContain('\u001b[1;92mOK   \u001b[0m the token fits the job.');
  });

  it('a warning-only check exits 3 and is shown as allowed to fail; strict: true fails it', async () => {
    const { project, result } = await pipeline(`
include:
  - local: templates/docker-pat-check/template.yml
    inputs: ${checkInputs({ 'job-name': 'lenient', 'token-variable': 'ADMIN_PAT', repositories: 'alice/app' })}
  - local: templates/docker-pat-check/template.yml
    inputs: ${checkInputs({ 'job-name': 'strict', 'token-variable': 'ADMIN_PAT', repositories: 'alice/app', strict: true })}
`);
    expect(result.status).toEqual({ lenient: 'WARN', strict: 'FAIL' });
    expect(result.output).toMatch(/lenient +finished in .* WARN 3/);
    expect(result.output).toMatch(/lenient +> WARN {2}over-privileged: /);
    expect(result.output).toMatch(/strict +> ERROR check failed \(1 warning\(s\) with --strict\); exit code 1\./);
    expect(await project.dotenv('lenient')).toMatchObject({ DOCKER_PAT_VERDICT: 'warning', DOCKER_PAT_WARNINGS: 'over-privileged', DOCKER_PAT_SCOPE: 'repo:admin' });
    const alone = await pipeline(`
include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/docker-pat-check@$CI_COMMIT_SHA
    inputs: ${checkInputs({ 'token-variable': 'ADMIN_PAT', repositories: 'alice/app' })}
`);
    expect(alone.result.status).toEqual({ 'docker-pat-check': 'WARN' });
    expect(alone.result.code).toBe(0);
  });

  it('each failing code fails its job with the code, the fix, and a dotenv report that says so', async () => {
    const port = await closedPort();
    const cases: Array<[string, string, Record<string, string>]> = [
      ['bad-credentials', 'deleted', { 'token-variable': 'DELETED_PAT' }],
      ['expired', 'expired', { 'token-variable': 'EXPIRED_PAT' }],
      ['insufficient-scope', 'read-only', { 'token-variable': 'READ_PAT', needs: 'push', repositories: 'alice/app' }],
      ['password-not-allowed', 'password', { 'token-variable': 'BOB_PASSWORD', username: 'bob' }],
      ['empty-secret', 'unset', { 'token-variable': 'NO_SUCH_VARIABLE' }],
      ['unreachable', 'offline', { registry: `127.0.0.1:${port}` }],
    ];
    const includes = cases.map(([, job, values]) => `  - local: templates/docker-pat-check/template.yml\n    inputs: ${checkInputs({ 'job-name': job, ...values })}`).join('\n');
    // gitlab-ci-local exits 0 when a job with any allow_failure fails; GitLab fails the pipeline
    // for an exit code not listed, so the job status (FAIL, not WARN) is what is asserted.
    const { project, result } = await pipeline(`include:\n${includes}\n`);
    for (const [code, job] of cases) {
      expect(`${job}: ${result.status[job]}`).toBe(`${job}: FAIL`);
      const log = await project.jobLog(job);
      canary.record(log);
      expect(log).toMatch(new RegExp(`ERROR ${code}: .+\\n.*fix: .+`));
      if (code !== 'empty-secret') expect(await project.dotenv(job)).toMatchObject({ DOCKER_PAT_VERDICT: 'error', DOCKER_PAT_ERROR: code });
    }
  });

  it('a bad value that passes the input regex is a usage error (exit 2) naming the valid forms', async () => {
    const { project, result } = await pipeline(`
include:
  - local: templates/docker-pat-check/template.yml
    inputs: ${checkInputs({ repositories: 'alice/app:fly' })}
`);
    expect(result.status).toEqual({ 'docker-pat-check': 'FAIL' });
    const log = await project.jobLog('docker-pat-check');
    expect(log).toMatch(/docker-pat: --repository: 'fly' is not an action.*\n.*NAME:ACTIONS/);
    expect(result.output).toMatch(/docker-pat-check +finished in .* FAIL 2/);
  });

  it('inputs are checked by their type, options and regex before anything runs', async () => {
    const bad = async (values: Record<string, string | number | boolean>) => (await pipeline(`include:\n  - local: templates/docker-pat-check/template.yml\n    inputs: ${checkInputs(values)}\n`)).result;
    const secretAsName = await bad({ 'token-variable': '$DOCKER_PAT' });
    expect(secretAsName.code).not.toBe(0);
    expect(secretAsName.output).toMatch(/`token-variable` input: .* does not match required regex/);
    const injected = await bad({ registry: 'docker.io"; cat /etc/passwd; "' });
    expect(injected.output).toMatch(/`registry` input: .* does not match required regex/);
    expect((await bad({ strict: 'yes' })).output).toMatch(/`strict` input: provided value is not a boolean/);
    const missing = (await pipeline(`include:\n  - local: templates/docker-pat-check/template.yml\n    inputs: ${inputs({ 'client-path': cli })}\n`)).result;
    expect(missing.output).toMatch(/`username` input: required value has not been provided/);
  });

  it('bundle-url: the downloaded bundle runs only when its SHA-256 matches bundle-sha256', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gitlab-bundle-'));
    const openssl = promisify(execFile);
    await openssl('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    const bundle = await readFile(cli);
    const server = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (req, res) => {
      res.writeHead(req.url === '/releases/docker-pat.js' ? 200 : 404).end(req.url === '/releases/docker-pat.js' ? bundle : '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/releases/docker-pat.js`;
      const sha256 = createHash('sha256').update(bundle).digest('hex');
      const downloads = join(dir, 'downloads');
      await mkdir(downloads);
      const fromUrl = (job: string, values: Record<string, string>) =>
        `  - local: templates/docker-pat-check/template.yml\n    inputs: ${inputs({ registry: sb.registry.host, username: 'alice', 'token-variable': 'READ_PAT', 'job-name': job, 'bundle-url': url, ...values })}\n`;
      const { project, result } = await pipeline(
        `variables:\n  TMPDIR: ${downloads}\n  CURL_CA_BUNDLE: ${join(dir, 'cert.pem')}\ninclude:\n${fromUrl('verified', { 'bundle-sha256': sha256 })}${fromUrl('tampered', { 'bundle-sha256': '0'.repeat(64) })}${fromUrl('unpinned', {})}`,
      );
      expect(result.status).toEqual({ verified: 'PASS', tampered: 'FAIL', unpinned: 'FAIL' });
      expect(await project.jobLog('verified')).toContain('OK    the token fits the job.');
      const tampered = await project.jobLog('tampered');
      expect(tampered).toContain('the bundle at bundle-url could not be downloaded or does not match bundle-sha256; it was not run.');
      expect(tampered).not.toContain('docker-pat check:');
      expect(await project.jobLog('unpinned')).toContain('bundle-url needs bundle-sha256: the bundle is never run unverified.');
      expect(await readdir(downloads)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never shows a token, base64(user:token) or a JWT in any job log', () => {
    expect(canary.recorded).toBeGreaterThanOrEqual(projects.length);
    canary.expectNoLeak();
  });
});
