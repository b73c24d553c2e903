/**
 * What each error code and finding code means and what usually fixes it, in one sentence each,
 * for the documentation (README.md's reference is generated from these tables). The messages and
 * fixes users see at run time are built where each error or finding arises, with the host, field
 * and repository filled in; these are the general statements behind them. Typed as complete
 * records, so adding a code without documenting it does not compile.
 */
import type { ErrorCode } from './errors.js';
import type { FindingCode, Severity } from './model.js';

export interface CodeEntry {
  /** What happened, in one sentence. */
  meaning: string;
  /** What usually fixes it, in one sentence. */
  fix: string;
}

export interface FindingEntry extends CodeEntry {
  /** Error findings fail the step; warnings fail it only with `strict`; notices only inform. */
  severity: Severity;
}

export const ERROR_CATALOG: Record<ErrorCode, CodeEntry> = {
  'bad-input': {
    meaning: 'An input, flag or configuration file has a value docker-pat cannot use; the message names the field and the valid form.',
    fix: 'Change the named field to the valid form shown in the message.',
  },
  'empty-secret': {
    meaning: 'The token (or username, or account password) is empty or not set, which in CI almost always means the secret never reached the job.',
    fix: 'Check that the secret exists and is passed to this job: forks, Dependabot runs, environments, reusable workflows and protected GitLab variables all withhold secrets unless set up to pass them.',
  },
  'bad-credentials': {
    meaning: 'The registry refused the username and token together: a wrong, revoked or deleted token, another user\'s token, or an organization token used with a personal username.',
    fix: 'Check the username and the token; an organization access token logs in with the organization name as username.',
  },
  expired: {
    meaning: 'The registry refused the token because it has expired.',
    fix: 'Create a new token, store it in the CI secret and delete the expired one; an expiry date cannot be extended.',
  },
  inactive: {
    meaning: 'The token exists but has been deactivated.',
    fix: 'Activate it again in the registry\'s token settings, or create a new one and store it in the CI secret.',
  },
  'password-not-allowed': {
    meaning: 'An account password was given for an account with two-factor authentication or single sign-on, which must log in with an access token.',
    fix: 'Create a personal access token and use it instead of the password.',
  },
  'insufficient-scope': {
    meaning: 'The token is valid but does not allow what the job needs (for example a read-only token in a job that pushes).',
    fix: 'Create a token with the permission named in the message (Docker Hub: Read & Write to push, Read, Write, Delete to delete) and store it in the CI secret.',
  },
  'rate-limited': {
    meaning: 'The registry or its API answered HTTP 429 and kept doing so after the allowed retries.',
    fix: 'Wait as long as the message says before running the job again, and avoid starting many jobs against the registry at the same moment.',
  },
  unreachable: {
    meaning: 'The registry, its token service or the proxy could not be reached: the name did not resolve, the connection was refused or it was cut.',
    fix: 'Check the registry name and the runner\'s network and proxy settings (HTTPS_PROXY, NO_PROXY).',
  },
  tls: {
    meaning: 'The TLS connection failed: the certificate is not trusted or has expired, or the server does not speak HTTPS on that port.',
    fix: 'For a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file; for a plain-HTTP registry, write http:// before its name.',
  },
  timeout: {
    meaning: 'The registry, its token service or a credential helper did not answer within the time limit.',
    fix: 'Check that the registry is up and reachable from the runner (and that a credential helper needs no prompt), then run the job again.',
  },
  'registry-error': {
    meaning: 'The registry answered in a way no Docker registry should: a server error, a malformed or oversized answer, or no usable token service.',
    fix: 'Check that the registry name points at a Docker registry; if it does, the registry is failing, so run the job again later.',
  },
};

export const FINDING_CATALOG: Record<FindingCode, FindingEntry> = {
  expired: {
    severity: 'error',
    meaning: 'The token\'s expiry date has passed.',
    fix: 'Create a new token, store it in the CI secret and delete the expired one.',
  },
  'expires-soon': {
    severity: 'warning',
    meaning: 'The token expires within the warning window (expiry-warning-days, 14 by default).',
    fix: 'Create a replacement token and store it in the CI secret before the date shown.',
  },
  'expiry-unknown': {
    severity: 'notice',
    meaning: 'Nothing available could tell the token\'s expiry date, so it is not watched.',
    fix: 'Give the date shown when the token was created (expires-at), or the Docker Hub account password so it can be read from Docker Hub.',
  },
  'no-expiry': {
    severity: 'warning',
    meaning: 'The token never expires.',
    fix: 'Create a replacement token with an expiry date, switch the CI secret to it and delete this one.',
  },
  inactive: {
    severity: 'error',
    meaning: 'The token is deactivated.',
    fix: 'Activate it again in the token settings, or create a new one and store it in the CI secret.',
  },
  unused: {
    severity: 'warning',
    meaning: 'The token has not been used for unused-days days (90 by default), or never since it was created.',
    fix: 'Delete the token if nothing uses it any more.',
  },
  'over-privileged': {
    severity: 'warning',
    meaning: 'The token allows more than the job needs (for example Read, Write, Delete for a job that only pulls).',
    fix: 'Create a token with the narrower permission named in the message for this job.',
  },
  'auto-generated-limit': {
    severity: 'warning',
    meaning: 'The account holds five or more tokens generated by Docker Desktop sign-ins.',
    fix: 'Delete the auto-generated tokens of machines that no longer sign in with Docker Desktop.',
  },
  'password-instead-of-token': {
    severity: 'warning',
    meaning: 'The account password is used where an access token belongs.',
    fix: 'Create a personal access token with only the permission the job needs and store it in place of the password.',
  },
  'prefer-organization-token': {
    severity: 'notice',
    meaning: 'A personal access token is used for an organization\'s repositories, so the job depends on one person\'s account.',
    fix: 'Create an organization access token limited to those repositories.',
  },
  'scope-unchecked': {
    severity: 'notice',
    meaning: 'Only authentication could be checked (no repositories named and no permission level known), or delete could not be proven without deleting something.',
    fix: 'List the repositories the job uses (repositories / --repository) so their access is proven.',
  },
};
