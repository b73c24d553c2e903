/**
 * The secret as it arrives from CI variables: checked and tidied without ever being echoed, since
 * every message here may end up in a public log.
 */
import { DockerPatError, badInput } from './errors.js';

export type SecretShape = 'pat' | 'oat' | 'legacy-pat' | 'other';

const EMPTY_CAUSES =
  'CI systems hand jobs an empty value when a secret is withheld: GitHub passes no secrets to workflows run for pull requests from forks, ' +
  'Dependabot runs see only Dependabot secrets, environment secrets reach only jobs that name the environment, ' +
  'a reusable workflow gets secrets only through `secrets: inherit` or an explicit `secrets:` entry, ' +
  'and a protected GitLab CI/CD variable is set only on protected branches and tags.';
const EMPTY_FIX = 'Make sure the secret exists and is passed to this job, or run the job where the secret is available.';
const SECRET_FORM = 'the token exactly as Docker Hub or the registry showed it, with nothing inside it but the token';

/** Any space, line break or tab, including Unicode spaces. */
const WHITESPACE = /\s/u;
/** Control and format characters (zero-width spaces and the like) that survive a careless paste. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

const PAT = /^dckr_pat_[A-Za-z0-9_-]{27,32}$/;
const OAT = /^dckr_oat_[A-Za-z0-9_-]{27,32}$/;
/** Docker Hub's first access tokens were bare UUIDs. */
const LEGACY_PAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Strips surrounding whitespace (a trailing newline from `echo` or a pasted file is common);
 * `trimmed` tells the caller to mention it. Empty is `empty-secret`, inner whitespace `bad-input`.
 */
export function normaliseSecret(raw: string, field: string): { value: string; trimmed: boolean } {
  const value = raw.trim();
  if (value === '') {
    throw new DockerPatError('empty-secret', `${field}: is empty. ${EMPTY_CAUSES}`, EMPTY_FIX, { field });
  }
  if (WHITESPACE.test(value)) throw badInput(field, 'has whitespace inside it; a token is one unbroken word.', SECRET_FORM);
  if (INVISIBLE.test(value)) throw badInput(field, 'contains control or invisible characters.', SECRET_FORM);
  return { value, trimmed: value !== raw };
}

export function classifySecret(secret: string): SecretShape {
  if (PAT.test(secret)) return 'pat';
  if (OAT.test(secret)) return 'oat';
  if (LEGACY_PAT.test(secret)) return 'legacy-pat';
  return 'other';
}
