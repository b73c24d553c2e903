import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialRecord } from '../../src/core/model.js';
import { readPostState, saveWrittenCredential } from '../../src/github/state.js';
import { readFileCommands } from '../e2e/action-files.js';
import { detachFromRunner } from './github-harness.js';

const savedEnv = { ...process.env };
let dir: string;

beforeEach(() => {
  detachFromRunner();
  dir = mkdtempSync(join(tmpdir(), 'docker-pat-state-'));
  process.env.GITHUB_STATE = join(dir, 'state');
  writeFileSync(process.env.GITHUB_STATE, '');
});

afterEach(() => {
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

/** What the runner does between main and post: replay the state file as STATE_* variables. */
function replayState(): void {
  for (const [name, value] of Object.entries(readFileCommands(process.env.GITHUB_STATE ?? ''))) process.env[`STATE_${name}`] = value;
}

describe('post state', () => {
  it('carries the credential record from main to post', () => {
    const record: CredentialRecord = { dockerConfigDir: '/tmp/dc', credentialKey: '127.0.0.1:5000', helper: 'pass', backupPath: '/tmp/dc/.docker-pat-backup' };
    saveWrittenCredential(record, true);
    replayState();
    expect(readPostState()).toEqual({ logout: true, credential: record });
  });

  it('keeps logout: false and records without helper or backup', () => {
    saveWrittenCredential({ dockerConfigDir: '/tmp/dc', credentialKey: 'https://index.docker.io/v1/', helper: undefined, backupPath: undefined }, false);
    replayState();
    expect(readPostState()).toEqual({ logout: false, credential: { dockerConfigDir: '/tmp/dc', credentialKey: 'https://index.docker.io/v1/' } });
  });

  it('knows when main wrote nothing', () => {
    expect(readPostState()).toEqual({ logout: false, credential: undefined });
  });

  it('refuses a record of the wrong shape', () => {
    process.env.STATE_credential = JSON.stringify({ dockerConfigDir: 3 });
    expect(() => readPostState()).toThrow('malformed');
  });
});
