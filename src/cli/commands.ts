/**
 * The commands and their options, in one table: parseArgs' configuration and the help text are
 * both generated from it, so the two cannot drift apart.
 */
export const COMMAND_NAMES = ['check', 'login', 'logout', 'audit'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface OptionSpec {
  /** Placeholder for the value; absent for a boolean flag. */
  value?: string;
  multiple?: boolean;
  help: string;
}

export const DEFAULT_TOKEN_ENV = 'DOCKER_PAT';
export const HUB_PASSWORD_ENV = 'DOCKER_PAT_HUB_PASSWORD';
export const HUB_TOTP_SECRET_ENV = 'DOCKER_PAT_HUB_TOTP_SECRET';

/** Same defaults as the GitHub Action's inputs. */
export const DEFAULTS = {
  registry: 'docker.io',
  needs: 'pull',
  expiryWarningDays: '14',
  unusedDays: '90',
} as const;

export const OPTIONS = {
  registry: { value: 'HOST', help: `Registry: docker.io, ghcr.io, registry.gitlab.com, host:port (default ${DEFAULTS.registry}).` },
  username: { value: 'NAME', help: 'Docker ID, or the organization name for an organization access token.' },
  needs: { value: 'ACTIONS', help: `What the job does: pull, push, delete or a comma list; push and delete imply pull (default ${DEFAULTS.needs}).` },
  repository: {
    value: 'NAME[:ACTIONS]',
    multiple: true,
    help: 'A repository to check, e.g. myorg/app:pull,push (repeatable; a value may hold several, separated by spaces). alpine means library/alpine on Docker Hub.',
  },
  'expires-at': { value: 'DATE', help: "The token's expiry as shown when it was created (YYYY-MM-DD or ISO 8601), for registries that cannot report it." },
  'expiry-warning-days': { value: 'DAYS', help: `Warn when the token expires within DAYS days (default ${DEFAULTS.expiryWarningDays}).` },
  'unused-days': { value: 'DAYS', help: `Report a token unused for DAYS days (default ${DEFAULTS.unusedDays}).` },
  'docker-config': { value: 'DIR', help: 'Directory holding config.json (default $DOCKER_CONFIG, else ~/.docker).' },
  'dry-run': { help: 'Run every check but write no credentials.' },
  strict: { help: 'Treat warnings as failures (exit 1 instead of 3).' },
  json: { help: 'Print the report as one JSON document (no secrets).' },
  dotenv: {
    value: 'FILE',
    help: 'Write the non-secret results as KEY=value lines (DOCKER_PAT_SCOPE, _GRANTED, _EXPIRES_AT, _DAYS_UNTIL_EXPIRY, _WARNINGS) for artifacts:reports:dotenv.',
  },
  'token-env': { value: 'NAME', help: `Read the token from the environment variable NAME (default ${DEFAULT_TOKEN_ENV}).` },
  'password-stdin': { help: 'Read the token from standard input instead of the environment.' },
  organization: { value: 'ORG', help: "Audit this organization's access tokens instead of the account's own." },
  help: { help: 'Show this help.' },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const TOKEN_OPTIONS: OptionName[] = ['token-env', 'password-stdin'];
const HEALTH_OPTIONS: OptionName[] = ['expires-at', 'expiry-warning-days', 'unused-days'];
const REPORT_OPTIONS: OptionName[] = ['strict', 'json', 'dotenv'];

export interface CommandSpec {
  usage: string;
  summary: string;
  options: OptionName[];
  /** Environment variables the command reads, shown in its help. */
  environment: string[];
}

const HUB_ACCOUNT_ENV = [
  `${HUB_PASSWORD_ENV}  optional Docker Hub account password, only to read token data (expiry, last use) from Docker Hub's management API`,
  `${HUB_TOTP_SECRET_ENV}  TOTP secret (base32) of a 2FA account, to compute its login code`,
];

export const COMMANDS: Record<CommandName, CommandSpec> = {
  check: {
    usage: 'docker-pat check --username NAME [options]',
    summary: 'Prove the token fits the job (authentication, access to each repository, expiry, least privilege); write nothing.',
    options: ['registry', 'username', 'needs', 'repository', ...HEALTH_OPTIONS, 'docker-config', ...REPORT_OPTIONS, ...TOKEN_OPTIONS, 'help'],
    environment: [`${DEFAULT_TOKEN_ENV}  the token (or the variable named by --token-env)`, ...HUB_ACCOUNT_ENV],
  },
  login: {
    usage: 'docker-pat login --username NAME [options]',
    summary: "Check the token, then store it where docker, skopeo and buildah read it (config.json or the configured credential helper).",
    options: ['registry', 'username', 'needs', 'repository', ...HEALTH_OPTIONS, 'docker-config', 'dry-run', ...REPORT_OPTIONS, ...TOKEN_OPTIONS, 'help'],
    environment: [`${DEFAULT_TOKEN_ENV}  the token (or the variable named by --token-env)`, ...HUB_ACCOUNT_ENV],
  },
  logout: {
    usage: 'docker-pat logout [--registry HOST] [--docker-config DIR]',
    summary: 'Undo what docker-pat login stored for the registry, restoring any entry that was there before.',
    options: ['registry', 'docker-config', 'json', 'help'],
    environment: [],
  },
  audit: {
    usage: 'docker-pat audit --username NAME [--organization ORG] [options]',
    summary: 'List every access token of a Docker Hub account (or organization) and report what needs attention.',
    options: ['username', 'organization', 'expiry-warning-days', 'unused-days', 'strict', 'json', 'help'],
    environment: [
      `${HUB_PASSWORD_ENV}  the account password (prompted for, hidden, on a terminal)`,
      `${HUB_TOTP_SECRET_ENV}  TOTP secret of a 2FA account (otherwise the code is prompted for on a terminal)`,
    ],
  },
};

export function isCommandName(word: string): word is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(word);
}
