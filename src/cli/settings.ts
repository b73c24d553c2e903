/**
 * The one place that turns argv and the environment into typed settings: CheckSettings for the
 * core, plus what the command line itself needs (output format, dotenv file). Bad values become
 * UsageErrors (exit 2) naming the flag and its valid forms; a missing token is the core's
 * `empty-secret` (exit 1), as in the Action.
 */
import { resolve } from 'node:path';
import {
  DockerPatError,
  isDockerPatError,
  normaliseSecret,
  parseExpiryDate,
  parseNeeds,
  parseRegistry,
  parseRepositoryList,
  resolveDockerConfigDir,
  type SecretRegistry,
} from '../core/index.js';
import type { CheckSettings, HubAccountCredential, RegistryRef, RepositoryNeed } from '../core/model.js';
import { refuseTokenOnCommandLine } from './argv-token.js';
import { DEFAULTS, DEFAULT_TOKEN_ENV, HUB_PASSWORD_ENV, HUB_TOTP_SECRET_ENV, isCommandName, type CommandName } from './commands.js';
import { commandHelp, topLevelHelp } from './help.js';
import { parseCommandArgs, type OptionValues } from './parse-argv.js';
import { UsageError } from './usage-error.js';

export interface OutputOptions {
  json: boolean;
  /** Where to write the dotenv report; undefined for none. */
  dotenvPath: string | undefined;
}

export interface CheckCommandSettings {
  command: 'check' | 'login';
  check: CheckSettings;
  output: OutputOptions;
  /** Said to the user before the report (e.g. whitespace stripped from the token). */
  notices: string[];
}

export interface LogoutCommandSettings {
  command: 'logout';
  registry: RegistryRef;
  dockerConfigDir: string;
  output: OutputOptions;
}

export interface AuditCommandSettings {
  command: 'audit';
  username: string;
  organization: string | undefined;
  hubAccount: HubAccountCredential;
  expiryWarningDays: number;
  unusedWarningDays: number;
  strict: boolean;
  output: OutputOptions;
}

export type CliSettings =
  | CheckCommandSettings
  | LogoutCommandSettings
  | AuditCommandSettings
  | { command: 'help'; text: string }
  | { command: 'version' };

export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** Every secret read here is registered first, so no later message can show it. */
  secrets: SecretRegistry;
  /** All of standard input, for --password-stdin. */
  readStdin: () => Promise<string>;
  /** Asks a person with the answer hidden; undefined when no terminal is attached. */
  askHidden: ((question: string) => Promise<string>) | undefined;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DAYS = /^\d{1,5}$/;
const ORGANIZATION = /^[a-z0-9][a-z0-9_-]{1,254}$/;

export async function readSettings(argv: readonly string[], context: SettingsContext): Promise<CliSettings> {
  refuseTokenOnCommandLine(argv);
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given.', 'Run docker-pat --help for the commands.');
  if (first === '--version' || first === '-V') return { command: 'version' };
  if (first === '--help' || first === '-h') return { command: 'help', text: topLevelHelp() };
  if (first === 'help') {
    const topic = rest[0];
    return { command: 'help', text: topic !== undefined && isCommandName(topic) ? commandHelp(topic) : topLevelHelp() };
  }
  if (!isCommandName(first)) {
    const shown = /^[a-z-]{1,20}$/.test(first) ? `'${first}' is not a command` : 'the first argument is not a command';
    throw new UsageError(`${shown}; the commands are check, login, logout and audit.`, 'Run docker-pat --help.');
  }
  const values = parseCommandArgs(first, rest);
  if (values.help === true) return { command: 'help', text: commandHelp(first) };
  try {
    return await commandSettings(first, values, context);
  } catch (error) {
    throw isDockerPatError(error) && error.code === 'bad-input' ? new UsageError(error.message, error.fix, first) : error;
  }
}

