/**
 * The canary for Action runs: a secret may live in the credential store and nowhere else the
 * runner shows or keeps. The secrets checked are the ones the test knows plus every value the
 * Action masked (the JWTs it obtained among them), and anything shaped like a JWT at all; the
 * search itself is the shared one in test/support/canary.ts.
 */
import { expect } from '@jest/globals';
import { Canary } from '../support/canary.js';
import { filesContaining, visibleTexts, type JobResult } from './action-runner.js';

export function expectNoSecretLeak(result: JobResult, known: string[], credentialFiles: string[] = []): void {
  const canary = new Canary().watchAll(known, 'a known secret').watchAll(result.masked, 'a masked value');
  for (const [where, text] of Object.entries(visibleTexts(result))) canary.recordAs(where, text);
  canary.expectNoLeak();
  for (const secret of canary.secrets()) {
    const holders = filesContaining(result.job.root, secret).filter((file) => !credentialFiles.includes(file));
    expect({ secretLength: secret.length, holders }).toEqual({ secretLength: secret.length, holders: [] });
  }
}
