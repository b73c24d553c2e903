/**
 * The DockerPatError a call ends in, for tests that assert on its code, field, message and fix.
 * Anything else thrown fails the test as it was thrown; a call that succeeds fails it too.
 */
import { DockerPatError } from '../../src/core/errors.js';

export async function rejection(promise: Promise<unknown>): Promise<DockerPatError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DockerPatError) return error;
    throw error;
  }
  throw new Error('expected a DockerPatError, but the promise resolved');
}

export function thrownBy(run: () => unknown): DockerPatError {
  try {
    run();
  } catch (error) {
    if (error instanceof DockerPatError) return error;
    throw error;
  }
  throw new Error('expected a DockerPatError, but the call returned');
}
