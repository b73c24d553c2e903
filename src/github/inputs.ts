/**
 * The one place that reads the Action's inputs. It returns a typed settings object, so the rest
 * of src/github never calls `core.getInput` and the core never sees the runner's environment.
 */
import * as core from '@actions/core';
import { homedir } from 'node:os';
import type { CheckSettings, HubAccountCredential } from '../core/model.js';
import {
  DockerPatError,
  badInput,
  normaliseSecret,
  parseExpiryDate,
  parseNeeds,
  parseRegistry,
  parseRepositoryList,
  resolveDockerConfigDir,
  type SecretRegistry,
} from '../core/index.js';
import { parseBooleanInput, parseDaysInput } from './input-values.js';
import { rawSecretInput, registerSecretInputs, type SecretInput } from './secret-inputs.js';

export interface LoginSettings {
  mode: 'login';
  check: CheckSettings;
  logout: boolean;
  isolateConfig: boolean;
}

export interface AuditSettings {
  mode: 'audit';
  /** The Docker Hub account whose password opens the management API. */
  username: string;
  /** Audit this organization's tokens instead of the account's own. */
  organization: string | undefined;
  hubAccount: HubAccountCredential;
  expiryWarningDays: number;
  unusedWarningDays: number;
  strict: boolean;
  reportIssue: boolean;
  githubToken: string;
}

export type ActionSettings = LoginSettings | AuditSettings;

/**
 * Mirrors the defaults in action.yml. The runner passes those itself; these apply when an input
 * variable is missing altogether (a hand-run bundle), and a unit test keeps both lists equal.
 */
export const INPUT_DEFAULTS = {
  registry: 'docker.io',
  logout: 'true',
  needs: 'pull',
  repositories: '',
  'expires-at': '',
  'expiry-warning-days': '14',
  'dry-run': 'false',
  strict: 'false',
  'isolate-config': 'false',
  mode: 'login',
  'unused-days': '90',
  'hub-password': '',
  'hub-totp-secret': '',
  organization: '',
  'report-issue': 'false',
} as const;

type DefaultedInput = keyof typeof INPUT_DEFAULTS;

function input(name: DefaultedInput | 'username'): string {
  const value = core.getInput(name);
  if (value !== '' || name === 'username') return value;
  return INPUT_DEFAULTS[name];
}

/** An empty secret in Actions almost always means the secret never reached the step. */
function emptyInputError(field: string): DockerPatError {
  return new DockerPatError(
    'empty-secret',
    `${field} is empty.`,
    'Secrets are empty in pull requests from forks and in Dependabot runs, and environment or reusable-workflow secrets must be passed explicitly (secrets: inherit or with:); check that the secret exists and reaches this step.',
    { field },
  );
}

/** Reads a secret input that must not be empty, telling the user when whitespace was stripped. */
function requiredSecret(field: SecretInput): string {
  const raw = rawSecretInput(field);
  if (raw.trim() === '') throw emptyInputError(field);
  const { value, trimmed } = normaliseSecret(raw, field);
  if (trimmed) core.notice(`${field}: surrounding whitespace or a trailing newline was removed from the secret.`, { title: field });
  return value;
}

function optionalSecret(field: SecretInput): string | undefined {
  return rawSecretInput(field).trim() === '' ? undefined : requiredSecret(field);
}

function requiredUsername(): string {
  const username = input('username');
  if (username === '') throw emptyInputError('username');
  return username;
}

function readMode(): ActionSettings['mode'] {
  const mode = input('mode');
  if (mode === 'login' || mode === 'audit') return mode;
  throw badInput('mode', `"${mode}" is not a mode`, 'login or audit');
}

function readHubAccount(): HubAccountCredential | undefined {
  const password = optionalSecret('hub-password');
  const totpSecret = optionalSecret('hub-totp-secret');
  if (totpSecret !== undefined && password === undefined) {
    throw badInput('hub-totp-secret', 'is set without hub-password', 'hub-password together with hub-totp-secret, or neither');
  }
  return password === undefined ? undefined : { password, totpSecret };
}

function readLoginSettings(env: NodeJS.ProcessEnv): LoginSettings {
  const registry = parseRegistry(input('registry'), 'registry');
  const username = requiredUsername();
  const secret = requiredSecret('password');
  const needs = parseNeeds(input('needs'), 'needs');
  const repositoriesInput = input('repositories');
  const expiresAtInput = input('expires-at');
  return {
    mode: 'login',
    check: {
      registry,
      username,
      secret,
      needs,
      repositories: repositoriesInput === '' ? [] : parseRepositoryList(repositoriesInput, registry, needs, 'repositories'),
      expiresAt: expiresAtInput === '' ? undefined : parseExpiryDate(expiresAtInput, 'expires-at'),
      expiryWarningDays: parseDaysInput('expiry-warning-days', input('expiry-warning-days')),
      unusedWarningDays: parseDaysInput('unused-days', input('unused-days')),
      dryRun: parseBooleanInput('dry-run', input('dry-run')),
      strict: parseBooleanInput('strict', input('strict')),
      dockerConfigDir: resolveDockerConfigDir(env, homedir()),
      hubAccount: readHubAccount(),
    },
    logout: parseBooleanInput('logout', input('logout')),
    isolateConfig: parseBooleanInput('isolate-config', input('isolate-config')),
  };
}

function readAuditSettings(): AuditSettings {
  const username = requiredUsername();
  const hubAccount = readHubAccount();
  // The management API refuses access tokens, so an audit cannot run on `password` alone.
  if (hubAccount === undefined) throw emptyInputError('hub-password');
  const organization = input('organization');
  const reportIssue = parseBooleanInput('report-issue', input('report-issue'));
  const githubToken = rawSecretInput('github-token').trim();
  if (reportIssue && githubToken === '') throw emptyInputError('github-token');
  return {
    mode: 'audit',
    username,
    organization: organization === '' ? undefined : organization,
    hubAccount,
    expiryWarningDays: parseDaysInput('expiry-warning-days', input('expiry-warning-days')),
    unusedWarningDays: parseDaysInput('unused-days', input('unused-days')),
    strict: parseBooleanInput('strict', input('strict')),
    reportIssue,
    githubToken,
  };
}

/** Masks the secret inputs, then reads and validates every input; throws `DockerPatError`. */
export function readActionSettings(secrets: SecretRegistry, env: NodeJS.ProcessEnv = process.env): ActionSettings {
  registerSecretInputs(secrets);
  return readMode() === 'audit' ? readAuditSettings() : readLoginSettings(env);
}
