/**
 * `docker-pat` command lines in the documentation's shell blocks, read by the CLI's own argument
 * handling (the option table in src/cli/commands.ts, through parse-argv.ts and settings.ts), so a
 * documented option the CLI does not have, or gives to another command only, is found. Values are
 * not judged (the docs use placeholders such as REGISTRY_PORT), and nothing is run.
 */
import { refuseTokenOnCommandLine } from '../../src/cli/argv-token.js';
import { isCommandName } from '../../src/cli/commands.js';
import { parseCommandArgs } from '../../src/cli/parse-argv.js';
import { readSettings } from '../../src/cli/settings.js';
import { SecretRegistry } from '../../src/core/index.js';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const PROGRAM = /^docker-pat(?:@\S+)?$/;
const BUNDLE = /(?:^|\/)dist\/cli\/index\.js$/;

/** The arguments after the program when the command runs docker-pat (also through npx or node and the bundle). */
export function dockerPatArguments(words: readonly string[]): string[] | undefined {
  let i = 0;
  while (ASSIGNMENT.test(words[i] ?? '')) i++;
  if (words[i] === 'node') return BUNDLE.test(words[i + 1] ?? '') ? words.slice(i + 2) : undefined;
  if (words[i] === 'npx') {
    i++;
    while ((words[i] ?? '').startsWith('-')) i++;
  }
  return PROGRAM.test(words[i] ?? '') ? words.slice(i + 1) : undefined;
}

/** Why the CLI would refuse these arguments as a usage error; undefined when it accepts them. */
export async function cliUsageProblem(args: readonly string[]): Promise<string | undefined> {
  const [command, ...options] = args;
  try {
    if (command !== undefined && isCommandName(command)) {
      refuseTokenOnCommandLine(args);
      parseCommandArgs(command, options);
    } else {
      // Only --help, --version and `help` get past the first argument without a command.
      await readSettings(args, { env: {}, homedir: '/nonexistent', secrets: new SecretRegistry(), readStdin: () => Promise.resolve(''), askHidden: undefined });
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
