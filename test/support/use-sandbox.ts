/**
 * One sandbox for a test file: started before its tests and stopped after them. The getter reads
 * it inside hooks and tests (it does not exist yet while the file is being collected).
 */
import { afterAll, beforeAll } from '@jest/globals';
import { startSandbox, type Sandbox, type StartOptions } from '../sandbox/index.js';

export function useSandbox(options?: StartOptions): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  return () => {
    if (!sandbox) throw new Error('the sandbox is not running: read it inside a hook or a test');
    return sandbox;
  };
}
