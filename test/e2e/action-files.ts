/**
 * Reads the runner's file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV) the way the runner
 * does: `name<<delimiter` heredocs, or plain `name=value` lines.
 */
import { readFileSync } from 'node:fs';

export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const end = lines.indexOf(delimiter ?? '', i + 1);
      if (end === -1) throw new Error(`unterminated value for ${name}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export function readFileCommands(path: string): Record<string, string> {
  return parseFileCommands(readFileSync(path, 'utf8'));
}
