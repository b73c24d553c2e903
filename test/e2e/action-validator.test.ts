/**
 * action.yml and the repository's workflows pass @action-validator/cli, the schema check GitHub's
 * own parser is closest to. Its newest release (0.6.0) predates `runs.using: node24`, so action.yml
 * is validated as written except for that one value, which is asserted separately.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './action-runner.js';

interface Validation {
  exitCode: number;
  output: string;
}

function validate(file: string): Promise<Validation> {
  return new Promise((resolve) => {
    execFile('npx', ['action-validator', file], { cwd: PROJECT_ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ exitCode: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}` });
    });
  });
}

const action = readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8');

describe('action.yml', () => {
  it('runs on node24 with separate main and post bundles', () => {
    expect(action).toMatch(/^runs:\n {2}using: 'node24'\n {2}main: 'dist\/main\/index.js'\n {2}post: 'dist\/post\/index.js'\n/m);
  });

  it('passes action-validator (with the runtime the validator knows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docker-pat-validate-'));
    try {
      const copy = join(dir, 'action.yml');
      writeFileSync(copy, action.replace("using: 'node24'", "using: 'node20'"));
      expect(await validate(copy)).toEqual({ exitCode: 0, output: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is refused by action-validator when broken, so the check above can fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docker-pat-validate-'));
    try {
      const copy = join(dir, 'action.yml');
      writeFileSync(copy, action.replace("using: 'node24'", "using: 'node20'").replace('branding:', 'brandingg:'));
      expect((await validate(copy)).exitCode).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('.github/workflows', () => {
  const workflows = readdirSync(join(PROJECT_ROOT, '.github/workflows')).filter((name) => name.endsWith('.yml'));

  it('holds CI, the dist check, the example job and the weekly audit', () => {
    expect(workflows.sort()).toEqual(expect.arrayContaining(['ci.yml', 'dist-check.yml', 'example-push.yml', 'weekly-audit.yml']));
    const example = readFileSync(join(PROJECT_ROOT, '.github/workflows/example-push.yml'), 'utf8');
    expect(example).toMatch(/uses: \.\/\n/);
    expect(example).toMatch(/needs: push/);
    const audit = readFileSync(join(PROJECT_ROOT, '.github/workflows/weekly-audit.yml'), 'utf8');
    expect(audit).toMatch(/schedule:/);
    expect(audit).toMatch(/mode: audit/);
    expect(audit).toMatch(/report-issue: true/);
  });

  it.each(workflows)('%s passes action-validator', async (name) => {
    expect(await validate(join('.github/workflows', name))).toEqual({ exitCode: 0, output: '' });
  }, 60_000);
});
