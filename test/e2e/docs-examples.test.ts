/**
 * Every example in the documentation is parsed and validated, so a reader who copies one gets
 * something that works: each fenced yaml block (and each diff, as it reads after the change) of
 * README.md, gitlab/README.md, CONTRIBUTING.md and SECURITY.md, and each `docker-pat` command line
 * in their shell blocks. GitHub examples pass @action-validator/cli (a fragment inside the least
 * workflow that holds it) and use the Action as action.yml declares it; GitLab examples pass
 * GitLab's CI schema and expand with `gitlab-ci-local --preview` against the local templates,
 * whose spec:inputs they respect. Failures name the file and line of the block.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { dedent, diffNewSide, joinLines, markdownCodeBlocks, type CodeBlock, type SourceLine } from '../support/markdown-code-blocks.js';
import { shellCommands } from '../support/shell-commands.js';
import { ROOT } from './cli-bundle.js';
import { cliUsageProblem, dockerPatArguments } from './docs-cli-examples.js';
import { actionInterface, actionUsageProblems, asWorkflow, githubShape, stepsUsingThisAction, validateWorkflow, type Validation } from './docs-github-examples.js';
import {
  GITLAB_YAML,
  includeProblems,
  isGitlabPipeline,
  previewablePipeline,
  TEMPLATE_NAMES,
  templateIncludes,
  templateSpec,
  type TemplateName,
  type TemplateSpec,
} from './docs-gitlab-examples.js';
import { GitLabProject, type PipelineResult } from './gitlab-harness.js';
import { compileSchema, gitlabCiSchema, type Validate } from './gitlab-schema.js';

const DOCUMENTS = ['README.md', 'gitlab/README.md', 'CONTRIBUTING.md', 'SECURITY.md'];
const YAML_LANGUAGES = new Set(['yaml', 'yml', 'diff']);
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);
/** A bare fence is output or a usage line, shown as text. */
const CHECKED_LANGUAGES = new Set([...YAML_LANGUAGES, ...SHELL_LANGUAGES, '']);

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version;
const ACTION = actionInterface(read('action.yml'));
const blocks = DOCUMENTS.flatMap((file) => markdownCodeBlocks(read(file), file));

interface YamlExample {
  where: string;
  block: CodeBlock;
  /** The block's lines as YAML reads them (a diff's new side, its shared indentation removed). */
  lines: SourceLine[];
  problems: string[];
  value: unknown;
}

function yamlExample(block: CodeBlock): YamlExample {
  const where = `${block.file}:${block.line}`;
  let lines: SourceLine[];
  try {
    lines = block.language === 'diff' ? dedent(diffNewSide(block)) : block.content;
  } catch (error) {
    return { where, block, lines: [], problems: [String(error)], value: undefined };
  }
  const docs = parseAllDocuments(joinLines(lines), GITLAB_YAML);
  const all = Array.isArray(docs) ? docs : [];
  const problems = all.flatMap((doc) =>
    [...doc.errors, ...doc.warnings].map((e) => `${block.file}:${lines[(e.linePos?.[0].line ?? 1) - 1]?.line ?? block.line}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '')}`),
  );
  if (all.length !== 1) problems.push(`${where}: the block holds ${all.length} YAML documents, not one`);
  return { where, block, lines, problems, value: all[0]?.toJS() };
}

const yamlExamples = blocks.filter((b) => YAML_LANGUAGES.has(b.language)).map(yamlExample);
const githubExamples = yamlExamples.flatMap((example) => {
  const shape = githubShape(example.value);
  return shape === undefined ? [] : [{ ...example, shape, workflow: asWorkflow(example.value, shape, `docs example ${example.where}`) }];
});
const gitlabExamples = yamlExamples.filter((e) => githubShape(e.value) === undefined && isGitlabPipeline(e.value));
const shellCommandLines = blocks
  .filter((b) => SHELL_LANGUAGES.has(b.language))
  .flatMap((block) => shellCommands(block.content).map(({ words, line }) => ({ where: `${block.file}:${line}`, words })));
/** Each `docker-pat ...` command line of the shell blocks, as the arguments after the program. */
const cliExamples = shellCommandLines.flatMap(({ where, words }) => {
  const args = dockerPatArguments(words);
  return args === undefined ? [] : [{ where, args, shown: args.join(' ') }];
});
/** INPUT_NAME=value lines, as in the .env file @github/local-action reads. */
const actionEnvExamples = shellCommandLines.flatMap(({ where, words }) => words.flatMap((word) => /^INPUT_([^=]+)=/.exec(word)?.slice(1).map((name) => ({ where, name })) ?? []));

