/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */

export type Alignment = 'left' | 'right';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Per column; defaults to left for the first column and right for the others. */
  align?: Alignment[];
  /** Lines printed under the table (why a row is skipped...), kept out of the columns' widths. */
  notes?: string[];
}

export function renderTable(table: Table): string {
  const columns = table.headers.length;
  const widths = table.headers.map((header, column) => Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)));
  const alignment = (column: number): Alignment => table.align?.[column] ?? (column === 0 ? 'left' : 'right');
  const line = (cells: string[]): string =>
    Array.from({ length: columns }, (_, column) => {
      const cell = cells[column] ?? '';
      const width = widths[column] ?? 0;
      return alignment(column) === 'left' ? cell.padEnd(width) : cell.padStart(width);
    })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ').trimEnd();
  return [table.title, line(table.headers), rule, ...table.rows.map(line), ...(table.notes ?? []).map((note) => `  ${note}`)].join('\n');
}

/** Milliseconds with one decimal under 100 ms (where a tenth matters), whole numbers above. */
export function formatMs(ms: number): string {
  return ms < 100 ? ms.toFixed(1) : Math.round(ms).toString();
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(2)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** Peak RSS arrives in KiB (GNU time, Node's maxRSS); shown in decimal MB like the targets. */
export function formatRss(kib: number): string {
  return `${((kib * 1024) / 1_000_000).toFixed(1)} MB`;
}