async function commandSettings(command: CommandName, values: OptionValues, context: SettingsContext): Promise<CliSettings> {
  switch (command) {
    case 'check':
    case 'login':
      return checkSettings(command, values, context);
    case 'logout':
      return {
        command,
        registry: parseRegistry(text(values, 'registry') ?? DEFAULTS.registry, '--registry'),
        dockerConfigDir: dockerConfigDir(values, context, command),
        output: { json: values.json === true, dotenvPath: undefined },
      };
    case 'audit':
      return auditSettings(values, context);
  }
}

async function checkSettings(command: 'check' | 'login', values: OptionValues, context: SettingsContext): Promise<CheckCommandSettings> {
  const notices: string[] = [];
  const username = required(values, 'username', command);
  const registry = parseRegistry(text(values, 'registry') ?? DEFAULTS.registry, '--registry');
  const needs = parseNeeds(text(values, 'needs') ?? DEFAULTS.needs, '--needs');
  const secret = await readToken(values, context, username, notices, command);
  const expiresAt = text(values, 'expires-at');
  const hubAccount = hubAccountFromEnv(context);
  return {
    command,
    check: {
      registry,
      username,
      secret,
      needs,
      repositories: repositories(values, registry, needs),
      expiresAt: expiresAt === undefined ? undefined : parseExpiryDate(expiresAt, '--expires-at'),
      expiryWarningDays: days(values, 'expiry-warning-days', DEFAULTS.expiryWarningDays, command),
      unusedWarningDays: days(values, 'unused-days', DEFAULTS.unusedDays, command),
      dryRun: values['dry-run'] === true,
      strict: values.strict === true,
      dockerConfigDir: dockerConfigDir(values, context, command),
      ...(hubAccount === undefined ? {} : { hubAccount }),
    },
    output: outputOptions(values, command),
    notices,
  };
}

async function auditSettings(values: OptionValues, context: SettingsContext): Promise<AuditCommandSettings> {
  const username = required(values, 'username', 'audit');
  const organization = text(values, 'organization');
  if (organization !== undefined && !ORGANIZATION.test(organization)) {
    throw new UsageError('--organization is not a Docker Hub organization name.', 'Use the lowercase name, e.g. --organization acme.', 'audit');
  }
  const expiryWarningDays = days(values, 'expiry-warning-days', DEFAULTS.expiryWarningDays, 'audit');
  const unusedWarningDays = days(values, 'unused-days', DEFAULTS.unusedDays, 'audit');
  return {
    command: 'audit',
    username,
    organization,
    hubAccount: hubAccountFromEnv(context) ?? (await promptHubAccount(username, context)),
    expiryWarningDays,
    unusedWarningDays,
    strict: values.strict === true,
    output: outputOptions(values, 'audit'),
  };
}

function text(values: OptionValues, name: keyof OptionValues): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function required(values: OptionValues, name: 'username', command: CommandName): string {
  const value = text(values, name)?.trim();
  if (value === undefined || value === '') {
    throw new UsageError(`--${name} is required.`, `Add --${name} NAME (your Docker ID, or the organization name for an organization access token).`, command);
  }
  return value;
}

function days(values: OptionValues, name: 'expiry-warning-days' | 'unused-days', fallback: string, command: CommandName): number {
  const raw = text(values, name) ?? fallback;
  if (!DAYS.test(raw)) throw new UsageError(`--${name} must be a whole number of days.`, `Use a number such as --${name} ${fallback} (0 turns the warning off).`, command);
  return Number(raw);
}

function repositories(values: OptionValues, registry: RegistryRef, needs: CheckSettings['needs']): RepositoryNeed[] {
  const given = values.repository;
  const list = Array.isArray(given) ? given.join('\n') : '';
  return parseRepositoryList(list, registry, needs, '--repository');
}

/** Absolute, like DOCKER_CONFIG: logout finds login's record by it, from whatever directory it runs in. */
function dockerConfigDir(values: OptionValues, context: SettingsContext, command: CommandName): string {
  const given = text(values, 'docker-config');
  if (given === undefined) return resolveDockerConfigDir(context.env, context.homedir);
  if (given.trim() === '') throw new UsageError('--docker-config needs a directory.', 'Use --docker-config DIR, or leave it out for $DOCKER_CONFIG (else ~/.docker).', command);
  return resolve(given);
}

