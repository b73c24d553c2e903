/**
 * Shared by the github-* unit tests: set the runner's INPUT_* variables and capture the workflow
 * commands @actions/core writes to stdout.
 */
import { afterEach, beforeEach, jest } from '@jest/globals';

/** Replaces every INPUT_* variable with `inputs` (names as in action.yml; the runner keeps hyphens). */
export function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

interface CapturedStdout {
  text(): string;
  lines(): string[];
  restore(): void;
}

function captureStdout(): CapturedStdout {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return {
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter((line) => line !== ''),
    restore: () => spy.mockRestore(),
  };
}

/** File commands of a surrounding CI run must not receive what these tests write. */
const RUNNER_FILE_VARIABLES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'];

export function detachFromRunner(): void {
  for (const name of RUNNER_FILE_VARIABLES) delete process.env[name];
  for (const key of Object.keys(process.env)) if (key.startsWith('STATE_')) delete process.env[key];
}

/**
 * For each test of the enclosing block: detached from the runner and with stdout captured; after
 * it, stdout, process.env and process.exitCode are as they were. Reads the running test's capture.
 */
export function useCapturedStdout(): Pick<CapturedStdout, 'text' | 'lines'> {
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  let current: CapturedStdout | undefined;
  beforeEach(() => {
    detachFromRunner();
    current = captureStdout();
  });
  afterEach(() => {
    current?.restore();
    current = undefined;
    process.env = { ...savedEnv };
    process.exitCode = savedExitCode;
  });
  const capture = (): CapturedStdout => {
    if (!current) throw new Error('stdout is captured only while a test runs');
    return current;
  };
  return { text: () => capture().text(), lines: () => capture().lines() };
}
