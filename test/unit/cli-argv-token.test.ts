import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { refuseTokenOnCommandLine } from '../../src/cli/argv-token.js';
import { UsageError } from '../../src/cli/usage-error.js';

const TOKEN = 'dckr_pat_Canary00000000000000000001';

function refusal(argv: string[]): UsageError {
  try {
    refuseTokenOnCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.length} arguments to be refused`);
}

describe('a token on the command line is refused', () => {
  it.each([
    [['login', '--password', 'hunter2hunter2'], '--password'],
    [['login', '--password=hunter2hunter2'], '--password'],
    [['login', '-p', 'hunter2hunter2'], '-p'],
    [['login', '-phunter2hunter2'], '-p'],
    [['check', '--token', 'hunter2hunter2'], '--token'],
    [['check', '--token=hunter2hunter2'], '--token'],
    [['check', '--pat', 'x'], '--pat'],
    [['check', '--secret=x'], '--secret'],
  ])('%j names %s, says why and how instead, and never echoes the value', (argv, flag) => {
    const error = refusal(argv);
    expect(error.message).toContain(`${flag} is refused`);
    expect(error.message).toMatch(/process lists/);
    expect(error.message).toMatch(/job logs/);
    expect(error.fix).toMatch(/--token-env/);
    expect(error.fix).toMatch(/--password-stdin/);
    expect(`${error.message} ${error.fix}`).not.toContain('hunter2');
  });

  it.each([
    ['a Docker PAT', TOKEN],
    ['a Docker organization token', 'dckr_oat_Canary00000000000000000001'],
    ['a GitLab token', 'glpat-Abcdefghijklmnop1234'],
    ['a classic GitHub token', 'ghp_ClassicPat000000000000000000000001'],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijkl'],
    ['a legacy Docker Hub token (UUID)', '85145afa-7f81-4235-82c9-e37df7c244a8'],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'],
  ])('%s as a positional is refused by position, not value', (_, token) => {
    const error = refusal(['login', '--username', 'alice', token]);
    expect(error.message).toMatch(/^argument 4 looks like a token/);
    expect(`${error.message} ${error.fix}`).not.toContain(token);
  });

  it('a token hidden inside another option or a user:token pair is refused too', () => {
    expect(refusal(['check', `--username=${TOKEN}`]).message).toMatch(/argument 2 looks like a token/);
    expect(refusal(['check', '--registry', `alice:${TOKEN}@docker.io`]).message).toMatch(/argument 3/);
  });

  it('--password-stdin and ordinary command lines pass', () => {
    expect(() =>
      refuseTokenOnCommandLine([
        'login', '--registry', '127.0.0.1:5000', '--username', 'alice', '--password-stdin', '--repository', 'alice/app:pull,push',
        '--expires-at', '2030-01-01', '--token-env', 'DOCKERHUB_PAT', '--dotenv', 'docker-pat.env', '--json',
      ]),
    ).not.toThrow();
  });

  it('never shows any token-shaped value it refuses (property)', () => {
    const body = fc.stringMatching(/^[A-Za-z0-9_-]{27,40}$/);
    const prefix = fc.constantFrom('dckr_pat_', 'dckr_oat_', 'glpat-');
    const position = fc.nat({ max: 4 });
    fc.assert(
      fc.property(prefix, body, position, fc.constantFrom('', '--username=', 'x:'), (p, b, at, wrapper) => {
        const token = `${p}${b}`;
        const argv = ['check', '--username', 'alice', '--json'];
        argv.splice(Math.min(at, argv.length), 0, `${wrapper}${token}`);
        const error = refusal(argv);
        return !`${error.message}${error.fix}`.includes(b);
      }),
      { numRuns: 3000 },
    );
  });
});
