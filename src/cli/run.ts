/**
 * The command line's main: settings in, the core's report out, rendered for where it runs, and
 * an exit code CI can key on. Every byte written goes through the SecretRegistry's redact().
 */
import { ReadStream } from 'node:tty';
import { SecretRegistry, isDockerPatError, type CoreDeps } from '../core/index.js';
import { EXIT } from './exit-code.js';
import { withCliFieldName } from './field-names.js';
import { commandHelp, topLevelHelp } from './help.js';
import { Output, type CliIo } from './io.js';
import { failureJson } from './report-json.js';
import { runAudit } from './run-audit.js';
import { runCheck } from './run-check.js';
import { runLogout } from './run-logout.js';
import { readSettings } from './settings.js';
import { HiddenPrompter, readAllStdin } from './stdin.js';
import { chooseStyle, levelLine, type Style } from './style.js';
import { UsageError } from './usage-error.js';
import { PACKAGE_VERSION } from './version.js';

export interface RunContext {
  io: CliIo;
  output: Output;
  secrets: SecretRegistry;
  style: Style;
  deps: CoreDeps;
}

export async function runCli(io: CliIo): Promise<number> {
  const secrets = new SecretRegistry();
  const output = new Output(secrets, io);
  const now = io.now ?? (() => new Date());
  const context: RunContext = {
    io,
    output,
    secrets,
    style: chooseStyle(io.env, io.stdout.isTTY === true, now),
    deps: { secrets, env: io.env, now },
  };
  try {
    const prompter = io.stdin instanceof ReadStream && io.stdin.isTTY ? new HiddenPrompter(io.stdin, io.stderr) : undefined;
    const settings = await readSettings(io.argv, {
      env: io.env,
      homedir: io.homedir,
      secrets,
      readStdin: () => readAllStdin(io.stdin),
      askHidden: prompter && ((question) => prompter.ask(question)),
    });
    switch (settings.command) {
      case 'version':
        output.out([PACKAGE_VERSION]);
        return EXIT.ok;
      case 'help':
        output.out([settings.text]);
        return EXIT.ok;
      case 'check':
      case 'login':
        return await runCheck(settings, context);
      case 'logout':
        return await runLogout(settings, context);
      case 'audit':
        return await runAudit(settings, context);
    }
  } catch (error) {
    return reportFailure(error, context);
  }
}

function reportFailure(error: unknown, context: RunContext): number {
  const { output, style, io } = context;
  if (error instanceof UsageError) {
    const help = error.command === undefined ? topLevelHelp() : commandHelp(error.command);
    output.err([`docker-pat: ${error.message}`, error.fix, '', help]);
    return EXIT.usage;
  }
  const failure = isDockerPatError(error)
    ? withCliFieldName(error)
    : { code: 'unexpected', message: error instanceof Error ? error.message : String(error), fix: 'Run the command again; if it fails the same way, report it with this message.' };
  if (io.argv.includes('--json')) output.json(failureJson(io.argv[0] ?? '', failure, EXIT.failed));
  else output.err(levelLine(style, 'error', `${failure.code}: ${failure.message}`, [`fix: ${failure.fix}`]));
  return EXIT.failed;
}
