/**
 * The story `npm run demo` tells, one step per thing docker-pat is for, each run against the
 * sandbox with the real bundles. Every step states the outcome it must show (`expected`); the
 * demo prints that promise with a tick only when the run kept it, and the end-to-end test checks
 * each promise was kept.
 */
import { ACCOUNTS, PATS, type PatFixture } from '../sandbox/fixtures.js';
import { runActionJob, type ActionRun } from './action-step.js';
import { runCliCommand } from './cli-step.js';
import { renderMarkdown } from './markdown-terminal.js';
import { actionHappenings, cliHappenings, commandLine, workflowStep, type SecretShown } from './narrate.js';
import type { DemoSession } from './session.js';
import type { Painter } from './terminal.js';
import type { Annotation } from './workflow-commands.js';

export interface StepContext {
  session: DemoSession;
  painter: Painter;
}

export interface StepReport {
  /** How the step was run: a workflow step or command lines. */
  invocation: string[];
  /** What the product printed and did. */
  happened: string[];
  met: boolean;
  /** What happened, in a few words, shown when the promise was not kept. */
  observed: string;
}

export interface StoryStep {
  title: string;
  product: 'GitHub Action' | 'docker-pat CLI';
  /** Why this matters, in plain words. */
  why: string;
  /** The outcome the step must show; printed as its verdict line. */
  expected: string;
  run(context: StepContext): Promise<StepReport>;
}

const USER = ACCOUNTS.alice.username;

function tokenSecret(pat: PatFixture): SecretShown {
  return { reference: '${{ secrets.DOCKERHUB_TOKEN }}', note: `sandbox token "${pat.label}" (${pat.scope})` };
}

const ACCOUNT_PASSWORD: SecretShown = { reference: '${{ secrets.DOCKERHUB_PASSWORD }}', note: `the sandbox account password of ${USER}` };

function registry(context: StepContext): string {
  return context.session.sandbox.registry.host;
}

