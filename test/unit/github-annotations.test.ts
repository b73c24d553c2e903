import { describe, expect, it } from '@jest/globals';
import { DockerPatError, SecretRegistry } from '../../src/core/index.js';
import { annotateFindings, describeFailure, failStep } from '../../src/github/annotations.js';
import { FINDINGS } from './github-report.js';
import { useCapturedStdout } from './github-harness.js';

const stdout = useCapturedStdout();

describe('annotations', () => {
  it('gives each finding the annotation of its severity, titled with its code', () => {
    annotateFindings([FINDINGS.expired, FINDINGS.expiresSoon, FINDINGS.expiryUnknown], new SecretRegistry());
    expect(stdout.lines()).toEqual([
      `::error title=expired::expired: ${FINDINGS.expired.message} ${FINDINGS.expired.fix}`,
      `::warning title=expires-soon::expires-soon: ${FINDINGS.expiresSoon.message} ${FINDINGS.expiresSoon.fix}`,
      `::notice title=expiry-unknown::expiry-unknown: ${FINDINGS.expiryUnknown.message} ${FINDINGS.expiryUnknown.fix}`,
    ]);
  });

  it('fails the step with code, message and fix, titled with the code', () => {
    failStep(describeFailure(new DockerPatError('expired', 'alice: the token is expired.', 'Create a new token.')), new SecretRegistry());
    expect(stdout.lines()).toEqual(['::error title=expired::expired: alice: the token is expired. Create a new token.']);
    expect(process.exitCode).toBe(1);
  });

  it('redacts a registered secret that slipped into a message', () => {
    const secrets = new SecretRegistry();
    secrets.add('dckr_pat_leakedvalue');
    failStep(describeFailure(new Error('boom dckr_pat_leakedvalue')), secrets);
    expect(stdout.text()).not.toContain('dckr_pat_leakedvalue');
    expect(stdout.text()).toContain('::error title=unexpected-error::unexpected-error: boom ***');
  });
});
