/**
 * The simple commands of a POSIX shell snippet as words, the way the shell would split them:
 * quotes and backslashes, `#` comments, backslash-newline continuations, and `;`, `&`, `|`, `&&`,
 * `||` and newlines between commands. Redirections and their targets are dropped. Expansions are
 * kept as written (`$VAR` stays `$VAR`): this reads documentation, it runs nothing.
 */
import type { SourceLine } from './markdown-code-blocks.js';

export interface ShellCommand {
  words: string[];
  /** Line (in the Markdown file) where the command starts. */
  line: number;
}

export function shellCommands(source: SourceLine[]): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let startLine = 0;
  let quote: "'" | '"' | undefined;
  let redirectTarget = false;

  const endWord = () => {
    if (word === undefined) return;
    if (redirectTarget) redirectTarget = false;
    else words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push({ words, line: startLine });
    words = [];
    redirectTarget = false;
  };
  const append = (text: string, line: number) => {
    if (word === undefined && words.length === 0 && !redirectTarget) startLine = line;
    word = (word ?? '') + text;
  };

  for (const { text, line } of source) {
    let i = 0;
    while (i < text.length) {
      const c = text[i] ?? '';
      if (quote === "'") {
        if (c === "'") quote = undefined;
        else append(c, line);
        i++;
      } else if (quote === '"') {
        if (c === '"') quote = undefined;
        else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] ?? '')) append(text[++i] ?? '', line);
        else append(c, line);
        i++;
      } else if (c === "'" || c === '"') {
        append('', line);
        quote = c;
        i++;
      } else if (c === '\\') {
        if (i + 1 < text.length) append(text[i + 1] ?? '', line);
        i += 2;
      } else if (c === '#' && word === undefined) {
        break;
      } else if (c === ' ' || c === '\t') {
        endWord();
        i++;
      } else if (c === ';' || c === '&' || c === '|') {
        endCommand();
        i++;
      } else if (c === '>' || c === '<') {
        // `2>&1`: the descriptor number belongs to the redirection, not to the command.
        if (word !== undefined && /^\d+$/.test(word)) word = undefined;
        endWord();
        redirectTarget = true;
        while (text[i] === '>' || text[i] === '<' || text[i] === '&') i++;
      } else {
        append(c, line);
        i++;
      }
    }
    const continued = quote === undefined && text.endsWith('\\') && !text.endsWith('\\\\');
    if (quote !== undefined) append('\n', line);
    else if (!continued) endCommand();
  }
  if (quote !== undefined) throw new Error(`line ${startLine}: a ${quote} quote is never closed`);
  endCommand();
  return commands;
}
