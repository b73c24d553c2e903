import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { join } from 'node:path';
import { COMMANDS, COMMAND_NAMES, OPTIONS } from '../../src/cli/commands.js';
import { readSettings, type CheckCommandSettings, type CliSettings, type SettingsContext } from '../../src/cli/settings.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { DockerPatError } from '../../src/core/errors.js';
import { SecretRegistry } from '../../src/core/secrets.js';

const TOKEN = 'dckr_pat_Canary00000000000000000001';
const BASE = ['--username', 'alice'];

function context(env: NodeJS.ProcessEnv = { DOCKER_PAT: TOKEN }, extra: Partial<SettingsContext> = {}): SettingsContext {
  return {
    env,
    homedir: '/home/ci',
    secrets: new SecretRegistry(),
    readStdin: () => Promise.reject(new Error('standard input was not expected to be read')),
    askHidden: undefined,
    ...extra,
  };
}

type SettingsFor<C extends CliSettings['command']> = C extends CheckCommandSettings['command'] ? CheckCommandSettings : Extract<CliSettings, { command: C }>;

async function settingsOf<C extends CliSettings['command']>(command: C, argv: string[], ctx = context()): Promise<SettingsFor<C>> {
  const settings = await readSettings(argv, ctx);
  expect(settings.command).toBe(command);
  return settings as SettingsFor<C>;
}

