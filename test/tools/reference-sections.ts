/**
 * The reference part of README.md, generated from the definitions the code runs on: action.yml
 * (inputs, outputs), the CLI's command table (commands, options, environment, exit codes) and the
 * catalogues of error and finding codes. `readme-reference.ts` writes it between the markers;
 * test/unit/readme-reference.test.ts fails when README.md differs from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { COMMANDS, COMMAND_NAMES, OPTIONS, type OptionSpec } from '../../src/cli/commands.js';
import { EXIT } from '../../src/cli/exit-code.js';
import { ERROR_CATALOG, FINDING_CATALOG } from '../../src/core/error-catalog.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { FINDING_CODES } from '../../src/core/model.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const README_PATH = join(PROJECT_ROOT, 'README.md');
export const START_MARKER = '<!-- reference:start -->';
export const END_MARKER = '<!-- reference:end -->';

interface ActionDefinition {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

/**
 * What each exit code means. The CLI defines the codes (EXIT) but keeps their meanings only in its
 * help prose, so they are stated here; the Record type makes a new code fail to compile until it
 * is described.
 */
const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'The token fits the job (for `audit`: no token needs attention).',
  failed: 'A check failed: an error code below, an error finding, or a warning with `--strict`.',
  usage: 'Usage error: an unknown command or option, or a value the CLI cannot use; the message lists the valid forms.',
  warnings: 'Warnings only. In GitLab CI, `allow_failure: exit_codes: [3]` lets the job pass with a warning sign.',
};

/** Keeps text inside one table cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function code(text: string): string {
  return `\`${text}\``;
}

function table(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function readActionDefinition(): ActionDefinition {
  return parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as ActionDefinition;
}

function actionSections(action: ActionDefinition): string[] {
  const inputs = Object.entries(action.inputs).map(([name, input]) => [
    code(name),
    input.default === undefined || input.default === '' ? '' : code(input.default),
    cell(input.description),
  ]);
  const outputs = Object.entries(action.outputs).map(([name, output]) => [code(name), cell(output.description)]);
  return [
    '### Action inputs',
    '',
    'All inputs are optional as far as the runner is concerned; a login needs `username` and `password`, an audit (`mode: audit`) needs `username` and `hub-password`.',
    '',
    ...table(['Input', 'Default', 'Description'], inputs),
    '',
    '### Action outputs',
    '',
    'An output whose value is unknown is empty, never guessed.',
    '',
    ...table(['Output', 'Description'], outputs),
  ];
}

function optionName(name: string, spec: OptionSpec): string {
  return code(spec.value === undefined ? `--${name}` : `--${name} ${spec.value}`);
}

function commandSection(name: (typeof COMMAND_NAMES)[number]): string[] {
  const command = COMMANDS[name];
  const options = command.options.map((option) => [optionName(option, OPTIONS[option]), cell(OPTIONS[option].help)]);
  const lines = [`#### \`docker-pat ${name}\``, '', cell(command.summary), '', '```', command.usage, '```', '', ...table(['Option', 'Meaning'], options)];
  if (command.environment.length > 0) {
    lines.push('', 'Environment:', '');
    for (const entry of command.environment) {
      const [variable = '', ...rest] = entry.trim().split(/\s{2,}/);
      lines.push(`- ${code(variable)}: ${rest.join(' ')}`);
    }
  }
  return lines;
}

function cliSections(): string[] {
  const exitRows = (Object.keys(EXIT) as Array<keyof typeof EXIT>)
    .sort((a, b) => EXIT[a] - EXIT[b])
    .map((key) => [code(String(EXIT[key])), EXIT_MEANINGS[key]]);
  return [
    '### Command line',
    '',
    '`docker-pat --help` lists the commands, `docker-pat COMMAND --help` the options of one, `docker-pat --version` prints the version.',
    '',
    ...COMMAND_NAMES.flatMap((name) => [...commandSection(name), '']),
    '#### Exit codes',
    '',
    ...table(['Code', 'Meaning'], exitRows),
  ];
}

function codeSections(): string[] {
  const errors = ERROR_CODES.map((name) => [code(name), cell(ERROR_CATALOG[name].meaning), cell(ERROR_CATALOG[name].fix)]);
  const findings = FINDING_CODES.map((name) => [code(name), FINDING_CATALOG[name].severity, cell(FINDING_CATALOG[name].meaning), cell(FINDING_CATALOG[name].fix)]);
  return [
    '### Error codes',
    '',
    'An error stops the check: the Action fails the step with `::error title=CODE::CODE: message fix`, the CLI prints `ERROR CODE: message` and `fix: ...` and exits 1. The message names the registry, field or repository concerned; the fix below is the usual one.',
    '',
    ...table(['Code', 'Meaning', 'Usual fix'], errors),
    '',
    '### Finding codes',
    '',
    'Findings are what the check learned about the token besides its access. Errors fail the step (exit 1); warnings are annotations (exit 3), and fail the step with `strict`; notices only inform.',
    '',
    ...table(['Code', 'Severity', 'Meaning', 'Usual fix'], findings),
  ];
}

/** The generated markdown that goes between the markers (without them). */
export function renderReference(): string {
  return [
    '## Reference',
    '',
    'Generated from `action.yml`, the CLI\'s command table (`src/cli/commands.ts`) and `src/core/error-catalog.ts` by',
    '`npx tsx test/tools/readme-reference.ts --write`; a test fails when this section and the code disagree.',
    '',
    ...actionSections(readActionDefinition()),
    '',
    ...cliSections(),
    '',
    ...codeSections(),
  ].join('\n');
}

/** README text with the generated section in place; throws when the markers are missing. */
export function withReference(readme: string, reference: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md must hold ${START_MARKER} followed by ${END_MARKER}`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${reference}\n${readme.slice(end)}`;
}
