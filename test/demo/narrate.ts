/**
 * How each step is told: how it was run (a workflow step or a command line, never a secret),
 * what the product printed, and the verdict line comparing what happened with what the story
 * promised.
 */
import type { ActionRun } from './action-step.js';
import type { CliRun } from './cli-step.js';
import { hanging, paint, type Colour, type Painter } from './terminal.js';
import type { AnnotationLevel, StepLog } from './workflow-commands.js';

/** A secret input or variable, shown by what it is instead of its value. */
export interface SecretShown {
  /** What a real workflow would write there, e.g. `${{ secrets.DOCKERHUB_TOKEN }}`. */
  reference: string;
  /** Which sandbox fixture it holds, e.g. `token "ci read" (repo:read)`. */
  note: string;
}

const LEVELS: Record<AnnotationLevel, { symbol: string; colour: Colour }> = {
  error: { symbol: '✘', colour: 'red' },
  warning: { symbol: '⚠', colour: 'yellow' },
  notice: { symbol: 'ℹ', colour: 'cyan' },
};

export function workflowStep(inputs: Record<string, string>, secrets: Record<string, SecretShown>): string[] {
  const lines = ['- uses: ./        # this repository: action.yml, running dist/main then dist/post', '  with:'];
  for (const [name, value] of Object.entries(inputs)) {
    const secret = secrets[name];
    if (secret) lines.push(`    ${name}: ${secret.reference}   # ${secret.note}`);
    else if (value.includes('\n')) lines.push(`    ${name}: |`, ...value.split('\n').map((line) => `      ${line}`));
    else lines.push(`    ${name}: ${value}`);
  }
  return lines;
}

export function commandLine(args: readonly string[], secrets: Record<string, SecretShown>): string[] {
  return [
    ...Object.entries(secrets).map(([name, secret]) => `$ export ${name}=${secret.reference}   # ${secret.note}`),
    `$ docker-pat ${args.join(' ')}`,
  ];
}

function logLines(painter: Painter, log: StepLog): string[] {
  const lines: string[] = [];
  for (const annotation of log.annotations) {
    const { symbol, colour } = LEVELS[annotation.level];
    lines.push(...hanging(`    ${symbol} ${annotation.level.padEnd(8)}`, annotation.text, painter.width, (p) => paint(painter, colour, p)));
  }
  for (const line of log.lines) lines.push(...hanging('    log       ', line, painter.width));
  return lines;
}

function exitText(painter: Painter, code: number | null): string {
  return paint(painter, code === 0 ? 'green' : code === 3 ? 'yellow' : 'red', `exit ${code ?? 'killed'}`);
}

/** `laterStep`: what a later step of the job did between main and post. */
export function actionHappenings(painter: Painter, run: ActionRun, laterStep?: string): string[] {
  const outputs = Object.entries(run.outputs)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('  ');
  const post = logLines(painter, run.post.log);
  return [
    `  main    ${exitText(painter, run.main.exitCode)} after ${run.main.seconds.toFixed(2)} s`,
    ...logLines(painter, run.main.log),
    ...hanging('  outputs ', outputs === '' ? '(none)' : outputs, painter.width),
    ...(laterStep === undefined ? [] : hanging('  later   ', laterStep, painter.width)),
    `  post    ${exitText(painter, run.post.exitCode)}${post.length === 0 ? ': nothing to log out, no credentials were written' : ''}`,
    ...post,
  ];
}

export function cliHappenings(painter: Painter, run: CliRun): string[] {
  const printed = `${run.stdout}${run.stderr}`.trimEnd().split('\n');
  return [`  ${exitText(painter, run.code)} after ${run.seconds.toFixed(2)} s`, ...printed.map((line) => (line.trim() === '' ? '' : `    ${line}`))];
}

export function stepHeader(painter: Painter, index: number, total: number, title: string, product: string): string[] {
  const heading = `${index}/${total}  ${title}`;
  return ['', paint(painter, 'bold', `${heading}  (${product})`), paint(painter, 'dim', '─'.repeat(heading.length + product.length + 4))];
}

export function labelled(painter: Painter, label: string, text: string): string[] {
  return hanging(`${label.padEnd(6)}`, text, painter.width, (p) => paint(painter, 'bold', p));
}

/** The line the end-to-end test looks for: the promise, and whether the step kept it. */
export function verdictLine(painter: Painter, expected: string, met: boolean, observed: string): string[] {
  if (met) return [`  ${paint(painter, 'green', '✔ as expected:')} ${expected}`];
  return [`  ${paint(painter, 'red', '✘ NOT as expected:')} ${expected}`, `    observed: ${observed}`];
}