function outputOptions(values: OptionValues, command: CommandName): OutputOptions {
  const dotenvPath = text(values, 'dotenv');
  if (dotenvPath === '') throw new UsageError('--dotenv needs a file name.', 'Use --dotenv docker-pat.env.', command);
  return { json: values.json === true, dotenvPath };
}

/** The token, from --password-stdin or the environment; registered before it is validated. */
async function readToken(values: OptionValues, context: SettingsContext, username: string, notices: string[], command: CommandName): Promise<string> {
  const tokenEnv = text(values, 'token-env');
  if (tokenEnv !== undefined && !ENV_NAME.test(tokenEnv)) {
    throw new UsageError('--token-env is not an environment variable name.', 'Use a name of letters, digits and _, e.g. --token-env DOCKERHUB_TOKEN.', command);
  }
  if (tokenEnv !== undefined && values['password-stdin'] === true) {
    throw new UsageError('--token-env and --password-stdin both say where the token comes from.', 'Use one of them.', command);
  }
  const fromStdin = values['password-stdin'] === true;
  const source = fromStdin ? 'standard input' : (tokenEnv ?? DEFAULT_TOKEN_ENV);
  const raw = fromStdin ? await context.readStdin() : context.env[source];
  if (raw === undefined) {
    throw new DockerPatError(
      'empty-secret',
      `${source} is not set; docker-pat reads the token from this environment variable.`,
      `Export the token as ${source} (in GitLab CI, a masked variable of that name), name another variable with --token-env, or pipe the token to --password-stdin.`,
      { field: source },
    );
  }
  context.secrets.add(raw);
  context.secrets.add(raw.trim());
  context.secrets.addCredential(username, raw.trim());
  const { value, trimmed } = normaliseSecret(raw, source);
  if (trimmed) notices.push(`${source}: surrounding whitespace or a trailing newline was removed from the token.`);
  return value;
}

/** The optional account credential for Docker Hub's management API, from the environment only. */
function hubAccountFromEnv(context: SettingsContext): HubAccountCredential | undefined {
  const raw = context.env[HUB_PASSWORD_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  // A password may hold spaces, so only a trailing newline (from echo or a file) is dropped.
  const password = raw.replace(/\r?\n$/, '');
  const totpSecret = context.env[HUB_TOTP_SECRET_ENV];
  // Authenticator apps show the base32 secret in groups separated by spaces.
  const compactTotp = totpSecret?.replace(/\s+/g, '');
  for (const secret of [raw, password, totpSecret, compactTotp]) context.secrets.add(secret);
  return { password, ...(compactTotp ? { totpSecret: compactTotp } : {}) };
}

async function promptHubAccount(username: string, context: SettingsContext): Promise<HubAccountCredential> {
  if (context.askHidden === undefined) {
    throw new DockerPatError(
      'empty-secret',
      `${HUB_PASSWORD_ENV} is not set and there is no terminal to ask for the password of ${username}.`,
      `Set ${HUB_PASSWORD_ENV} (and ${HUB_TOTP_SECRET_ENV} for a 2FA account) in the environment, or run docker-pat audit on a terminal.`,
      { field: HUB_PASSWORD_ENV },
    );
  }
  const password = await context.askHidden(`Docker Hub password for ${username}: `);
  context.secrets.add(password);
  if (password === '') {
    throw new DockerPatError('empty-secret', 'no password was entered.', `Type the password of ${username}, or set ${HUB_PASSWORD_ENV}.`, { field: HUB_PASSWORD_ENV });
  }
  const code = (await context.askHidden('Two-factor code (press Enter if the account has no 2FA): ')).trim();
  context.secrets.add(code);
  return { password, ...(code === '' ? {} : { totpCode: code }) };
}
