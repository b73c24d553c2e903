import { describe, expect, it } from '@jest/globals';
import { buildOutputs, OUTPUT_NAMES } from '../../src/github/outputs.js';
import { FINDINGS, hubReport, opaqueReport } from './github-report.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

describe('outputs', () => {
  it('reports what the check proved', () => {
    const outputs = buildOutputs(hubReport({ findings: [FINDINGS.expiresSoon, FINDINGS.expiryUnknown, FINDINGS.overPrivileged], verdict: 'warning' }));
    expect(outputs).toEqual({
      registry: 'registry-1.docker.io',
      'token-type': 'pat',
      scope: 'repo:write',
      granted: '{"alice/app":["pull","push"]}',
      'expires-at': '2030-03-01T00:00:00Z',
      'days-until-expiry': '59',
      warnings: '["expires-soon","over-privileged"]',
      'docker-config': '/home/runner/.docker',
    });
  });

  it('leaves unknown values empty instead of inventing them', () => {
    const outputs = buildOutputs(opaqueReport({ repositories: [{ name: 'dave/tool', needed: ['pull'], granted: undefined, ok: true, method: 'probe' }], credential: undefined }));
    expect(outputs).toMatchObject({ 'token-type': 'unknown', scope: '', granted: '', 'expires-at': '', 'days-until-expiry': '', warnings: '[]', 'docker-config': '' });
  });

  it('says never for a token that never expires, with no day count', () => {
    const outputs = buildOutputs(hubReport({ health: { ...hubReport().health, expiresAt: { value: null, source: 'hub-api' } }, daysUntilExpiry: undefined }));
    expect(outputs['expires-at']).toBe('never');
    expect(outputs['days-until-expiry']).toBe('');
  });

  it('sets exactly the outputs action.yml declares', () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { outputs: Record<string, unknown> };
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });
});