describe('the code blocks of README.md, gitlab/README.md, CONTRIBUTING.md and SECURITY.md', () => {
  it('are yaml, diff, sh or plain text, each a kind this test checks', () => {
    expect(blocks.filter((b) => !CHECKED_LANGUAGES.has(b.language)).map((b) => `${b.file}:${b.line} ${b.language}`)).toEqual([]);
  });

  it('include the examples this test is meant to check: GitHub and GitLab quick starts, the migration diff, CLI command lines', () => {
    const from = (file: string, list: Array<{ block: CodeBlock }>) => list.filter((e) => e.block.file === file).length;
    expect(from('README.md', githubExamples)).toBeGreaterThanOrEqual(2);
    expect(githubExamples.some((e) => e.block.language === 'diff')).toBe(true);
    expect(from('README.md', gitlabExamples)).toBeGreaterThanOrEqual(2);
    expect(from('gitlab/README.md', gitlabExamples)).toBeGreaterThanOrEqual(3);
    expect(cliExamples.map((e) => e.args[0])).toEqual(expect.arrayContaining(['check', 'login', 'logout']));
    expect(actionEnvExamples.length).toBeGreaterThan(0);
  });

  it.each(yamlExamples)('$where parses as one YAML document and is a GitHub or a GitLab example', ({ where, problems, value }) => {
    expect(problems).toEqual([]);
    expect(githubShape(value) !== undefined || isGitlabPipeline(value) ? where : `${where}: neither a GitHub workflow (or its jobs or steps) nor a GitLab pipeline`).toBe(where);
  });

  it(`name no version but the package's (${VERSION})`, () => {
    const versions = /(?:docker-pat(?:-check|-login)?@v?|\/docker-pat\/v)(\d+\.\d+\.\d+[\w.-]*)/g;
    const found = blocks.flatMap((b) => b.content.flatMap(({ text, line }) => [...text.matchAll(versions)].map((m) => `${b.file}:${line} ${m[1] ?? ''}`)));
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !f.endsWith(` ${VERSION}`))).toEqual([]);
  });
});

describe('GitHub workflow examples', () => {
  let dir = '';
  const validations = new Map<string, Validation>();
  const broken = { ...(githubExamples[0]?.workflow ?? {}), on: 'pushed-or-merged' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docs-workflows-'));
    // A whole workflow is validated as written; a fragment as the workflow built around it.
    const text = (e: (typeof githubExamples)[number]) => (e.shape === 'workflow' ? joinLines(e.lines) : stringify(e.workflow));
    const files = [...githubExamples.map((e, i) => [e.where, `example-${i}.yml`, text(e)] as const), ['broken', 'broken.yml', stringify(broken)] as const];
    await Promise.all(
      files.map(async ([where, name, workflow]) => {
        writeFileSync(join(dir, name), workflow);
        validations.set(where, await validateWorkflow(join(dir, name)));
      }),
    );
  }, 60_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it.each(githubExamples)('$where ($shape) passes action-validator as a workflow', ({ where }) => {
    expect(validations.get(where)).toEqual({ exitCode: 0, output: '' });
  });

  it('action-validator refuses a broken example, so the check above can fail', () => {
    expect(validations.get('broken')?.exitCode).not.toBe(0);
  });

  it.each(githubExamples)('$where uses the Action with inputs and outputs action.yml declares', ({ where, workflow }) => {
    expect(stepsUsingThisAction(workflow).length).toBeGreaterThan(0);
    expect(actionUsageProblems(workflow, ACTION).map((p) => `${where}: ${p}`)).toEqual([]);
  });

  const workflowFiles = readdirSync(join(ROOT, '.github/workflows'))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => ({ name, workflow: parseAllDocuments(read(`.github/workflows/${name}`))[0]?.toJS() as Record<string, unknown> }))
    .filter(({ workflow }) => stepsUsingThisAction(workflow).length > 0);
  it.each(workflowFiles)('.github/workflows/$name uses the Action with inputs and outputs action.yml declares', ({ workflow }) => {
    expect(actionUsageProblems(workflow, ACTION)).toEqual([]);
  });

  it('the input and output check finds an input and an output action.yml does not declare, and a step that does not exist', () => {
    const workflow = asWorkflow(
      [
        { id: 'login', uses: 'OWNER/docker-pat@v1.0.0', with: { username: 'me', need: 'push' } },
        { run: 'echo ${{ steps.login.outputs.scopes }} ${{ steps.logon.outputs.scope }} ${{ steps.login.outputs.scope }}' },
      ],
      'steps',
      'control',
    );
    expect(actionUsageProblems(workflow, ACTION)).toEqual([
      'job example: `with: need` is not an input of action.yml',
      'job example: `steps.login.outputs.scopes` is not an output of action.yml',
      'job example: `steps.logon.outputs.scope` names no step of this job (no step has id: logon)',
    ]);
  });
});

