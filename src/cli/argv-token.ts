/**
 * Refuses a token on the command line before anything else reads it. A command line is visible
 * to every user of the machine (`ps`, /proc/<pid>/cmdline) and CI systems print it in job logs,
 * where nothing masks it, so even a successful run would have leaked the token.
 */
import { UsageError } from './usage-error.js';

/** Flags other login tools take a secret with; docker-pat has none of them. */
const SECRET_FLAGS = ['--password', '--token', '--pat', '--secret'];

/**
 * Shapes of registry tokens and JWTs, searched anywhere in an argument so `--username=dckr_pat_…`
 * or a pasted `user:token` is caught too.
 */
const TOKEN_SHAPES: readonly RegExp[] = [
  /dckr_(?:pat|oat)_[A-Za-z0-9_-]{8,}/,
  /glpat-[A-Za-z0-9_-]{8,}/,
  /gh[pousr]_[A-Za-z0-9]{16,}/,
  /github_pat_[A-Za-z0-9_]{16,}/,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
  // Docker Hub's legacy access tokens are bare UUIDs, and no docker-pat option takes one.
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
];

const WHY =
  'a command line shows in process lists (ps, /proc/<pid>/cmdline) to every user of the machine and is printed in CI job logs, where nothing masks it';
const FIX =
  'Put the token in an environment variable (DOCKER_PAT, or the name given with --token-env NAME; in CI a masked variable) ' +
  "or pipe it to --password-stdin (printf '%s' \"$TOKEN\" | docker-pat login --password-stdin ...), " +
  'and rotate the token if this command line was logged.';

function secretFlagIn(argument: string): string | undefined {
  if (SECRET_FLAGS.some((flag) => argument === flag || argument.startsWith(`${flag}=`))) return argument.split('=')[0];
  // -p, and a value glued to it (-pSECRET), as `docker login -p` takes it.
  if (/^-p/.test(argument)) return '-p';
  return undefined;
}

function looksLikeToken(argument: string): boolean {
  return TOKEN_SHAPES.some((shape) => shape.test(argument));
}

/** Throws a UsageError naming the flag or the argument's position, never its value. */
export function refuseTokenOnCommandLine(argv: readonly string[]): void {
  for (const [index, argument] of argv.entries()) {
    const flag = secretFlagIn(argument);
    if (flag !== undefined) {
      throw new UsageError(`${flag} is refused: docker-pat never takes a token on the command line, because ${WHY}.`, FIX);
    }
    if (looksLikeToken(argument)) {
      throw new UsageError(
        `argument ${index + 1} looks like a token and is refused: docker-pat never takes a token on the command line, because ${WHY}.`,
        FIX,
      );
    }
  }
}
