/**
 * Reads what an Action printed the way the runner shows it: `::error title=...::text` lines become
 * annotations, other commands (`::add-mask::`, `::debug::`...) are the runner's business and are
 * not shown, everything else is a log line.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  text: string;
}

export interface StepLog {
  annotations: Annotation[];
  /** Plain log lines, in order. */
  lines: string[];
}

/** The runner's escapes for command data (%25 last, so an escaped "%0A" stays literal). */
function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text.replace(/%3A/gi, ':').replace(/%2C/gi, ','));
}

function properties(raw: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) found[pair.slice(0, at).trim()] = unescapeProperty(pair.slice(at + 1));
  }
  return found;
}

export function readStepLog(stdout: string): StepLog {
  const log: StepLog = { annotations: [], lines: [] };
  for (const line of stdout.split(/\r?\n/)) {
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!command) {
      if (line.trim() !== '') log.lines.push(line);
      continue;
    }
    const [, name = '', rawProperties = '', data = ''] = command;
    if (name === 'error' || name === 'warning' || name === 'notice') {
      log.annotations.push({ level: name, title: properties(rawProperties).title ?? '', text: unescapeData(data) });
    }
  }
  return log;
}