describe('GitLab CI examples', () => {
  const specs = new Map<TemplateName, TemplateSpec>(TEMPLATE_NAMES.map((name) => [name, templateSpec(name, readFileSync(join(ROOT, 'gitlab/templates', name, 'template.yml')))]));
  const previews = new Map<string, PipelineResult>();
  const controls = [
    ['a value the regex refuses', `include:\n  - component: $CI_SERVER_FQDN/docker-pat/components/docker-pat-check@${VERSION}\n    inputs:\n      username: myorg\n      needs: write\n`],
    ['a pipeline the schema refuses', 'build:\n  script: [make]\n  allow_failure:\n    exit_codes: three\n'],
  ] as const;
  let project: GitLabProject;
  let validate: Validate;

  const schemaErrors = (data: unknown) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

  beforeAll(async () => {
    const pipelines = [...gitlabExamples.map((e) => [e.where, joinLines(e.lines)] as const), ...controls];
    const files = Object.fromEntries(pipelines.map(([, text], i) => [`example-${i}.yml`, previewablePipeline(text, [...specs.values()])]));
    [project, validate] = await Promise.all([GitLabProject.create(files, {}), gitlabCiSchema().then(compileSchema)]);
    // One gitlab-ci-local per example (each is a pipeline of its own), all at once, each with its own state dir.
    await Promise.all(
      pipelines.map(async ([where], i) => previews.set(where, await project.run(['--preview', '--file', `example-${i}.yml`, '--state-dir', `.gitlab-ci-local/example-${i}`]))),
    );
  }, 120_000);

  afterAll(async () => {
    await project?.remove();
  });

  it.each(gitlabExamples)('$where passes GitLab CI schema as written', ({ where, value }) => {
    expect(schemaErrors(value).map((e) => `${where}: ${e}`)).toEqual([]);
  });

  it.each(gitlabExamples.filter((e) => templateIncludes(e.value as Record<string, unknown>).length > 0))("$where gives the docker-pat templates only inputs their spec declares, every required one, and a remote include the file's SHA-256", ({ where, value }) => {
    expect(includeProblems(value as Record<string, unknown>, specs).map((p) => `${where}: ${p}`)).toEqual([]);
  });

  it.each(gitlabExamples)('$where expands with gitlab-ci-local --preview against the local templates, and gitlab-ci-local validates the result with the schema', ({ where }) => {
    const preview = previews.get(where);
    expect({ where, code: preview?.code, output: preview?.code === 0 ? '' : preview?.output }).toEqual({ where, code: 0, output: '' });
    expect(preview?.output).toMatch(/^json schema validated/m);
  });

  it("gitlab/.gitlab-ci.yml, the component project's own pipeline, gives the templates only inputs their spec declares", () => {
    const own = parseAllDocuments(read('gitlab/.gitlab-ci.yml'))[0]?.toJS() as Record<string, unknown>;
    expect(includeProblems(own, specs)).toEqual([]);
  });

  it('the checks refuse an input a template lacks or a value its regex refuses, a missing required input and a remote include not pinned to the file', () => {
    expect(previews.get('a value the regex refuses')).toMatchObject({ code: 1, output: expect.stringMatching(/`needs` input: `write` does not match required regex/) });
    expect(previews.get('a pipeline the schema refuses')).toMatchObject({ code: 1, output: expect.stringMatching(/Invalid .gitlab-ci.yml configuration/) });
    const pipeline = {
      include: [
        { component: `$CI_SERVER_FQDN/docker-pat/components/docker-pat-login@${VERSION}`, inputs: { usernme: 'myorg' } },
        { remote: `https://raw.githubusercontent.com/OWNER/docker-pat/v${VERSION}/gitlab/templates/docker-pat-check/template.yml`, integrity: 'sha256-x', inputs: { username: 'myorg' } },
      ],
    };
    expect(includeProblems(pipeline, specs)).toEqual([
      expect.stringMatching(/^docker-pat-login: input `usernme` is not declared/),
      'docker-pat-login: the required input `username` is missing',
      expect.stringMatching(/^docker-pat-check: a remote include must pin the file with `integrity: sha256-[A-Za-z0-9+/]{43}=`/),
    ]);
  });
});

