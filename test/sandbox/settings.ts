/** Switches a test may flip while the sandbox runs; every service reads them per request. */
import type { GrantMode, InaccessibleRepositoryPolicy } from './grants.js';
import { INCORRECT_CREDENTIALS } from './messages.js';

export interface SandboxSettings {
  grantMode: GrantMode;
  /** `details` for a deactivated PAT or OAT; Hub's real text is unconfirmed. */
  inactiveTokenMessage: string;
  /** What a PAT gets for repositories its account cannot reach (Hub's real answer is unconfirmed). */
  inaccessibleRepository: InaccessibleRepositoryPolicy;
  /** `not-found` makes `POST /token` answer 404, so clients must fall back to GET. */
  oauthPost: 'enabled' | 'not-found';
}

export function defaultSettings(): SandboxSettings {
  return { grantMode: 'dockerhub-pat', inactiveTokenMessage: INCORRECT_CREDENTIALS, inaccessibleRepository: 'reduce', oauthPost: 'enabled' };
}
