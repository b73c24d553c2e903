/**
 * argv → raw option values for one command, with node:util parseArgs. Errors are rewritten as
 * UsageErrors that name the option and never echo a value (argv already passed the token check,
 * but a value can still be anything).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, OPTIONS, type CommandName, type OptionName, type OptionSpec } from './commands.js';
import { UsageError } from './usage-error.js';

export type OptionValues = Partial<Record<OptionName, string | string[] | boolean>>;

function parseArgsOptions(command: CommandName): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const name of COMMANDS[command].options) {
    const spec: OptionSpec = OPTIONS[name];
    options[name] = spec.value === undefined ? { type: 'boolean' } : { type: 'string', multiple: spec.multiple === true };
  }
  return options;
}

function helpHint(command: CommandName): string {
  return `Run docker-pat ${command} --help for the valid options.`;
}

/** Node's messages name the option only; the first line is enough, the rest is advice we replace. */
function rewriteParseError(error: unknown, command: CommandName): UsageError {
  // parseArgs' errors can come from another realm (e.g. a test VM), so no instanceof Error here.
  const { code, message } = error as { code?: unknown; message?: unknown };
  // The first sentence names the option; the rest is advice about '--' that does not apply here.
  const firstLine = typeof message === 'string' ? (message.split(/\.(?:\s|$)/)[0] ?? '') : '';
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && firstLine.includes('ambiguous')) {
    const option = /'(--?[A-Za-z-]+)/.exec(firstLine)?.[1] ?? 'an option';
    return new UsageError(`${option} needs a value, but the next argument starts with '-'.`, `Write ${option}=VALUE when the value starts with '-'.`, command);
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(`${firstLine} for docker-pat ${command}.`, helpHint(command), command);
  }
  return new UsageError(`the arguments of docker-pat ${command} could not be read.`, helpHint(command), command);
}

export function parseCommandArgs(command: CommandName, args: readonly string[]): OptionValues {
  const options = parseArgsOptions(command);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; tokens: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw rewriteParseError(error, command);
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`docker-pat ${command} takes no arguments besides options, but got ${parsed.positionals.length}.`, helpHint(command), command);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const spec: OptionSpec = OPTIONS[token.name as OptionName];
    if (seen.has(token.name) && spec.multiple !== true) {
      throw new UsageError(`--${token.name} is given more than once.`, `Give --${token.name} once.`, command);
    }
    seen.add(token.name);
  }
  return parsed.values as OptionValues;
}
