/**
 * What main hands to post. Only non-secret facts travel here: the runner writes state to a file
 * and replays it as STATE_* variables, so a secret in state would leak into the post step's env.
 * Read through `core.getState` so act and @github/local-action (which keeps state in memory) work.
 */
import * as core from '@actions/core';
import { isCredentialRecord } from '../core/login-record.js';
import type { CredentialRecord } from '../core/model.js';

const CREDENTIAL_KEY = 'credential';
const LOGOUT_KEY = 'logout';

export interface PostState {
  logout: boolean;
  /** What main wrote; undefined when it wrote nothing (dry run, failure, audit). */
  credential: CredentialRecord | undefined;
}

export function saveWrittenCredential(record: CredentialRecord, logout: boolean): void {
  core.saveState(CREDENTIAL_KEY, JSON.stringify(record));
  core.saveState(LOGOUT_KEY, String(logout));
}

/** Throws when the state is present but unreadable, so post can warn about it. */
export function readPostState(): PostState {
  const logout = core.getState(LOGOUT_KEY) === 'true';
  const saved = core.getState(CREDENTIAL_KEY);
  if (saved === '') return { logout, credential: undefined };
  const parsed: unknown = JSON.parse(saved);
  if (!isCredentialRecord(parsed)) throw new Error('the saved credential record is malformed');
  return { logout, credential: parsed };
}
