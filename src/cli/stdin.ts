/** Reading secrets from standard input and from a person at a terminal. */
import type { ReadStream } from 'node:tty';
import { badInput } from '../core/errors.js';
import type { TextSink } from './io.js';

/** A token is short; a bound keeps a mistaken `docker-pat ... < big-file` from filling memory. */
const MAX_STDIN_BYTES = 64 * 1024;

export async function readAllStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) {
      throw badInput('--password-stdin', `standard input holds more than ${MAX_STDIN_BYTES} bytes.`, 'a single token on standard input');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';

/**
 * Asks on the terminal with echo off (raw mode), so the answer never appears on screen or in
 * the terminal's scrollback. Ctrl-C aborts. Keystrokes typed ahead of the next question (a fast
 * typist, a paste of two lines) are kept for it.
 */
export class HiddenPrompter {
  private typedAhead = '';

  constructor(
    private readonly input: ReadStream,
    private readonly prompt: TextSink,
  ) {}

  ask(question: string): Promise<string> {
    const { input, prompt } = this;
    return new Promise((resolve, reject) => {
      let answer = '';
      const finish = (rest: string, error?: Error) => {
        this.typedAhead = rest;
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        prompt.write('\n');
        if (error) reject(error);
        else resolve(answer);
      };
      const onData = (chunk: Buffer | string) => {
        const chars = [...chunk.toString()];
        for (const [i, char] of chars.entries()) {
          const rest = chars.slice(i + 1).join('');
          // \r\n is one Enter, not an answer and an empty one.
          if (ENTER.has(char) || (char === CTRL_D && answer === '')) return finish(char === '\r' && rest.startsWith('\n') ? rest.slice(1) : rest);
          if (char === CTRL_C) return finish('', new Error('cancelled at the prompt'));
          if (BACKSPACE.has(char)) answer = answer.slice(0, -1);
          else if (char >= ' ') answer += char;
        }
      };
      // Echo goes off before the question shows, so an answer typed at once is never echoed.
      input.setRawMode(true);
      prompt.write(question);
      input.setEncoding('utf8');
      input.on('data', onData);
      input.resume();
      const ahead = this.typedAhead;
      this.typedAhead = '';
      if (ahead !== '') onData(ahead);
    });
  }
}
