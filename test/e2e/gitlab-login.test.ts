import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITLAB_TOKENS, PATS } from '../sandbox/fixtures.js';
import { buildImageLayout } from '../sandbox/image.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { cliBundle } from './cli-bundle.js';
import { Canary } from './cli-canary.js';
import { GitLabProject, inputs, type PipelineResult } from './gitlab-harness.js';

let sb: Sandbox;
let cli: string;
let work: string;
let layout: string;
const projects: GitLabProject[] = [];
const canary = new Canary();
for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner);
for (const token of Object.values(GITLAB_TOKENS)) canary.watch(token.secret, token.username);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gitlab-login-'));
  [sb, cli, layout] = await Promise.all([startSandbox(), cliBundle(), buildImageLayout(work)]);
}, 240_000);

afterAll(async () => {
  await sb?.stop();
  await Promise.all(projects.map((p) => p.remove()));
  if (work) await rm(work, { recursive: true, force: true });
});

async function pipeline(yaml: string): Promise<{ project: GitLabProject; result: PipelineResult }> {
  const project = await GitLabProject.create(
    { '.gitlab-ci.yml': yaml },
    {
      DOCKER_PAT: PATS.aliceWrite.secret,
      READ_PAT: PATS.aliceRead.secret,
      GITLAB_PAT: GITLAB_TOKENS.registryWrite.secret,
      // In a real job GitLab sets this to its own API, where the client reads a GitLab token's data.
      CI_API_V4_URL: sb.gitlab.apiUrl,
      ...sb.env,
    },
  );
  projects.push(project);
  const result = await project.run();
  canary.record(result.output);
  for (const job of Object.keys(result.status)) canary.record(await project.jobLog(job));
  return { project, result };
}

function loginInclude(values: Record<string, string>, how: 'local' | 'component' = 'local'): string {
  const source = how === 'local' ? 'local: templates/docker-pat-login/template.yml' : 'component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/docker-pat-login@$CI_COMMIT_SHA';
  return `  - ${source}\n    inputs: ${inputs({ registry: sb.registry.host, username: 'alice', 'client-path': cli, ...values })}\n`;
}

/** The build step of a user's job: push with skopeo using the credentials the login left. */
function push(host: string, repository: string, tag: string): string {
  return `skopeo --insecure-policy copy --authfile "$DOCKER_CONFIG/config.json" --dest-tls-verify=false oci:${layout}:latest docker://${host}/${repository}:${tag}`;
}

function pushed(host: string, repository: string, tag: string): boolean {
  const service = host === sb.gitlab.host ? 'gitlab' : 'registry';
  return sb.requests.entries().some((e) => e.service === service && e.method === 'PUT' && e.path === `/v2/${repository}/manifests/${tag}` && e.status === 201);
}

