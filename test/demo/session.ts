/**
 * Everything the demo starts, so it can all be stopped: the sandbox, temporary directories and
 * child processes. An interruption (Ctrl-C, SIGTERM) marks the session aborted first; every step
 * checks `guard()` before it starts a process, so nothing new starts once stopping has begun.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/index.js';
import { terminateChildren } from './children.js';

export class DemoInterrupted extends Error {
  constructor() {
    super('the demo was interrupted');
    this.name = 'DemoInterrupted';
  }
}

export class DemoSession {
  private readonly dirs = new Set<string>();
  private stopping: Promise<void> | undefined;
  aborted = false;

  constructor(readonly sandbox: Sandbox) {}

  /** Throws once the demo is stopping, so a step starts nothing new. */
  guard(): void {
    if (this.aborted) throw new DemoInterrupted();
  }

  /** A fresh directory under the system temp dir, removed by `release` or `stop`. */
  tempDir(prefix: string): string {
    this.guard();
    return this.track(mkdtempSync(join(tmpdir(), prefix)));
  }

  /** Takes charge of a directory someone else created. */
  track(dir: string): string {
    this.dirs.add(dir);
    return dir;
  }

  release(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  /** Ends running steps' processes, stops the sandbox and removes every directory; safe to call twice. */
  stop(): Promise<void> {
    this.aborted = true;
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    // The registry is spared here: the sandbox stops it in its own order.
    terminateChildren([this.sandbox.registryPid]);
    await this.sandbox.stop();
    for (const dir of [...this.dirs]) this.release(dir);
    terminateChildren();
  }
}
