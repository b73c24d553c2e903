/** Markdown pieces shared by the job summaries and the audit issue. */
import type { Severity } from '../core/model.js';

export const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

/** Keeps a value inside its table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
