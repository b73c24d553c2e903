/**
 * Fenced code blocks of a Markdown file, each line kept with its line number in that file, so a
 * test that checks documentation examples can point at the line that is wrong. Fences follow
 * CommonMark: three or more backticks or tildes, closed by a run of the same character at least as
 * long; the opening fence's indentation (a block inside a list item) is removed from its lines.
 */

export interface SourceLine {
  text: string;
  /** 1-based line in the Markdown file. */
  line: number;
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** First word of the info string, lower-cased; '' for a bare fence. */
  language: string;
  content: SourceLine[];
}

const OPENING_FENCE = /^( *)(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

function withoutIndent(text: string, indent: number): string {
  let cut = 0;
  while (cut < indent && text[cut] === ' ') cut++;
  return text.slice(cut);
}

export function markdownCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let open = 0; open < lines.length; open++) {
    const fence = OPENING_FENCE.exec(lines[open] ?? '');
    if (fence === null) continue;
    const [, indent = '', marker = '', info = ''] = fence;
    const closing = new RegExp(`^ *\\${marker[0] ?? ''}{${marker.length},}[ \\t]*$`);
    let close = open + 1;
    while (close < lines.length && !closing.test(lines[close] ?? '')) close++;
    if (close === lines.length) throw new Error(`${file}:${open + 1}: this code block is never closed`);
    const content = lines.slice(open + 1, close).map((text, i) => ({ text: withoutIndent(text, indent.length), line: open + 2 + i }));
    blocks.push({ file, line: open + 1, language: info.toLowerCase(), content });
    open = close;
  }
  return blocks;
}

/** The lines of a unified diff's hunks as they read after the change: context and `+` lines. */
export function diffNewSide(block: CodeBlock): SourceLine[] {
  const result: SourceLine[] = [];
  for (const { text, line } of block.content) {
    if (text.startsWith('@@')) continue;
    const marker = text[0];
    if (marker === undefined) result.push({ text: '', line });
    else if (marker === ' ' || marker === '+') result.push({ text: text.slice(1), line });
    else if (marker !== '-') throw new Error(`${block.file}:${line}: a diff line starts with ' ', '+', '-' or '@@', not '${marker}'`);
  }
  return result;
}

/** The lines with the indentation they all share removed (a fragment cut from a deeper level). */
export function dedent(lines: SourceLine[]): SourceLine[] {
  const indents = lines.filter(({ text }) => text.trim() !== '').map(({ text }) => text.length - text.trimStart().length);
  const shared = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map(({ text, line }) => ({ text: text.slice(Math.min(shared, text.length - text.trimStart().length)), line }));
}

export function joinLines(lines: SourceLine[]): string {
  return `${lines.map(({ text }) => text).join('\n')}\n`;
}
