/**
 * GitLab CI examples in the documentation: whether a block is a pipeline (or a piece of one), what
 * it asks of the docker-pat templates (inputs they declare, the ones they require, the SHA-256 a
 * remote include pins), and the same pipeline with the templates included from the local copy
 * that gitlab-harness.ts commits (`$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA`), so
 * gitlab-ci-local expands it offline.
 */
import { createHash } from 'node:crypto';
import { isMap, isSeq, parseAllDocuments, parseDocument, type CollectionTag, type YAMLMap } from 'yaml';

/** GitLab's `!reference [job, key]`, read as the list it is written as. */
const REFERENCE_TAG: CollectionTag = { tag: '!reference', collection: 'seq', default: false, resolve: (seq) => seq };
export const GITLAB_YAML = { customTags: [REFERENCE_TAG] };

export const TEMPLATE_NAMES = ['docker-pat-check', 'docker-pat-login'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

type Json = Record<string, unknown>;

const PIPELINE_KEYWORDS = new Set(['include', 'stages', 'default', 'workflow', 'variables', 'spec']);
const JOB_KEYWORDS = new Set(['script', 'extends', 'before_script', 'after_script', 'trigger', 'stage', 'image', 'services', 'rules', 'needs', 'artifacts']);
const COMPONENT = /^.+\/(docker-pat-check|docker-pat-login)@[^/\s]+$/;
const REMOTE = /\/docker-pat\/[^/]+\/gitlab\/templates\/(docker-pat-check|docker-pat-login)\/template\.yml$/;
/** What fills a required input when a fragment leaves the include out. */
const FILLER = 'docs-example';

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isGitlabPipeline(value: unknown): boolean {
  return isJson(value) && Object.entries(value).some(([key, job]) => PIPELINE_KEYWORDS.has(key) || (isJson(job) && Object.keys(job).some((k) => JOB_KEYWORDS.has(k))));
}

export function localComponent(name: TemplateName): string {
  return `$CI_SERVER_FQDN/$CI_PROJECT_PATH/${name}@$CI_COMMIT_SHA`;
}

export interface TemplateSpec {
  name: TemplateName;
  inputs: Record<string, { default?: unknown }>;
  /** The job name the template gives its job when `job-name` is left out. */
  jobName: string;
  /** What `include: remote: ... integrity:` must say for this very file. */
  integrity: string;
}

export function templateSpec(name: TemplateName, file: Buffer): TemplateSpec {
  const header = parseAllDocuments(file.toString('utf8'))[0]?.toJS() as { spec: { inputs: TemplateSpec['inputs'] } };
  const jobName = String(header.spec.inputs['job-name']?.default ?? '');
  return { name, inputs: header.spec.inputs, jobName, integrity: `sha256-${createHash('sha256').update(file).digest('base64')}` };
}

interface TemplateInclude {
  template: TemplateName;
  remote: boolean;
  inputs: Json;
  integrity: unknown;
}

function templateOf(include: unknown): TemplateInclude | undefined {
  if (!isJson(include)) return undefined;
  const inputs = isJson(include.inputs) ? include.inputs : {};
  const component = typeof include.component === 'string' ? COMPONENT.exec(include.component) : null;
  if (component !== null) return { template: component[1] as TemplateName, remote: false, inputs, integrity: include.integrity };
  const remote = typeof include.remote === 'string' ? REMOTE.exec(include.remote) : null;
  if (remote !== null) return { template: remote[1] as TemplateName, remote: true, inputs, integrity: include.integrity };
  return undefined;
}

function includesOf(pipeline: Json): unknown[] {
  return Array.isArray(pipeline.include) ? pipeline.include : pipeline.include === undefined ? [] : [pipeline.include];
}

export function templateIncludes(pipeline: Json): TemplateInclude[] {
  return includesOf(pipeline).flatMap((include) => templateOf(include) ?? []);
}

/** Inputs a template does not declare, required inputs left out, and a remote include not pinned to the file. */
export function includeProblems(pipeline: Json, specs: ReadonlyMap<TemplateName, TemplateSpec>): string[] {
  const problems: string[] = [];
  for (const { template, remote, inputs, integrity } of templateIncludes(pipeline)) {
    const spec = specs.get(template);
    if (spec === undefined) continue;
    for (const input of Object.keys(inputs)) {
      if (!(input in spec.inputs)) problems.push(`${template}: input \`${input}\` is not declared in its spec:inputs (${Object.keys(spec.inputs).join(', ')})`);
    }
    for (const [input, declared] of Object.entries(spec.inputs)) {
      if (declared.default === undefined && !(input in inputs)) problems.push(`${template}: the required input \`${input}\` is missing`);
    }
    if (remote && integrity !== spec.integrity) {
      problems.push(`${template}: a remote include must pin the file with \`integrity: ${spec.integrity}\` (the SHA-256 of gitlab/templates/${template}/template.yml), not ${JSON.stringify(integrity)}`);
    }
  }
  return problems;
}

/**
 * The example with each docker-pat include pointing at the local copy (a remote include loses its
 * `integrity`, which only a remote file can have). A fragment that uses a template's job without
 * including the template (the docs show the include once, then only the job) gets the include,
 * with its required inputs filled in.
 */
export function previewablePipeline(text: string, specs: readonly TemplateSpec[]): string {
  const doc = parseDocument(text, GITLAB_YAML);
  const include = doc.get('include', true);
  const items = isSeq(include) ? include.items : include === undefined ? [] : [include];
  const included = new Set<TemplateName>();
  for (const item of items) {
    const template = templateOf(isMap(item) ? item.toJSON() : undefined);
    if (template === undefined) continue;
    const map = item as YAMLMap;
    map.set('component', localComponent(template.template));
    map.delete('remote');
    map.delete('integrity');
    included.add(template.template);
  }
  const body = doc.toJS() as Json;
  const missing = specs.filter((spec) => !included.has(spec.name) && !(spec.jobName in body) && text.includes(spec.jobName));
  for (const spec of missing) {
    const inputs = Object.fromEntries(Object.entries(spec.inputs).flatMap(([name, declared]) => (declared.default === undefined ? [[name, FILLER]] : [])));
    const node = doc.createNode({ component: localComponent(spec.name), inputs });
    if (isSeq(include)) include.add(node);
    else if (include === undefined) doc.set('include', doc.createNode([node]));
    else doc.set('include', doc.createNode([include, node]));
  }
  return doc.toString();
}
