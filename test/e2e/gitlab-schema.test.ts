import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './cli-bundle.js';
import { GitLabProject, inputs } from './gitlab-harness.js';
import { compileSchema, gitlabCiSchema, type Validate } from './gitlab-schema.js';

const TEMPLATES = ['docker-pat-check', 'docker-pat-login'];
const projects: GitLabProject[] = [];
let validate: Validate;

beforeAll(async () => {
  validate = compileSchema(await gitlabCiSchema());
});

afterAll(async () => {
  await Promise.all(projects.map((p) => p.remove()));
});

type InputSpec = { default?: unknown; type?: string; options?: unknown[]; regex?: string; description?: string };

async function template(name: string): Promise<{ header: { spec: { inputs: Record<string, InputSpec> } }; body: unknown; text: string }> {
  const text = await readFile(join(ROOT, 'gitlab', 'templates', name, 'template.yml'), 'utf8');
  const docs = parseAllDocuments(text);
  expect(docs).toHaveLength(2);
  for (const doc of docs) expect(doc.errors).toEqual([]);
  const [header, body] = docs.map((d) => d.toJS() as unknown);
  return { header: header as { spec: { inputs: Record<string, InputSpec> } }, body, text };
}

/** What GitLab does at pipeline creation: each `$[[ inputs.x ]]` replaced by its value. */
function interpolate(text: string, values: Record<string, unknown>): string {
  return text.replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_, name: string) => String(values[name]));
}

function errors(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('the templates against GitLab CI schema', () => {
  it.each(TEMPLATES)('%s: the spec:inputs header validates; every input has a description and a type, every string input options or a regex its default matches', async (name) => {
    const { header } = await template(name);
    expect(errors(header)).toEqual([]);
    for (const [input, spec] of Object.entries(header.spec.inputs)) {
      expect(`${input}: ${typeof spec.description}`).toBe(`${input}: string`);
      // A string input reaches a shell: it must be held to a list or a pattern.
      expect(spec.type !== 'string' || spec.options !== undefined || spec.regex !== undefined ? input : `${input} unconstrained`).toBe(input);
      if (spec.regex !== undefined && spec.default !== undefined) expect(new RegExp(spec.regex).test(String(spec.default)) ? input : `${input} default`).toBe(input);
    }
  });

  it.each(TEMPLATES)('%s: the body, interpolated with the defaults, validates', async (name) => {
    const { header, text } = await template(name);
    const values = Object.fromEntries(Object.entries(header.spec.inputs).map(([k, v]) => [k, v.default ?? 'alice']));
    const body = parseAllDocuments(interpolate(text, values))[1]?.toJS() as Record<string, unknown>;
    expect(errors(body)).toEqual([]);
  });

  it('the schema is strict enough to catch a broken template', () => {
    expect(errors({ spec: { inputs: { strict: { type: 'yes' } } } })).not.toEqual([]);
    expect(errors({ 'docker-pat-check': { script: 'x', allow_failure: { exit_codes: 'three' } } })).not.toEqual([]);
  });

  it("gitlab-ci-local validates a pipeline using both templates, and the component project's own .gitlab-ci.yml", async () => {
    const yaml = `
include:
  - local: templates/docker-pat-check/template.yml
    inputs: ${inputs({ username: 'alice', repositories: 'alice/app:pull,push', 'expires-at': '2030-01-31', strict: true, 'expiry-warning-days': 30 })}
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/docker-pat-login@$CI_COMMIT_SHA
    inputs: ${inputs({ username: '$DOCKERHUB_USERNAME', registry: '$CI_REGISTRY', method: 'config' })}
build:
  extends: .docker-pat-login
  script: [echo build]
`;
    const project = await GitLabProject.create({ '.gitlab-ci.yml': yaml }, {});
    projects.push(project);
    const preview = await project.run(['--preview']);
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/docker-pat-check:\n(.*\n)*? {2}allow_failure:\n {4}exit_codes:\n {6}- 3/);
    const list = await project.run(['--list']);
    expect(list.code).toBe(0);
    expect(list.output).toMatch(/json schema validated/);
    expect(list.output).toMatch(/docker-pat-check +.*test/);

    const own = await GitLabProject.create({ '.gitlab-ci.yml': await readFile(join(ROOT, 'gitlab', '.gitlab-ci.yml'), 'utf8') }, {});
    projects.push(own);
    const ownList = await own.run(['--list']);
    expect(ownList.code).toBe(0);
    expect(ownList.output).toMatch(/json schema validated/);
  });
});
