/** Help text, generated from the command table. */
import { COMMANDS, COMMAND_NAMES, OPTIONS, type CommandName } from './commands.js';

const EXIT_CODES = [
  'Exit codes: 0 the token fits the job, 3 warnings only (for allow_failure: exit_codes: [3]),',
  '            1 a check failed (or a warning with --strict), 2 usage error.',
];

const TOKEN_NOTE =
  'The token is never taken on the command line (process lists and job logs would show it):\n' +
  'set DOCKER_PAT (or --token-env NAME) or pipe it to --password-stdin.';

export function topLevelHelp(): string {
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length));
  return [
    'docker-pat: log CI into Docker registries with a personal access token, and prove it fits the job.',
    '',
    'Usage: docker-pat <command> [options]',
    '       docker-pat <command> --help',
    '       docker-pat --version',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name].summary}`),
    '',
    TOKEN_NOTE,
    '',
    ...EXIT_CODES,
    '',
  ].join('\n');
}

export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const flags = spec.options.map((option) => {
    const { value } = OPTIONS[option] as { value?: string };
    return { flag: value === undefined ? `--${option}` : `--${option} ${value}`, help: OPTIONS[option].help };
  });
  const width = Math.max(...flags.map((f) => f.flag.length));
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:', ...flags.map((f) => `  ${f.flag.padEnd(width)}  ${f.help}`)];
  if (spec.environment.length > 0) lines.push('', 'Environment:', ...spec.environment.map((line) => `  ${line}`));
  if (name === 'check' || name === 'login') lines.push('', TOKEN_NOTE);
  lines.push('', ...EXIT_CODES, '');
  return lines.join('\n');
}
