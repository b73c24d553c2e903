/**
 * Runs pipelines that use the component with gitlab-ci-local (shell executor, each job in its own
 * build dir), in a throwaway git repository shaped like the component project: templates/ at its
 * root (a copy of gitlab/templates), a committed .gitlab-ci.yml, and an origin remote so that
 * `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA` resolves locally.
 * Secrets go in the untracked variables file, never on gitlab-ci-local's command line. (A value
 * there that names an existing file becomes a file variable, copied under /tmp, so paths go in
 * the YAML's `variables:` instead.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './cli-bundle.js';

const run = promisify(execFile);
const GCL = join(ROOT, 'node_modules', '.bin', 'gitlab-ci-local');
const GCL_TIMEOUT_MS = 120_000;
export const ORIGIN = 'git@gitlab.example.com:docker-pat/components.git';

export interface PipelineResult {
  code: number;
  output: string;
  /** The summary line's status per job: PASS, FAIL or WARN (allowed to fail). */
  status: Record<string, string>;
}

export class GitLabProject {
  private constructor(
    readonly dir: string,
    private readonly home: string,
  ) {}

  /** A committed project holding `files` (paths relative to its root) and the component's templates. */
  static async create(files: Record<string, string>, variables: Record<string, string>, templatesFrom = join(ROOT, 'gitlab')): Promise<GitLabProject> {
    const dir = await mkdtemp(join(tmpdir(), 'gitlab-project-'));
    const home = await mkdtemp(join(tmpdir(), 'gitlab-home-'));
    await cp(join(templatesFrom, 'templates'), join(dir, 'templates'), { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await writeFile(join(dir, '.gitignore'), '.gitlab-ci-local/\n.gitlab-ci-local-variables.yml\n.docker-pat/\n');
    await writeFile(join(dir, '.gitlab-ci-local-variables.yml'), Object.entries(variables).map(([k, v]) => `${k}: '${v}'\n`).join(''), { mode: 0o600 });
    const git = (...args: string[]) => run('git', args, { cwd: dir });
    await git('init', '-q', '-b', 'main');
    await git('config', 'user.name', 'docker-pat tests');
    await git('config', 'user.email', 'tests@docker-pat.invalid');
    await git('remote', 'add', 'origin', ORIGIN);
    await git('add', '-A');
    await git('commit', '-q', '-m', 'component under test');
    // Without a remote-tracking HEAD gitlab-ci-local warns on every run.
    await git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    return new GitLabProject(dir, home);
  }

  async run(args: string[] = []): Promise<PipelineResult> {
    const env = { PATH: process.env.PATH, HOME: this.home, LANG: 'C.UTF-8', GCL_IGNORE_PREDEFINED_VARS: 'GITLAB_CI,CI_API_V4_URL' };
    const options = { cwd: this.dir, env, timeout: GCL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 };
    const result = await run(GCL, ['--force-shell-executor', '--shell-isolation', ...args], options).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    const status: Record<string, string> = {};
    for (const match of result.output.matchAll(/^ (PASS|FAIL|WARN) {2}(\S+)/gm)) status[match[2] ?? ''] = match[1] ?? '';
    return { ...result, status };
  }

  /** The job's own build dir (--shell-isolation): its CI_PROJECT_DIR. */
  buildDir(job: string): string {
    return join(this.dir, '.gitlab-ci-local', 'builds', job);
  }

  async jobLog(job: string): Promise<string> {
    return readFile(join(this.dir, '.gitlab-ci-local', 'output', `${job}.log`), 'utf8');
  }

  /** The dotenv report the job left for `artifacts: reports: dotenv`. */
  async dotenv(job: string, file = 'docker-pat.env'): Promise<Record<string, string>> {
    const path = join(this.buildDir(job), file);
    if (!existsSync(path)) return {};
    const text = await readFile(path, 'utf8');
    return Object.fromEntries(text.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await rm(this.home, { recursive: true, force: true });
  }
}

/** A YAML flow mapping of inputs, quoting every value. */
export function inputs(values: Record<string, string | number | boolean>): string {
  return `{ ${Object.entries(values)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)}`)
    .join(', ')} }`;
}
