/**
 * Hostile input through the front ends' own input handling, thousands of generated cases each:
 * the Action's inputs (INPUT_* variables, as a fork's pull request or a careless workflow can set
 * them) and the CLI's command line and environment. Every case either yields settings or is
 * refused with a coded error naming the field and the valid form; nothing else is ever thrown,
 * nothing hangs on pathological lengths, and no secret appears in a message or a notice.
 * (The parsers themselves have their own properties in test/unit/*.test.ts.)
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DockerPatError } from '../../src/core/errors.js';
import { SecretRegistry } from '../../src/core/secrets.js';
import { readActionSettings } from '../../src/github/inputs.js';
import { OPTIONS } from '../../src/cli/commands.js';
import { readSettings } from '../../src/cli/settings.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { PROJECT_ROOT } from '../e2e/action-runner.js';
import { useCapturedStdout } from '../unit/github-harness.js';

/** Sits inside every generated secret and nowhere else, so any echo of one is found. */
const MARKER = 'Qx9SecretMarkerVz';

/** Environment variables cannot hold NUL; anything else can arrive in an input. */
const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength }).map((s) => s.replaceAll('\0', ''));

/** Lengths and repetitions that make careless regular expressions backtrack for ever. */
const pathological = fc.constantFrom(
  'a'.repeat(50_000),
  `${'a/'.repeat(20_000)}!`,
  `${'a:'.repeat(20_000)}`,
  `${'1'.repeat(30_000)}-01-01`,
  ' '.repeat(20_000),
  `${'-'.repeat(10_000)}x`,
  `${'a.'.repeat(20_000)}:5000`,
  `${'pull,'.repeat(10_000)}fly`,
  `"${'\\"'.repeat(10_000)}`,
);

const hostile = fc.oneof({ weight: 6, arbitrary: anyText(40) }, { weight: 1, arbitrary: pathological });