async function failure(argv: string[], ctx = context()): Promise<Error> {
  try {
    await readSettings(argv, ctx);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the command line to be refused');
}

async function usageError(argv: string[], ctx = context()): Promise<UsageError> {
  const error = await failure(argv, ctx);
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('check and login settings', () => {
  it("uses the Action's defaults", async () => {
    const { check, output, notices } = await settingsOf('check', ['check', ...BASE]);
    expect(check.registry).toMatchObject({ host: 'registry-1.docker.io', credentialKey: 'https://index.docker.io/v1/', isDockerHub: true });
    expect(check).toMatchObject({ username: 'alice', secret: TOKEN, needs: ['pull'], repositories: [], expiresAt: undefined, expiryWarningDays: 14, unusedWarningDays: 90, dryRun: false, strict: false });
    expect(check.dockerConfigDir).toBe('/home/ci/.docker');
    expect(check.hubAccount).toBeUndefined();
    expect(output).toEqual({ json: false, dotenvPath: undefined });
    expect(notices).toEqual([]);
  });

  it('maps every flag to its setting', async () => {
    const { check, output } = await settingsOf('login', [
      'login', '--registry', '127.0.0.1:5000', '--username', 'alice', '--needs', 'push',
      '--repository', 'alice/app', '--repository', 'alice/site:pull alice/tool:delete',
      '--expires-at', '2030-01-31', '--expiry-warning-days', '30', '--unused-days', '7',
      '--docker-config', '/tmp/dc', '--dry-run', '--strict', '--json', '--dotenv', 'out.env',
    ]);
    expect(check.registry).toMatchObject({ host: '127.0.0.1:5000', baseUrl: 'http://127.0.0.1:5000', isDockerHub: false });
    expect(check.needs).toEqual(['pull', 'push']);
    expect(check.repositories).toEqual([
      { name: 'alice/app', actions: ['pull', 'push'] },
      { name: 'alice/site', actions: ['pull'] },
      { name: 'alice/tool', actions: ['pull', 'delete'] },
    ]);
    expect(check.expiresAt?.toISOString()).toBe('2030-01-31T00:00:00.000Z');
    expect(check).toMatchObject({ expiryWarningDays: 30, unusedWarningDays: 7, dockerConfigDir: '/tmp/dc', dryRun: true, strict: true });
    expect(output).toEqual({ json: true, dotenvPath: 'out.env' });
  });

  it.each(['login', 'logout'])('%s makes --docker-config absolute, as logout looks for the login record by it, and refuses an empty one', async (command) => {
    const argv = command === 'login' ? ['login', ...BASE] : ['logout'];
    const { dockerConfigDir } = command === 'login' ? (await settingsOf('login', [...argv, '--docker-config', 'job/docker'])).check : await settingsOf('logout', [...argv, '--docker-config', 'job/docker']);
    expect(dockerConfigDir).toBe(join(process.cwd(), 'job', 'docker'));
    const error = await usageError([...argv, '--docker-config', '']);
    expect(error.message).toContain('--docker-config');
  });

  it('reads DOCKER_CONFIG, Docker Hub short names and merges a repository named twice', async () => {
    const { check } = await settingsOf('check', ['check', ...BASE, '--repository', 'alpine', '--repository', 'library/alpine:push'], context({ DOCKER_PAT: TOKEN, DOCKER_CONFIG: '/job/docker' }));
    expect(check.dockerConfigDir).toBe('/job/docker');
    expect(check.repositories).toEqual([{ name: 'library/alpine', actions: ['pull', 'push'] }]);
  });

  it('takes the token from --token-env NAME and registers it, and base64(user:token), before anything is printed', async () => {
    const ctx = context({ DOCKERHUB_PAT: `  ${TOKEN}\n` });
    const { check, notices } = await settingsOf('check', ['check', ...BASE, '--token-env', 'DOCKERHUB_PAT'], ctx);
    expect(check.secret).toBe(TOKEN);
    expect(notices).toEqual(['DOCKERHUB_PAT: surrounding whitespace or a trailing newline was removed from the token.']);
    const auth = Buffer.from(`alice:${TOKEN}`).toString('base64');
    expect(ctx.secrets.redact(`${TOKEN} ${auth}`)).toBe('*** ***');
  });

  it('takes the token from standard input with --password-stdin', async () => {
    const ctx = context({}, { readStdin: async () => `${TOKEN}\n` });
    const { check } = await settingsOf('login', ['login', ...BASE, '--password-stdin'], ctx);
    expect(check.secret).toBe(TOKEN);
    expect(ctx.secrets.values()).toContain(TOKEN);
  });

  it('a missing or blank token is empty-secret (exit 1, not a usage error) naming the variable', async () => {
    const missing = await failure(['check', ...BASE], context({}));
    expect(missing).toBeInstanceOf(DockerPatError);
    expect(missing).toMatchObject({ code: 'empty-secret', field: 'DOCKER_PAT' });
    expect((missing as DockerPatError).fix).toMatch(/--token-env.*--password-stdin/);
    const blank = await failure(['check', ...BASE, '--token-env', 'CI_PAT'], context({ CI_PAT: ' \n' }));
    expect(blank).toMatchObject({ code: 'empty-secret', field: 'CI_PAT' });
    const emptyStdin = await failure(['check', ...BASE, '--password-stdin'], context({}, { readStdin: async () => '' }));
    expect(emptyStdin).toMatchObject({ code: 'empty-secret' });
  });

  it('a token with whitespace inside is a usage error that never shows the token', async () => {
    const error = await usageError(['check', ...BASE], context({ DOCKER_PAT: 'dckr_pat_Canary 00000000000000000001' }));
    expect(error.message).toMatch(/^DOCKER_PAT: has whitespace inside it/);
    expect(`${error.message}${error.fix}`).not.toContain('Canary');
  });

  it('reads the optional Docker Hub account credential from the environment and registers it', async () => {
    const ctx = context({ DOCKER_PAT: TOKEN, DOCKER_PAT_HUB_PASSWORD: 'account password\n', DOCKER_PAT_HUB_TOTP_SECRET: 'GEZD GNBV GY3T QOJQ' });
    const { check } = await settingsOf('check', ['check', ...BASE], ctx);
    expect(check.hubAccount).toEqual({ password: 'account password', totpSecret: 'GEZDGNBVGY3TQOJQ' });
    expect(ctx.secrets.redact('account password GEZDGNBVGY3TQOJQ')).toBe('*** ***');
  });
});

describe('usage errors name the flag and the valid forms', () => {
  it.each([
    [['check', '--registry', 'http://'], /^--registry: /, /registry host/],
    [['check', '--registry', 'ftp://host'], /^--registry: .*scheme/, /registry host/],
    [['check', '--needs', 'write'], /^--needs: 'write' is not an action/, /pull, push, delete/],
    [['check', '--repository', 'Alice/App'], /^--repository: .*uppercase/, /repository path/],
    [['check', '--repository', 'alice/app:fly'], /^--repository: .*not an action/, /NAME:ACTIONS/],
    [['check', '--expires-at', '31/01/2030'], /^--expires-at: /, /YYYY-MM-DD/],
    [['check', '--expiry-warning-days', 'ten'], /^--expiry-warning-days must be a whole number/, /--expiry-warning-days 14/],
    [['check', '--unused-days=-1'], /^--unused-days must be a whole number/, /--unused-days 90/],
    [['check', '--unused-days', '-1'], /^--unused-days needs a value, but the next argument starts with '-'/, /--unused-days=VALUE/],
    [['check', '--token-env', 'NOT-A-NAME'], /^--token-env is not an environment variable name/, /letters, digits and _/],
    [['check', '--token-env', 'X', '--password-stdin'], /both say where the token comes from/, /one of them/],
    [['check', '--dotenv', ''], /^--dotenv needs a file name/, /--dotenv/],
  ])('%j', async (argv, message, fix) => {
    const error = await usageError([...argv, ...BASE]);
    expect(error.message).toMatch(message);
    expect(error.fix).toMatch(fix);
  });

  it('--username is required for check, login and audit', async () => {
    for (const command of ['check', 'login', 'audit']) {
      const error = await usageError([command], context({ DOCKER_PAT: TOKEN, DOCKER_PAT_HUB_PASSWORD: 'pw' }));
      expect(error.message).toBe('--username is required.');
      expect(error.command).toBe(command);
    }
  });

  it('unknown options, missing values, repeated options and arguments are refused, and a value is never echoed', async () => {
    expect((await usageError(['check', ...BASE, '--colour'])).message).toBe("Unknown option '--colour' for docker-pat check.");
    expect((await usageError(['check', ...BASE, '--dry-run'])).message).toBe("Unknown option '--dry-run' for docker-pat check.");
    expect((await usageError(['check', ...BASE, '--registry'])).message).toMatch(/--registry <value>' argument missing/);
    expect((await usageError(['check', '--username', '--json'])).message).toBe("--username needs a value, but the next argument starts with '-'.");
    expect((await usageError(['check', ...BASE, '--registry', 'a.io', '--registry', 'b.io'])).message).toBe('--registry is given more than once.');
    const extra = await usageError(['check', ...BASE, 'hunter2-password']);
    expect(extra.message).toBe('docker-pat check takes no arguments besides options, but got 1.');
    expect(extra.message).not.toContain('hunter2');
    expect((await usageError(['check', ...BASE, '--json=yes'])).message).toMatch(/'--json' does not take an argument/);
  });

  it('no command, an unknown command, and a command-shaped secret are refused without echoing odd input', async () => {
    expect((await usageError([])).message).toBe('no command given.');
    expect((await usageError(['push'])).message).toBe("'push' is not a command; the commands are check, login, logout and audit.");
    expect((await usageError(['S3cr3t!value'])).message).toBe('the first argument is not a command; the commands are check, login, logout and audit.');
  });

  it('never echoes an unexpected value, whatever it is (property)', async () => {
    await fc.assert(
      // A marker no fixed message holds, so a value that merely is a piece of the message text
      // (" argum" of "argument") does not count as an echo.
      fc.asyncProperty(fc.string({ minLength: 6, maxLength: 30 }).filter((s) => !s.startsWith('-') && !/^[a-z-]{1,20}$/.test(s)).map((s) => `${s}Qx7#`), async (value) => {
        for (const argv of [[value], ['check', ...BASE, value]]) {
          const error = await failure(argv);
          if (!(error instanceof UsageError)) return false;
          if (`${error.message}${error.fix}`.includes(value)) return false;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('help, version, logout and audit', () => {
  it('--help works on every command and lists every option of that command', async () => {
    for (const command of COMMAND_NAMES) {
      const settings = await settingsOf('help', [command, '--help'], context({}));
      expect(settings.text).toContain(`Usage: ${COMMANDS[command].usage}`);
      for (const option of COMMANDS[command].options) expect(settings.text).toContain(`--${option}`);
      expect(settings.text).toMatch(/Exit codes: 0 .* 3 warnings only/);
    }
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'nope']]) {
      expect((await settingsOf('help', argv, context({}))).text).toMatch(/Commands:\n {2}check/);
    }
    expect((await settingsOf('help', ['help', 'audit'], context({}))).text).toContain('docker-pat audit --username NAME');
  });

  it('every option has help text, and the help never needs a token', async () => {
    for (const spec of Object.values(OPTIONS)) expect(spec.help.length).toBeGreaterThan(10);
    expect((await readSettings(['login', '--help'], context({}))).command).toBe('help');
  });

  it('--version', async () => {
    expect(await readSettings(['--version'], context({}))).toEqual({ command: 'version' });
    expect(await readSettings(['-V'], context({}))).toEqual({ command: 'version' });
  });

  it('logout needs no token and defaults to Docker Hub', async () => {
    const settings = await settingsOf('logout', ['logout'], context({}));
    expect(settings.registry.credentialKey).toBe('https://index.docker.io/v1/');
    expect(settings.dockerConfigDir).toBe('/home/ci/.docker');
    const other = await settingsOf('logout', ['logout', '--registry', 'ghcr.io', '--docker-config', '/tmp/dc', '--json'], context({}));
    expect(other).toMatchObject({ dockerConfigDir: '/tmp/dc', output: { json: true } });
    expect(other.registry.host).toBe('ghcr.io');
  });

  it('audit reads the account credential from the environment', async () => {
    const ctx = context({ DOCKER_PAT_HUB_PASSWORD: 'bob-account-password', DOCKER_PAT_HUB_TOTP_SECRET: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
    const settings = await settingsOf('audit', ['audit', '--username', 'bob', '--organization', 'acme', '--unused-days', '30', '--strict', '--json'], ctx);
    expect(settings).toMatchObject({
      username: 'bob',
      organization: 'acme',
      hubAccount: { password: 'bob-account-password', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
      expiryWarningDays: 14,
      unusedWarningDays: 30,
      strict: true,
      output: { json: true },
    });
  });

  it('audit asks a person for the password and the 2FA code, hidden, and registers both', async () => {
    const questions: string[] = [];
    const answers = ['typed password', '123456'];
    const ctx = context({}, { askHidden: async (q) => (questions.push(q), answers.shift() ?? '') });
    const settings = await settingsOf('audit', ['audit', '--username', 'bob'], ctx);
    expect(settings.hubAccount).toEqual({ password: 'typed password', totpCode: '123456' });
    expect(questions).toEqual(['Docker Hub password for bob: ', 'Two-factor code (press Enter if the account has no 2FA): ']);
    expect(ctx.secrets.redact('typed password 123456')).toBe('*** ***');
    const no2fa = context({}, { askHidden: async (q) => (q.startsWith('Docker') ? 'pw-for-alice' : '') });
    expect((await settingsOf('audit', ['audit', '--username', 'alice'], no2fa)).hubAccount).toEqual({ password: 'pw-for-alice' });
  });

  it('audit without a password and without a terminal is empty-secret; a bad organization is a usage error', async () => {
    expect(await failure(['audit', '--username', 'bob'], context({}))).toMatchObject({ code: 'empty-secret', field: 'DOCKER_PAT_HUB_PASSWORD' });
    const empty = context({}, { askHidden: async () => '' });
    expect(await failure(['audit', '--username', 'bob'], empty)).toMatchObject({ code: 'empty-secret' });
    const error = await usageError(['audit', '--username', 'bob', '--organization', 'Acme Inc'], context({ DOCKER_PAT_HUB_PASSWORD: 'pw' }));
    expect(error.message).toMatch(/^--organization/);
  });
});
