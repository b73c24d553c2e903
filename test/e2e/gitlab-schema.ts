/**
 * GitLab's CI JSON schema (ci.json from gitlab-org/gitlab), as gitlab-ci-local 4.73.0 vendors it:
 * there is no ci.json file in node_modules, the schema is an object literal inside the bundle.
 * It is cut out by matching braces outside string literals and validated with the Ajv copy and
 * options gitlab-ci-local itself uses.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './cli-bundle.js';

const GCL_DIR = join(ROOT, 'node_modules', 'gitlab-ci-local');
const SCHEMA_START = '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"';

function objectLiteralAt(source: string, start: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return source.slice(start, i + 1);
    }
  }
  throw new Error('the CI schema literal in gitlab-ci-local is not closed');
}

export async function gitlabCiSchema(): Promise<Record<string, unknown>> {
  const bundle = await readFile(join(GCL_DIR, 'dist', 'index.js'), 'utf8');
  const start = bundle.indexOf(SCHEMA_START);
  if (start === -1) throw new Error('GitLab CI schema not found in gitlab-ci-local');
  // The literal is plain data (strings, numbers, arrays, objects); evaluating it builds the object.
  return new Function(`return (${objectLiteralAt(bundle, start)});`)() as Record<string, unknown>;
}

export type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

export function compileSchema(schema: Record<string, unknown>): Validate {
  const require = createRequire(join(GCL_DIR, 'package.json'));
  const AjvModule = require('ajv') as { default: new (options: Record<string, unknown>) => { compile(schema: unknown): Validate } };
  const ajv = new AjvModule.default({ allErrors: true, allowUnionTypes: true, validateFormats: false, strictTypes: false, strict: false, keywords: ['markdownDescription'] });
  return ajv.compile(schema);
}
