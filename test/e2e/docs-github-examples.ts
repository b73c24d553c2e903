/**
 * GitHub Actions examples in the documentation: the shape of a block (a whole workflow, a `jobs:`
 * map, one job's body or a list of steps), the smallest workflow that holds it unchanged, and
 * whether it uses the Action as action.yml declares it: only inputs it has, only outputs it sets.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './cli-bundle.js';

export type GithubShape = 'workflow' | 'jobs' | 'job' | 'steps';
type YamlMap = Record<string, unknown>;

const VALIDATOR = join(ROOT, 'node_modules', '.bin', 'action-validator');
const STEP_OUTPUT = /\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;

function isYamlMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function githubShape(value: unknown): GithubShape | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every((step) => isYamlMap(step) && ('uses' in step || 'run' in step)) ? 'steps' : undefined;
  if (!isYamlMap(value)) return undefined;
  if ('jobs' in value) return 'on' in value ? 'workflow' : 'jobs';
  return 'steps' in value ? 'job' : undefined;
}

/** The example inside the least a workflow needs (a name, a trigger, a job and its runner). */
export function asWorkflow(example: unknown, shape: GithubShape, name: string): YamlMap {
  const job = (body: YamlMap): YamlMap => ({ name, on: 'push', jobs: { example: { 'runs-on': 'ubuntu-latest', ...body } } });
  switch (shape) {
    case 'workflow':
      return example as YamlMap;
    case 'jobs':
      return { name, on: 'push', ...(example as YamlMap) };
    case 'job':
      return job(example as YamlMap);
    case 'steps':
      return job({ steps: example });
  }
}

export interface ActionInterface {
  inputs: Set<string>;
  outputs: Set<string>;
}

export function actionInterface(actionYml: string): ActionInterface {
  const action = parse(actionYml) as { inputs?: YamlMap; outputs?: YamlMap };
  return { inputs: new Set(Object.keys(action.inputs ?? {})), outputs: new Set(Object.keys(action.outputs ?? {})) };
}

/** `./` in this repository, OWNER/docker-pat@REF anywhere else. */
export function isThisAction(uses: unknown): boolean {
  return uses === './' || (typeof uses === 'string' && /^[^/@\s]+\/docker-pat@\S+$/.test(uses));
}

function jobsOf(workflow: YamlMap): Array<[string, YamlMap]> {
  return isYamlMap(workflow.jobs) ? Object.entries(workflow.jobs).filter((entry): entry is [string, YamlMap] => isYamlMap(entry[1])) : [];
}

function stepsOf(job: YamlMap): YamlMap[] {
  return Array.isArray(job.steps) ? job.steps.filter(isYamlMap) : [];
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isYamlMap(value) ? Object.values(value).flatMap(stringsIn) : [];
}

export function stepsUsingThisAction(workflow: YamlMap): YamlMap[] {
  return jobsOf(workflow).flatMap(([, job]) => stepsOf(job).filter((step) => isThisAction(step.uses)));
}

/** Each `with:` key given to the Action and each `steps.ID.outputs.NAME` read from it, checked against action.yml. */
export function actionUsageProblems(workflow: YamlMap, action: ActionInterface): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    const steps = stepsOf(job);
    for (const step of steps.filter((s) => isThisAction(s.uses))) {
      for (const input of Object.keys(isYamlMap(step.with) ? step.with : {})) {
        if (!action.inputs.has(input)) problems.push(`job ${jobId}: \`with: ${input}\` is not an input of action.yml`);
      }
    }
    for (const text of stringsIn(job)) {
      for (const [reference, id, output] of text.matchAll(STEP_OUTPUT)) {
        const step = steps.find((s) => s.id === id);
        if (step === undefined) problems.push(`job ${jobId}: \`${reference}\` names no step of this job (no step has id: ${id})`);
        else if (isThisAction(step.uses) && !action.outputs.has(output ?? '')) problems.push(`job ${jobId}: \`${reference}\` is not an output of action.yml`);
      }
    }
  }
  return problems;
}

export interface Validation {
  exitCode: number;
  output: string;
}

/** @action-validator/cli on one workflow file (it reads a file named other than action.yml as a workflow). */
export function validateWorkflow(file: string): Promise<Validation> {
  return new Promise((resolve) => {
    execFile(VALIDATOR, [file], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ exitCode: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}` });
    });
  });
}
