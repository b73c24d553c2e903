/**
 * `npm run sandbox`: starts the sandbox for a person, prints where everything is and the demo
 * credentials (throwaway fixture values), and stops cleanly on Ctrl-C or SIGTERM.
 */
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from './fixtures.js';
import { startSandbox, type Sandbox } from './index.js';

/**
 * The signal handlers are in place before the sandbox starts: a Ctrl-C during start-up must still
 * stop the registry process and remove the work dir once they exist.
 */
const running: { sandbox?: Sandbox } = {};
let stopRequested = false;
let stopping = false;
const stop = (): void => {
  stopRequested = true;
  if (running.sandbox === undefined || stopping) return;
  stopping = true;
  running.sandbox.stop().then(
    () => {
      console.log('sandbox stopped');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('sandbox did not stop cleanly:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

running.sandbox = await startSandbox();
if (stopRequested) stop();
else printEndpoints(running.sandbox);

function printEndpoints(sandbox: Sandbox): void {
  const rows: Array<[string, string, string]> = [
    ['alice (password)', ACCOUNTS.alice.username, ACCOUNTS.alice.password],
    ['bob (password, 2FA on)', ACCOUNTS.bob.username, ACCOUNTS.bob.password],
    ['alice PAT repo:public_read', 'alice', PATS.alicePublicRead.secret],
    ['alice PAT repo:read', 'alice', PATS.aliceRead.secret],
    ['alice PAT repo:write', 'alice', PATS.aliceWrite.secret],
    ['alice PAT repo:admin', 'alice', PATS.aliceAdmin.secret],
    ['alice PAT expired', 'alice', PATS.aliceExpired.secret],
    ['alice PAT expires in 3 days', 'alice', PATS.aliceExpiresSoon.secret],
    ['acme OAT (acme/app push, acme/base pull)', OATS.acmeCi.org, OATS.acmeCi.secret],
    ['GitLab read_registry', GITLAB_TOKENS.registryRead.username, GITLAB_TOKENS.registryRead.secret],
    ['GitLab read+write_registry', GITLAB_TOKENS.registryWrite.username, GITLAB_TOKENS.registryWrite.secret],
    ['GHCR classic PAT (read+write)', GHCR_TOKENS.classic.username, GHCR_TOKENS.classic.secret],
  ];

  const width = Math.max(...rows.map(([what]) => what.length));
  console.log(`docker-pat sandbox is running (work dir ${sandbox.workDir})

  Docker-Hub-like registry  ${sandbox.registry.url}   (service registry.docker.io)
  fake auth.docker.io       ${sandbox.authUrl}/token
  fake hub.docker.com       ${sandbox.hubApiUrl}
  GHCR-like registry        ${sandbox.ghcr.url}   (opaque tokens, service ghcr.io)
  GitLab-like registry      ${sandbox.gitlab.url}   (service container_registry)
  GitLab API                ${sandbox.gitlab.apiUrl}

Demo credentials (test values; every fixture is in test/sandbox/fixtures.ts):
${rows.map(([what, user, secret]) => `  ${what.padEnd(width)}  ${user.padEnd(6)} ${secret}`).join('\n')}
  bob's TOTP secret (for the 2FA login): ${ACCOUNTS.bob.totpSecret}

Point the tools at the fake Hub:
  export DOCKER_PAT_HUB_API_URL=${sandbox.hubApiUrl}

Try it:
  echo '${PATS.aliceWrite.secret}' | DOCKER_CONFIG=$(mktemp -d) docker login ${sandbox.registry.host} -u alice --password-stdin

Press Ctrl-C to stop.`);
}