const secret = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(anyText(12), anyText(12)).map(([before, after]) => `${before}${MARKER}${after}`) },
  { weight: 2, arbitrary: anyText(30).map((tail) => `dckr_pat_${MARKER}${tail.replace(/\s/g, '')}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\t\n') },
);

/** Every message and fix a rejection carries, and whatever else was said, must be free of secrets. */
function expectNoSecret(texts: string[], secrets: SecretRegistry): void {
  const text = texts.join('\n');
  expect(text.includes(MARKER) ? 'a secret was echoed' : 'clean').toBe('clean');
  for (const value of secrets.values()) expect(text.includes(value) ? 'a registered secret was echoed' : 'clean').toBe('clean');
}

describe("the Action's inputs", () => {
  const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
  const inputNames = Object.keys(action.inputs);
  const SECRET_INPUTS = new Set(['password', 'hub-password', 'hub-totp-secret', 'github-token']);
  const VALID: Record<string, string[]> = {
    registry: ['docker.io', 'ghcr.io', '127.0.0.1:5000', 'https://registry.example.com:8443', 'localhost'],
    username: ['alice', 'acme', 'bot@example.com'],
    logout: ['true', 'false', 'TRUE'],
    needs: ['pull', 'push', 'pull,push,delete', 'delete'],
    repositories: ['alice/app', 'alice/app:push\nalpine', 'alice/app, alice/site:pull'],
    'expires-at': ['2031-01-31', '2031-01-31T10:00:00+02:00'],
    'expiry-warning-days': ['14', '0'],
    'dry-run': ['true', 'false'],
    strict: ['true', 'false'],
    'isolate-config': ['true', 'false'],
    mode: ['login', 'audit'],
    'unused-days': ['90'],
    organization: ['acme'],
    'report-issue': ['true', 'false'],
  };
  const value = (name: string) =>
    SECRET_INPUTS.has(name) ? secret : fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...(VALID[name] ?? [''])) }, { weight: 1, arbitrary: hostile });
  const inputs = fc.record(Object.fromEntries(inputNames.map((name) => [name, fc.option(value(name), { nil: undefined })])) as Record<string, fc.Arbitrary<string | undefined>>);
  const env = fc.record({ DOCKER_CONFIG: fc.option(fc.oneof(fc.constant('/tmp/docker-config'), hostile), { nil: undefined }) });

  const stdout = useCapturedStdout();

  it('yields settings or a bad-input/empty-secret naming the input and its valid form, never echoing a secret', () => {
    // The fields a rejection may name: the inputs, and DOCKER_CONFIG when there is no home to fall back on.
    const fields = new Set([...inputNames, 'DOCKER_CONFIG']);
    fc.assert(
      fc.property(inputs, env, (given, stepEnv) => {
        for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
        for (const [name, text] of Object.entries(given)) if (text !== undefined) process.env[`INPUT_${name.toUpperCase()}`] = text;
        const secrets = new SecretRegistry();
        const before = stdout.text().length;
        let said: string[] = [];
        try {
          readActionSettings(secrets, stepEnv);
        } catch (error) {
          if (!(error instanceof DockerPatError)) throw error;
          expect(['bad-input', 'empty-secret']).toContain(error.code);
          expect(fields).toContain(error.field);
          expect(error.message).toContain(error.field);
          if (error.code === 'bad-input' && error.field !== 'DOCKER_CONFIG') expect(error.fix).toMatch(/^Use .+\.$/s);
          else expect(error.fix.length).toBeGreaterThan(20);
          said = [error.message, error.fix];
        }
        expectNoSecret([...said, stdout.text().slice(before)], secrets);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});

describe("the CLI's command line and environment", () => {
  const flags = Object.keys(OPTIONS).map((name) => `--${name}`);
  const commands = fc.constantFrom('check', 'login', 'logout', 'audit', 'help', '--help', '--version', 'push', '');
  const optionValue = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('docker.io', '127.0.0.1:5000', 'alice', 'pull', 'push,delete', 'alice/app:pull', 'alpine alice/site:push', '2031-01-31', '14', 'HUB_TOKEN', 'acme', '/tmp/docker', 'out.env', '') },
    { weight: 2, arbitrary: hostile },
  );
  const argument = (token: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...flags), optionValue).map(([flag, v]) => [flag, v]) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...flags), optionValue).map(([flag, v]) => [`${flag}=${v}`]) },
      { weight: 2, arbitrary: fc.constantFrom(...flags).map((flag) => [flag]) },
      { weight: 1, arbitrary: hostile.map((v) => [v]) },
      // A token where it must never be: refused without being shown.
      { weight: 1, arbitrary: fc.constantFrom([`--password=${token}`], ['--password', token], [`-p${token}`], ['--token', token], [token]) },
    );
  const scenario = secret.chain((token) =>
    fc.record({
      token: fc.constant(token),
      argv: fc.tuple(commands, fc.array(argument(token.trim() === '' ? `dckr_pat_${MARKER}` : token), { maxLength: 8 })).map(([command, rest]) => (command === '' ? rest.flat() : [command, ...rest.flat()])),
      stdin: secret,
      hubPassword: fc.option(secret, { nil: undefined }),
      totpSecret: fc.option(secret, { nil: undefined }),
    }),
  );

  it('yields settings, a usage error naming the flag with the valid form, or a coded error; never echoes a secret', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ token, argv, stdin, hubPassword, totpSecret }) => {
        const secrets = new SecretRegistry();
        const env: NodeJS.ProcessEnv = { DOCKER_PAT: token, HUB_TOKEN: token, DOCKER_PAT_HUB_PASSWORD: hubPassword, DOCKER_PAT_HUB_TOTP_SECRET: totpSecret };
        // Secrets come in through the environment and stdin only; the registry learns them as the CLI reads them.
        const known = new SecretRegistry();
        for (const value of [token, stdin, hubPassword, totpSecret]) known.add(value);
        let said: string[] = [];
        try {
          await readSettings(argv, { env, homedir: '/home/ci', secrets, readStdin: async () => stdin, askHidden: undefined });
        } catch (error) {
          if (error instanceof UsageError) {
            // The flag, the variable, the command or the argument's position is named; the fix says what to do instead.
            expect(error.message).toMatch(/--[a-z][a-z-]*|^[A-Z][A-Z0-9_]+[: ]|command|argument/);
            expect(error.fix).toMatch(/--|docker-pat|^(Use|Give|Write|Add|Set) /);
          } else if (error instanceof DockerPatError) {
            expect(['bad-input', 'empty-secret']).toContain(error.code);
            expect(error.field).toBeDefined();
            expect(error.message).toContain(error.field);
            expect(error.fix.length).toBeGreaterThan(20);
          } else {
            throw error;
          }
          said = [error.message, error.fix];
        }
        expectNoSecret(said, secrets);
        expectNoSecret(said, known);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
