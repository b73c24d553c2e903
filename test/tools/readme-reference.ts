/**
 * Regenerates README.md's reference section from the code's own definitions.
 *   npx tsx test/tools/readme-reference.ts          exits 1 when README.md is out of date
 *   npx tsx test/tools/readme-reference.ts --write  rewrites the section in place
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { README_PATH, renderReference, withReference } from './reference-sections.js';

const readme = readFileSync(README_PATH, 'utf8');
const expected = withReference(readme, renderReference());

if (process.argv.includes('--write')) {
  writeFileSync(README_PATH, expected);
  console.log(expected === readme ? 'README.md reference is already up to date.' : 'README.md reference rewritten.');
} else if (expected !== readme) {
  console.error('README.md reference is out of date: run npx tsx test/tools/readme-reference.ts --write');
  process.exitCode = 1;
} else {
  console.log('README.md reference is up to date.');
}