describe('shell examples', () => {
  it.each(cliExamples)('$where docker-pat $shown: the CLI knows the command and each option', async ({ args }) => {
    expect(await cliUsageProblem(args)).toBeUndefined();
  });

  it.each(actionEnvExamples)("$where INPUT_$name is one of the Action's inputs", ({ name }) => {
    expect(ACTION.inputs.has(name.toLowerCase()) ? name : `${name}: not in action.yml`).toBe(name);
  });

  it('the command line check refuses an option the CLI lacks, one another command owns, and a token as argument', async () => {
    expect(await cliUsageProblem(['check', '--username', 'me', '--force'])).toMatch(/--force/);
    expect(await cliUsageProblem(['logout', '--username', 'me'])).toMatch(/--username/);
    expect(await cliUsageProblem(['--verbose'])).toBeDefined();
    expect(await cliUsageProblem(['login', '--username', 'me', '--repository', 'dckr_pat_0123456789abcdef'])).toMatch(/looks like a token/);
    expect(await cliUsageProblem(['login', '--username', 'me', '--needs', 'push', '--repository', 'me/app', '--dry-run'])).toBeUndefined();
    expect(await cliUsageProblem(['--version'])).toBeUndefined();
  });
});

describe('the readers the checks rely on', () => {
  it('markdownCodeBlocks finds fences of either kind, removes a list item indentation, keeps line numbers and refuses an unclosed fence', () => {
    const markdown = ['# t', '', '1. step', '', '   ```yaml', '   a: 1', '     b: 2', '   ```', '', '~~~~ sh', '```', '~~~~', '```'].join('\n');
    expect(() => markdownCodeBlocks(markdown, 'x.md')).toThrow('x.md:13: this code block is never closed');
    expect(markdownCodeBlocks(markdown.split('\n').slice(0, 12).join('\n'), 'x.md')).toEqual([
      { file: 'x.md', line: 5, language: 'yaml', content: [{ text: 'a: 1', line: 6 }, { text: '  b: 2', line: 7 }] },
      { file: 'x.md', line: 10, language: 'sh', content: [{ text: '```', line: 11 }] },
    ]);
  });

  it('diffNewSide keeps context and added lines, drops removed ones, and refuses a line without a marker', () => {
    const block = (lines: string[]): CodeBlock => ({ file: 'x.md', line: 1, language: 'diff', content: lines.map((text, i) => ({ text, line: i + 2 })) });
    expect(dedent(diffNewSide(block(['   a:', '-    b: 1', '+    b: 2', '', '     c: 3'])))).toEqual([
      { text: 'a:', line: 2 },
      { text: '  b: 2', line: 4 },
      { text: '', line: 5 },
      { text: '  c: 3', line: 6 },
    ]);
    expect(() => diffNewSide(block([' a:', 'b: 1']))).toThrow("x.md:3: a diff line starts with ' ', '+', '-' or '@@', not 'b'");
  });

  it('shellCommands splits commands on operators and newlines, joins continued lines, honours quotes and drops comments and redirections', () => {
    const source = [
      'export A=1 && docker-pat check --username "my name" \\',
      "  --repository 'a/b c/d' # trailing comment",
      'npm test 2>&1 | tee log; echo "a # b" > out',
    ].map((text, i) => ({ text, line: i + 10 }));
    expect(shellCommands(source)).toEqual([
      { words: ['export', 'A=1'], line: 10 },
      { words: ['docker-pat', 'check', '--username', 'my name', '--repository', 'a/b c/d'], line: 10 },
      { words: ['npm', 'test'], line: 12 },
      { words: ['tee', 'log'], line: 12 },
      { words: ['echo', 'a # b'], line: 12 },
    ]);
  });

  it('dockerPatArguments recognises docker-pat run directly, through npx or as the bundle, and nothing else', () => {
    expect(dockerPatArguments(['docker-pat', 'logout'])).toEqual(['logout']);
    expect(dockerPatArguments(['DOCKER_PAT=x', 'npx', '--yes', 'docker-pat@1.0.0', 'check'])).toEqual(['check']);
    expect(dockerPatArguments(['node', 'dist/cli/index.js', 'audit'])).toEqual(['audit']);
    expect(dockerPatArguments(['npm', 'install', '--global', 'docker-pat@1.0.0'])).toBeUndefined();
    expect(dockerPatArguments(['docker', 'push', 'docker-pat'])).toBeUndefined();
  });
});