describe('the .docker-pat-login hidden job in a build job (gitlab-ci-local)', () => {
  it('logs in each way (client, docker login, config.json), the build pushes with skopeo, after_script removes the credentials', async () => {
    const build = (method: string) => `
build-${method}:
  extends: .login-${method}
  script:
    - test "$REGISTRY_AUTH_FILE" = "$DOCKER_CONFIG/config.json"
    - echo "modes $(stat -c '%a' "$DOCKER_CONFIG" "$DOCKER_CONFIG/config.json" | tr '\\n' ' ')"
    - ${push(sb.registry.host, 'alice/app', `gitlab-${method}`)}
`;
    const { project, result } = await pipeline(`
include:
${['client', 'docker', 'config'].map((method) => loginInclude({ 'job-name': `.login-${method}`, method, needs: 'push', repositories: 'alice/app' })).join('')}
${build('client')}${build('docker')}${build('config')}`);
    expect(result.status).toEqual({ 'build-client': 'PASS', 'build-docker': 'PASS', 'build-config': 'PASS' });
    for (const method of ['client', 'docker', 'config']) {
      const job = `build-${method}`;
      const log = await project.jobLog(job);
      expect(log).toMatch(/modes 700 600/);
      expect(log).toContain('Writing manifest to image destination');
      expect(log).toMatch(/docker-pat: removed the job credentials in .*\/\.docker-pat\/\d+/);
      expect(existsSync(join(project.buildDir(job), '.docker-pat'))).toBe(false);
      expect(pushed(sb.registry.host, 'alice/app', `gitlab-${method}`)).toBe(true);
    }
    expect(await project.jobLog('build-client')).toMatch(/OK {4}logged in to .*: credentials stored in .*\/\.docker-pat\/\d+\/config\.json\./);
    expect(await project.jobLog('build-docker')).toContain('Login Succeeded');
    expect(await project.jobLog('build-config')).toMatch(/WARN.* docker-pat: logging in without the docker-pat client/);
  });

  it('with the client, a token that cannot push stops the job before the build; without it, the push is what fails', async () => {
    const { project, result } = await pipeline(`
include:
${loginInclude({ 'job-name': '.checked', 'token-variable': 'READ_PAT', needs: 'push', repositories: 'alice/app' })}${loginInclude({ 'job-name': '.unchecked', 'token-variable': 'READ_PAT', method: 'config' })}
checked:
  extends: .checked
  script:
    - ${push(sb.registry.host, 'alice/app', 'never-checked')}
unchecked:
  extends: .unchecked
  script:
    - ${push(sb.registry.host, 'alice/app', 'never-unchecked')}
`);
    expect(result.status).toEqual({ checked: 'FAIL', unchecked: 'FAIL' });
    const checked = await project.jobLog('checked');
    expect(checked).toMatch(/ERROR insufficient-scope: .*alice\/app/);
    expect(checked).not.toContain('skopeo');
    expect(checked).toMatch(/docker-pat: removed the job credentials/);
    expect(await project.jobLog('unchecked')).toMatch(/level=fatal msg=.*(insufficient scopes|denied)/);
    expect(pushed(sb.registry.host, 'alice/app', 'never-checked') || pushed(sb.registry.host, 'alice/app', 'never-unchecked')).toBe(false);
  });

  it('as a component, two logins (Docker Hub and GitLab registries) in one job with !reference, whatever the way', async () => {
    const gitlab = { registry: sb.gitlab.host, username: 'carol', 'token-variable': 'GITLAB_PAT', needs: 'push', repositories: 'carol/app' };
    const logins = [
      loginInclude({ 'job-name': '.hub-client', needs: 'push', repositories: 'alice/app' }, 'component'),
      loginInclude({ 'job-name': '.gitlab-client', ...gitlab }, 'component'),
      loginInclude({ 'job-name': '.hub-config', method: 'config' }, 'component'),
      loginInclude({ 'job-name': '.gitlab-config', ...gitlab, method: 'config' }, 'component'),
      loginInclude({ 'job-name': '.gitlab-docker', ...gitlab, method: 'docker' }, 'component'),
    ];
    const job = (name: string, first: string, second: string) => `
${name}:
  extends: ${first}
  before_script:
    - !reference [${first}, before_script]
    - !reference [${second}, before_script]
  script:
    - ${push(sb.registry.host, 'alice/app', name)}
    - ${push(sb.gitlab.host, 'carol/app', name)}
`;
    const { project, result } = await pipeline(
      `include:\n${logins.join('')}${job('clients', '.hub-client', '.gitlab-client')}${job('configs', '.hub-config', '.gitlab-config')}${job('mixed', '.hub-config', '.gitlab-docker')}`,
    );
    expect(result.status).toEqual({ clients: 'PASS', configs: 'PASS', mixed: 'PASS' });
    for (const name of ['clients', 'configs', 'mixed']) {
      expect(`${name}: ${pushed(sb.registry.host, 'alice/app', name)} ${pushed(sb.gitlab.host, 'carol/app', name)}`).toBe(`${name}: true true`);
      expect(existsSync(join(project.buildDir(name), '.docker-pat'))).toBe(false);
    }
    expect(await project.jobLog('clients')).toMatch(/carol @ .* \(GitLab container registry\)/);
  });

  it('an unset token variable fails the login with empty-secret and says why', async () => {
    const { project, result } = await pipeline(`
include:
${loginInclude({ 'job-name': '.login', 'token-variable': 'NOT_SET', method: 'config' })}
build:
  extends: .login
  script: [echo never]
`);
    expect(result.status).toEqual({ build: 'FAIL' });
    expect(await project.jobLog('build')).toMatch(/ERROR.* empty-secret: the variable NOT_SET is empty or not set in this job/);
  });

  it('never shows a token, base64(user:token) or a JWT in any job log', () => {
    expect(canary.recorded).toBeGreaterThanOrEqual(projects.length);
    canary.expectNoLeak();
  });
});
