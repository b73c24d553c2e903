/**
 * Renders the Action's job-summary markdown for a terminal, as GitHub would show it on the run's
 * page: headings, tables with aligned columns (wrapped when too wide), list items, bold. Icons
 * become one-column symbols, because terminals disagree on how wide emoji are and a table whose
 * columns drift is unreadable. Only what the summaries use is supported; anything else passes
 * through as text.
 */
import { paint, type Colour, type Painter } from './terminal.js';

interface Segment {
  text: string;
  colour?: Colour;
}

const ICONS: Array<[RegExp, string, Colour]> = [
  [/✅/gu, '✔', 'green'],
  [/❌/gu, '✘', 'red'],
  [/⚠️?/gu, '⚠', 'yellow'],
  [/ℹ️?/gu, 'ℹ', 'cyan'],
];
const SYMBOL_COLOURS: Record<string, Colour> = Object.fromEntries(ICONS.map(([, symbol, colour]) => [symbol, colour]));

const INDENT = '  ';
const GAP = '  ';
const MIN_COLUMN = 12;

/** Inline markdown to styled segments: **bold**, `code`, <br>, escaped pipes and the icons. */
function inlineSegments(text: string): Segment[] {
  let plain = text.replace(/<br\s*\/?>/g, ', ').replace(/\\\|/g, '|');
  for (const [pattern, symbol] of ICONS) plain = plain.replace(pattern, symbol);
  const segments: Segment[] = [];
  for (const part of plain.split(/(\*\*[^*]+\*\*|`[^`]+`)/)) {
    if (part === '') continue;
    if (part.startsWith('**') && part.endsWith('**')) segments.push({ text: part.slice(2, -2), colour: 'bold' });
    else if (part.startsWith('`') && part.endsWith('`')) segments.push({ text: part.slice(1, -1), colour: 'cyan' });
    else segments.push(...symbolSegments(part));
  }
  return segments;
}

function symbolSegments(text: string): Segment[] {
  return text
    .split(/([✔✘⚠ℹ])/u)
    .filter((part) => part !== '')
    .map((part) => (SYMBOL_COLOURS[part] ? { text: part, colour: SYMBOL_COLOURS[part] } : { text: part }));
}

function plainText(segments: Segment[]): string {
  return segments.map((s) => s.text).join('');
}

function painted(painter: Painter, segments: Segment[]): string {
  return segments.map((s) => (s.colour ? paint(painter, s.colour, s.text) : s.text)).join('');
}

/** Wraps styled text at spaces; each line is painted, and its plain width is known. */
function wrapSegments(painter: Painter, segments: Segment[], width: number): Array<{ text: string; width: number }> {
  const words: Segment[][] = [[]];
  for (const segment of segments) {
    segment.text.split(/( +)/).forEach((piece) => {
      if (/^ +$/.test(piece)) words.push([]);
      else if (piece !== '') words[words.length - 1]?.push({ ...segment, text: piece });
    });
  }
  const lines: Segment[][] = [];
  let line: Segment[] = [];
  for (const word of words.filter((w) => w.length > 0)) {
    const length = plainText(line).length;
    if (length > 0 && length + 1 + plainText(word).length > width) {
      lines.push(line);
      line = [...word];
    } else {
      line = length > 0 ? [...line, { text: ' ' }, ...word] : [...word];
    }
  }
  lines.push(line);
  return lines.map((l) => ({ text: painted(painter, l), width: plainText(l).length }));
}

function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

function isRule(line: string): boolean {
  return /^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/.test(line.trim());
}

/** Column widths that fit `available`: the widest column gives way first, down to MIN_COLUMN. */
function fitWidths(natural: number[], available: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (total() > available) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= MIN_COLUMN) break;
    widths[widest] = Math.max(MIN_COLUMN, (widths[widest] ?? 0) - (total() - available));
  }
  return widths;
}

function renderTable(painter: Painter, rows: string[][]): string[] {
  const [header = [], ...body] = rows;
  const showHeader = header.some((cell) => cell !== '');
  const cells = (showHeader ? [header, ...body] : body).map((row) => row.map(inlineSegments));
  const columns = Math.max(...cells.map((row) => row.length));
  const natural = Array.from({ length: columns }, (_, c) => Math.max(1, ...cells.map((row) => plainText(row[c] ?? []).length)));
  const widths = fitWidths(natural, painter.width - INDENT.length);
  const out: string[] = [];
  cells.forEach((row, r) => {
    const wrapped = widths.map((width, c) => wrapSegments(painter, r === 0 && showHeader ? [{ text: plainText(row[c] ?? []), colour: 'bold' }] : (row[c] ?? []), width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      const line = wrapped.map((lines, c) => {
        const piece = lines[i] ?? { text: '', width: 0 };
        return piece.text + ' '.repeat(Math.max(0, (widths[c] ?? 0) - piece.width));
      });
      out.push(`${INDENT}${line.join(GAP)}`.trimEnd());
    }
    if (r === 0 && showHeader) out.push(`${INDENT}${paint(painter, 'dim', widths.map((w) => '─'.repeat(w)).join(GAP))}`);
  });
  return out;
}

function renderParagraph(painter: Painter, prefix: string, text: string): string[] {
  return wrapSegments(painter, inlineSegments(text), painter.width - INDENT.length - prefix.length).map(
    (line, i) => `${INDENT}${i === 0 ? prefix : ' '.repeat(prefix.length)}${line.text}`,
  );
}

export function renderMarkdown(markdown: string, painter: Painter): string[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim().startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && (lines[i] ?? '').trim().startsWith('|'); i++) {
        if (!isRule(lines[i] ?? '')) rows.push(splitRow(lines[i] ?? ''));
      }
      i--;
      out.push(...renderTable(painter, rows));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = plainText(inlineSegments(heading[2] ?? ''));
      out.push(paint(painter, 'bold', text), paint(painter, 'dim', '─'.repeat(text.length)));
      continue;
    }
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      out.push(...renderParagraph(painter, '• ', item[1] ?? ''));
      continue;
    }
    if (line.trim() === '') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      continue;
    }
    out.push(...renderParagraph(painter, '', line.trim()));
  }
  while (out[out.length - 1] === '') out.pop();
  return out;
}
