/**
 * How output looks where it runs: colour only on a terminal (or in GitLab, whose job log renders
 * ANSI), never with NO_COLOR; GitLab gets collapsible sections around the details.
 */
const ESC = '\u001b';
const CODES = { red: '1;91', yellow: '1;93', green: '1;92', cyan: '36', dim: '2', bold: '1' } as const;
export type Colour = keyof typeof CODES;

export interface Style {
  colour: boolean;
  gitlab: boolean;
  now: () => Date;
}

export function chooseStyle(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, now: () => Date = () => new Date()): Style {
  const gitlab = env.GITLAB_CI === 'true';
  const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { colour: !noColour && (gitlab || stdoutIsTTY), gitlab, now };
}

export function paint(style: Style, colour: Colour, text: string): string {
  return style.colour && text !== '' ? `${ESC}[${CODES[colour]}m${text}${ESC}[0m` : text;
}

/** GitLab section names may hold letters, digits, '_', '.' and '-'. */
function sectionName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function timestamp(style: Style): number {
  return Math.floor(style.now().getTime() / 1000);
}

/** Wraps `body` in a collapsed GitLab section titled `header`; elsewhere, header then body. */
export function section(style: Style, name: string, header: string, body: string[]): string[] {
  if (!style.gitlab) return [header, ...body];
  const id = sectionName(name);
  return [
    `${ESC}[0Ksection_start:${timestamp(style)}:${id}[collapsed=true]\r${ESC}[0K${header}`,
    ...body,
    `${ESC}[0Ksection_end:${timestamp(style)}:${id}\r${ESC}[0K`,
  ];
}

const LABELS = { error: ['ERROR', 'red'], warning: ['WARN', 'yellow'], notice: ['NOTE', 'cyan'], ok: ['OK', 'green'] } as const;
export type Level = keyof typeof LABELS;
const LABEL_WIDTH = 5;

/** A level label and its text; continuation lines are indented under the text. */
export function levelLine(style: Style, level: Level, text: string, more: string[] = []): string[] {
  const [label, colour] = LABELS[level];
  const indent = ' '.repeat(LABEL_WIDTH + 1);
  return [`${paint(style, colour, label.padEnd(LABEL_WIDTH))} ${text}`, ...more.map((line) => `${indent}${line}`)];
}