function skopeoOutcome(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const reason = /(unauthorized|denied)[^\n"]*/i.exec(text)?.[0];
  return reason ?? text.split('\n').filter((line) => line.trim() !== '').pop() ?? 'refused';
}

function push(context: StepContext, tag: string): (config: string) => Promise<{ ok: boolean; message: string }> {
  return (config) =>
    context.session.sandbox.pushImage(`${USER}/app`, tag, config).then(
      () => ({ ok: true, message: `pushed ${registry(context)}/${USER}/app:${tag}` }),
      (error: unknown) => ({ ok: false, message: skopeoOutcome(error) }),
    );
}

function annotation(run: ActionRun, title: string): Annotation | undefined {
  return run.main.log.annotations.find((a) => a.title === title);
}

const readOnlyPull: StoryStep = {
  title: 'A read-only token passes a pull job',
  product: 'GitHub Action',
  why:
    'A job that only pulls needs only a Read-only token. The Action logs in as docker login would, proves the token may pull alice/app, ' +
    'and its post step logs out again. As a later step shows, the registry refuses a push with these credentials; that is the right answer for this job.',
  expected: 'the step passes and proves pull on alice/app, a push with its credentials is refused, and post removes them',
  async run(context) {
    const inputs = { registry: registry(context), username: USER, password: PATS.aliceRead.secret, needs: 'pull', repositories: `${USER}/app` };
    const { run, later } = await runActionJob(context.session, inputs, push(context, 'from-read-only'));
    const met =
      run.main.exitCode === 0 &&
      run.outputs.scope === 'repo:read' &&
      run.outputs.granted === JSON.stringify({ [`${USER}/app`]: ['pull'] }) &&
      run.post.log.lines.some((line) => line.startsWith('Logged out')) &&
      later?.ok === false;
    return {
      invocation: workflowStep(inputs, { password: tokenSecret(PATS.aliceRead) }),
      happened: actionHappenings(context.painter, run, `a later step pushes with these credentials (skopeo): refused, ${later?.message ?? ''}`),
      met,
      observed: `main exit ${run.main.exitCode}, scope ${run.outputs.scope}, granted ${run.outputs.granted}, push ${later?.ok ? 'succeeded' : 'refused'}`,
    };
  },
};

const readOnlyPush: StoryStep = {
  title: 'The same token is stopped at once in a push job',
  product: 'GitHub Action',
  why:
    'With docker/login-action this job would log in fine and die at docker push, after the build. Here the Action asks the registry for ' +
    'exactly the access the job needs (pull and push on alice/app) and fails before anything else runs, with the fix; nothing is written.',
  expected: 'the step fails with insufficient-scope, names a Read & Write token as the fix, and writes no credentials',
  async run(context) {
    const inputs = { registry: registry(context), username: USER, password: PATS.aliceRead.secret, needs: 'push', repositories: `${USER}/app` };
    const { run } = await runActionJob(context.session, inputs);
    const error = annotation(run, 'insufficient-scope');
    const met = run.main.exitCode === 1 && error?.level === 'error' && error.text.includes('Read & Write') && run.outputs['docker-config'] === '' && Object.keys(run.state).length === 0;
    return {
      invocation: workflowStep(inputs, { password: tokenSecret(PATS.aliceRead) }),
      happened: actionHappenings(context.painter, run),
      met,
      observed: `main exit ${run.main.exitCode}, annotations ${run.main.log.annotations.map((a) => a.title).join(', ')}`,
    };
  },
};

const writePush: StoryStep = {
  title: 'A write token passes, and a real image push succeeds',
  product: 'GitHub Action',
  why:
    'A Read & Write token is proven to allow pull and push on alice/app. The credentials land in config.json exactly as docker login ' +
    'writes them, so a later step (skopeo here; docker, buildah or crane alike) pushes a real image with them. Post logs out afterwards.',
  expected: 'the step passes, skopeo pushes alice/app:demo with the written credentials, and post removes them',
  async run(context) {
    const inputs = { registry: registry(context), username: USER, password: PATS.aliceWrite.secret, needs: 'push', repositories: `${USER}/app` };
    const { run, later } = await runActionJob(context.session, inputs, push(context, 'demo'));
    const met = run.main.exitCode === 0 && later?.ok === true && run.post.log.lines.some((line) => line.startsWith('Logged out'));
    return {
      invocation: workflowStep(inputs, { password: tokenSecret(PATS.aliceWrite) }),
      happened: actionHappenings(context.painter, run, `a later step pushes with these credentials (skopeo): ${later?.ok ? later.message : `refused, ${later?.message ?? ''}`}`),
      met,
      observed: `main exit ${run.main.exitCode}, push ${later?.ok ? 'succeeded' : `refused (${later?.message ?? ''})`}`,
    };
  },
};

const checkArgs = (context: StepContext, needs: string): string[] => ['check', '--registry', registry(context), '--username', USER, '--needs', needs, '--repository', `${USER}/app`];

const expiredToken: StoryStep = {
  title: 'An expired token',
  product: 'docker-pat CLI',
  why:
    'The command line runs the same checks (in GitLab CI, a shell step or on a laptop). The token comes from an environment variable, ' +
    'never from the command line. An expired token is refused with the reason and the fix, and exit code 1 stops the pipeline.',
  expected: 'exit code 1 with the error expired and its fix',
  async run(context) {
    const args = checkArgs(context, 'pull');
    const run = await runCliCommand(context.session, args, { DOCKER_PAT: PATS.aliceExpired.secret });
    const met = run.code === 1 && /^ERROR expired: /m.test(run.stdout) && /^\s+fix: Create a new token/m.test(run.stdout);
    return {
      invocation: commandLine(args, { DOCKER_PAT: { reference: '"$DOCKERHUB_TOKEN"', note: `sandbox token "${PATS.aliceExpired.label}", expired 2 days ago` } }),
      happened: cliHappenings(context.painter, run),
      met,
      observed: `exit ${run.code}`,
    };
  },
};

const expiresSoon: StoryStep = {
  title: 'A token that runs out within three days',
  product: 'GitHub Action',
  why:
    'Registries do not say when a token expires, and an access token cannot read its own record. Here the Action gets the account password ' +
    'through hub-password, reads the expiry from Docker Hub\'s management API and warns; the job still passes (strict: true would fail it). ' +
    'The token runs out three days after the sandbox started, so the count of whole days left is 2. Without the password, give the date ' +
    'shown when the token was created as expires-at instead.',
  expected: "the step passes with an expires-soon warning, the expiry read from Docker Hub's management API",
  async run(context) {
    const inputs = {
      registry: registry(context),
      username: USER,
      password: PATS.aliceExpiresSoon.secret,
      'hub-password': ACCOUNTS.alice.password,
      needs: 'push',
      repositories: `${USER}/app`,
    };
    const { run } = await runActionJob(context.session, inputs);
    const warning = annotation(run, 'expires-soon');
    const days = Number(run.outputs['days-until-expiry']);
    const met = run.main.exitCode === 0 && warning?.level === 'warning' && days >= 2 && days <= 3 && run.summary.includes("from Docker Hub's management API");
    return {
      invocation: workflowStep(inputs, { password: tokenSecret(PATS.aliceExpiresSoon), 'hub-password': ACCOUNT_PASSWORD }),
      happened: actionHappenings(context.painter, run),
      met,
      observed: `main exit ${run.main.exitCode}, days-until-expiry ${run.outputs['days-until-expiry']}, warnings ${run.outputs.warnings}`,
    };
  },
};

const overPrivileged: StoryStep = {
  title: 'An over-privileged token',
  product: 'docker-pat CLI',
  why:
    'A Read, Write, Delete token in a job that only pulls works, but a leak would let anyone delete images. The check passes with a ' +
    'warning naming the narrower permission to create; exit code 3 means "warnings only", which GitLab can allow with allow_failure: exit_codes: [3].',
  expected: 'exit code 3 with an over-privileged warning advising a Read-only (repo:read) token',
  async run(context) {
    const args = checkArgs(context, 'pull');
    const run = await runCliCommand(context.session, args, { DOCKER_PAT: PATS.aliceAdmin.secret });
    const met = run.code === 3 && /^WARN\s+over-privileged: /m.test(run.stdout) && /fix: Create a Read-only \(repo:read\) token/.test(run.stdout);
    return {
      invocation: commandLine(args, { DOCKER_PAT: { reference: '"$DOCKERHUB_TOKEN"', note: `sandbox token "${PATS.aliceAdmin.label}" (${PATS.aliceAdmin.scope})` } }),
      happened: cliHappenings(context.painter, run),
      met,
      observed: `exit ${run.code}`,
    };
  },
};

const jobSummary: StoryStep = {
  title: 'The job summary, as GitHub shows it on the run page',
  product: 'GitHub Action',
  why:
    'Every run writes a summary to the run page: the verdict, the token type, its permission, each repository with the actions the job ' +
    'needs and the ones the token was proven to have, the expiry and where it came from. Below is that markdown rendered for this terminal.',
  expected: 'the summary shows the verdict, the permission, needed and granted actions per repository, and the expiry from Docker Hub',
  async run(context) {
    const inputs = {
      registry: registry(context),
      username: USER,
      password: PATS.aliceWrite.secret,
      'hub-password': ACCOUNTS.alice.password,
      needs: 'push',
      repositories: `${USER}/app:push\nalpine:pull`,
    };
    const { run } = await runActionJob(context.session, inputs);
    const summary = run.summary;
    const met =
      run.main.exitCode === 0 &&
      summary.includes('| Permission level | repo:write |') &&
      summary.includes(`| ${USER}/app | pull, push | pull, push | ✅ |`) &&
      summary.includes('| library/alpine | pull | pull | ✅ |') &&
      summary.includes("from Docker Hub's management API");
    return {
      invocation: workflowStep(inputs, { password: tokenSecret(PATS.aliceWrite), 'hub-password': ACCOUNT_PASSWORD }),
      happened: [
        `  main    exit ${run.main.exitCode}; its job summary:`,
        '',
        ...renderMarkdown(summary, context.painter).map((line) => (line === '' ? '' : `    ${line}`)),
      ],
      met,
      observed: `main exit ${run.main.exitCode}, summary of ${summary.split('\n').length} lines`,
    };
  },
};

const ALICE_TOKENS = Object.values(PATS).filter((pat) => pat.owner === USER && pat.deleted !== true);

const accountAudit: StoryStep = {
  title: 'An account audit',
  product: 'docker-pat CLI',
  why:
    'docker-pat audit lists every access token of the account from Docker Hub\'s management API, which only the account password opens, ' +
    'sorted by urgency: expired and deactivated tokens, tokens about to expire, unused ones, ones that never expire, too many Docker Desktop tokens. ' +
    'Run it on a schedule (the Action has mode: audit, and can keep an issue open while something needs attention).',
  expected: `exit code 1: all ${ALICE_TOKENS.length} tokens of ${USER} listed, the expired and the deactivated one as errors`,
  async run(context) {
    const args = ['audit', '--username', USER];
    const run = await runCliCommand(context.session, args, { DOCKER_PAT_HUB_PASSWORD: ACCOUNTS.alice.password });
    const expired = ALICE_TOKENS.find((pat) => pat.expiresInDays !== null && pat.expiresInDays < 0);
    const inactive = ALICE_TOKENS.find((pat) => !pat.isActive);
    const met =
      run.code === 1 &&
      run.stdout.includes(`${ALICE_TOKENS.length} personal access token(s) of ${USER}`) &&
      ALICE_TOKENS.every((pat) => run.stdout.includes(pat.label)) &&
      run.stdout.includes(`ERROR [${expired?.label ?? ''}] expired:`) &&
      run.stdout.includes(`ERROR [${inactive?.label ?? ''}] inactive:`);
    return {
      invocation: commandLine(args, { DOCKER_PAT_HUB_PASSWORD: { reference: '"$DOCKERHUB_PASSWORD"', note: `the sandbox account password of ${USER}` } }),
      happened: cliHappenings(context.painter, run),
      met,
      observed: `exit ${run.code}`,
    };
  },
};

export const STORY: readonly StoryStep[] = [readOnlyPull, readOnlyPush, writePush, expiredToken, expiresSoon, overPrivileged, jobSummary, accountAudit];
