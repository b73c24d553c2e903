/**
 * README.md's reference section must be exactly what the code's definitions generate, so the
 * documented inputs, options, exit codes and error codes cannot drift from what ships.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { COMMANDS, COMMAND_NAMES } from '../../src/cli/commands.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { FINDING_CODES } from '../../src/core/model.js';
import { END_MARKER, README_PATH, START_MARKER, renderReference, withReference } from '../tools/reference-sections.js';

const readme = readFileSync(README_PATH, 'utf8');
const reference = renderReference();

describe('README.md reference', () => {
  it('matches what the code generates (run npx tsx test/tools/readme-reference.ts --write after a change)', () => {
    expect(withReference(readme, reference)).toBe(readme);
  });

  it('documents every input, output, command, option, error code and finding code', () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: object; outputs: object };
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(reference).toContain(`| \`${name}\` |`);
    for (const name of COMMAND_NAMES) {
      expect(reference).toContain(`#### \`docker-pat ${name}\``);
      for (const option of COMMANDS[name].options) expect(reference).toContain(`\`--${option}`);
    }
    for (const name of [...ERROR_CODES, ...FINDING_CODES]) expect(reference).toMatch(new RegExp(`^\\| \`${name}\` \\| \\S`, 'm'));
  });

  it('puts the generated section between the markers, and refuses a README without them', () => {
    const replaced = withReference(`intro\n${START_MARKER}\nold\n${END_MARKER}\noutro\n`, 'new');
    expect(replaced).toBe(`intro\n${START_MARKER}\nnew\n${END_MARKER}\noutro\n`);
    expect(() => withReference('no markers here', 'new')).toThrow(/must hold/);
  });
});
