/**
 * How the demo writes to the terminal: colour only when stdout is a terminal (and NO_COLOR is
 * unset), lines wrapped to its width so long fixes stay readable.
 */
const ESC = '\u001b';
const CODES = { red: '31', green: '32', yellow: '33', cyan: '36', dim: '2', bold: '1' } as const;
export type Colour = keyof typeof CODES;

export interface Painter {
  colour: boolean;
  /** Columns to wrap at. */
  width: number;
}

const MIN_WIDTH = 60;
const MAX_WIDTH = 110;

export function createPainter(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): Painter {
  const colour = stream.isTTY === true && !env.NO_COLOR;
  const columns = stream.isTTY === true && stream.columns ? stream.columns : MAX_WIDTH;
  return { colour, width: Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns)) };
}

export function paint(painter: Painter, colour: Colour, text: string): string {
  return painter.colour && text !== '' ? `${ESC}[${CODES[colour]}m${text}${ESC}[0m` : text;
}

/** Splits `text` into lines of at most `width` columns at spaces; a longer word keeps its own line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * `text` wrapped after a prefix, continuation lines indented by the prefix's width; `style`
 * colours the prefix after it is measured.
 */
export function hanging(prefix: string, text: string, width: number, style: (prefix: string) => string = (p) => p): string[] {
  const indent = ' '.repeat(prefix.length);
  return wrap(text, Math.max(20, width - prefix.length)).map((line, i) => `${i === 0 ? style(prefix) : indent}${line}`);
}
