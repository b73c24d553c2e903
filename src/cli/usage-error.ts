import type { CommandName } from './commands.js';

/**
 * A command line the tool cannot act on: unknown flag, malformed value, missing option, or a
 * token where it must never be. Always exit code 2, so CI can tell "you called it wrong" from
 * "the token does not fit".
 */
export class UsageError extends Error {
  /** What to do instead, in one sentence (like DockerPatError's fix). */
  readonly fix: string;
  /** The command whose help explains the valid forms; undefined for the top level. */
  readonly command: CommandName | undefined;

  constructor(message: string, fix: string, command?: CommandName) {
    super(message);
    this.name = 'UsageError';
    this.fix = fix;
    this.command = command;
  }
}
