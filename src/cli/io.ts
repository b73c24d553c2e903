/**
 * The process as the command line sees it, passed in so tests can drive the whole CLI, and the
 * one writer through which every line goes: redacted by the SecretRegistry as a last line of
 * defence, because GitLab cannot mask anything computed at run time.
 */
import type { SecretRegistry } from '../core/secrets.js';

export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  homedir: string;
  now?: () => Date;
}

export class Output {
  constructor(
    private readonly secrets: SecretRegistry,
    private readonly io: CliIo,
  ) {}

  out(lines: readonly string[]): void {
    this.io.stdout.write(this.secrets.redact(`${lines.join('\n')}\n`));
  }

  err(lines: readonly string[]): void {
    this.io.stderr.write(this.secrets.redact(`${lines.join('\n')}\n`));
  }

  json(document: unknown): void {
    this.out([JSON.stringify(document, null, 2)]);
  }
}
