/**
 * The canary: a secret may live in the credential store and nowhere else the runner shows or
 * keeps. The secrets checked are the ones the test knows plus every value the Action masked
 * (the JWTs it obtained among them), and anything shaped like a JWT at all.
 */
import { expect } from '@jest/globals';
import { filesContaining, visibleTexts, type JobResult } from './action-runner.js';

const JWT_SHAPE = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]+/;

export function expectNoSecretLeak(result: JobResult, known: string[], credentialFiles: string[] = []): void {
  const secrets = [...new Set([...known, ...result.masked])].filter((s) => s.length >= 4);
  for (const [where, text] of Object.entries(visibleTexts(result))) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a secret (${secret.length} chars) appears in ${where}`);
    }
    expect({ where, jwt: JWT_SHAPE.exec(text)?.[0] }).toEqual({ where, jwt: undefined });
  }
  for (const secret of secrets) {
    const holders = filesContaining(result.job.root, secret).filter((file) => !credentialFiles.includes(file));
    expect({ secretLength: secret.length, holders }).toEqual({ secretLength: secret.length, holders: [] });
  }
}
