/** Builds CheckSettings the way a front end would, for tests that drive the core directly. */
import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action, CheckSettings } from '../../src/core/model.js';
import { parseNeeds, parseRepositoryList } from '../../src/core/needs.js';
import { parseRegistry } from '../../src/core/reference.js';

export interface TestSettings {
  registry: string;
  username: string;
  secret: string;
  needs?: string;
  repositories?: string;
  overrides?: Partial<CheckSettings>;
}

/** One folder per test file holds every temp dir below; it is removed after the file's tests. */
const root = mkdtempSync(join(tmpdir(), 'docker-pat-tests-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

export function tempDir(prefix = 'docker-pat-test-'): string {
  return mkdtempSync(join(root, prefix));
}

export function checkSettings(input: TestSettings): CheckSettings {
  const registry = parseRegistry(input.registry);
  const needs: Action[] = parseNeeds(input.needs ?? 'pull');
  return {
    registry,
    username: input.username,
    secret: input.secret,
    needs,
    repositories: input.repositories ? parseRepositoryList(input.repositories, registry, needs) : [],
    expiryWarningDays: 14,
    unusedWarningDays: 90,
    dryRun: false,
    strict: false,
    dockerConfigDir: tempDir('docker-pat-config-'),
    ...input.overrides,
  };
}
