/**
 * One issue per audited account, kept in step with the audit: opened when a token needs
 * attention, rewritten on every run while something does, closed once nothing does. The issue
 * is found by label and exact title, so renaming it by hand detaches it on purpose.
 */
import { DockerPatError } from '../core/index.js';

export const AUDIT_ISSUE_LABEL = 'docker-pat-audit';

export function auditIssueTitle(account: string): string {
  return `docker-pat: tokens of ${account} need attention`;
}

export interface IssueTarget {
  /** GITHUB_API_URL; tests point it at a local fake. */
  apiUrl: string;
  /** owner/name, from GITHUB_REPOSITORY. */
  repository: string;
  token: string;
  /** Bound on everything one sync asks of the GitHub API; default 30 s. */
  timeoutMs?: number;
}

export interface AuditIssueContent {
  account: string;
  /** The issue body listing what needs attention; undefined when nothing does. */
  attention: string | undefined;
}

export type IssueOutcome = { action: 'opened' | 'updated' | 'closed'; number: number; url: string } | { action: 'none' };

interface ExistingIssue {
  number: number;
  html_url: string;
}

const CLOSING_COMMENT = 'The latest docker-pat audit found nothing that needs attention: closing.';
const DEFAULT_TIMEOUT_MS = 30_000;

function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new DockerPatError('bad-input', `report-issue: GITHUB_REPOSITORY '${repository}' is not owner/name.`, 'Run the audit inside a GitHub Actions job, which sets GITHUB_REPOSITORY.', { field: 'report-issue' });
  }
  return { owner, repo };
}

/**
 * GitHub's refusals become errors with a fix; the token never appears (octokit redacts it too).
 * Octokit gives a request that got no response status 500 as well, so only an error that carries
 * a response is an answer from GitHub.
 */
function issueApiError(error: unknown, timedOut: boolean, timeoutMs: number): DockerPatError {
  if (timedOut) {
    return new DockerPatError('timeout', `report-issue: the GitHub API did not answer within ${Math.round(timeoutMs / 1000)} s.`, "Check GITHUB_API_URL and the runner's network, then run the audit again.", { field: 'report-issue' });
  }
  const response = typeof error === 'object' && error !== null ? (error as { response?: { status?: unknown } }).response : undefined;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  if (status === 401 || status === 403 || status === 404) {
    return new DockerPatError(
      'bad-credentials',
      `report-issue: GitHub refused to manage the audit issue (HTTP ${status}).`,
      'Give the job permissions: issues: write, or pass a github-token that may write issues in this repository.',
      { field: 'github-token' },
    );
  }
  if (status === undefined) {
    return new DockerPatError('unreachable', 'report-issue: the GitHub API could not be reached.', 'Check GITHUB_API_URL and the runner\'s network, then run the audit again.', { field: 'report-issue' });
  }
  return new DockerPatError('registry-error', `report-issue: the GitHub API answered HTTP ${status}.`, 'Run the audit again; if it persists, check https://www.githubstatus.com.', { field: 'report-issue' });
}

export async function syncAuditIssue(target: IssueTarget, content: AuditIssueContent): Promise<IssueOutcome> {
  const { owner, repo } = splitRepository(target.repository);
  // Only audit mode needs the GitHub client; the login bundle never loads it.
  const { getOctokit } = await import('@actions/github');
  const { defaults } = await import('@actions/github/lib/utils');
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  // A `request` option replaces the runner-aware one (proxy, fetch) as a whole, so that is kept.
  const octokit = getOctokit(target.token, { baseUrl: target.apiUrl, request: { ...defaults.request, signal } });
  const title = auditIssueTitle(content.account);
  try {
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', labels: AUDIT_ISSUE_LABEL, per_page: 100 });
    const existing: ExistingIssue | undefined = open.find((issue) => issue.title === title && issue.pull_request === undefined);
    if (content.attention === undefined) {
      if (existing === undefined) return { action: 'none' };
      await octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: CLOSING_COMMENT });
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
      return { action: 'closed', number: existing.number, url: existing.html_url };
    }
    if (existing !== undefined) {
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, body: content.attention });
      return { action: 'updated', number: existing.number, url: existing.html_url };
    }
    const created = await octokit.rest.issues.create({ owner, repo, title, body: content.attention, labels: [AUDIT_ISSUE_LABEL] });
    return { action: 'opened', number: created.data.number, url: created.data.html_url };
  } catch (error) {
    throw issueApiError(error, signal.aborted, timeoutMs);
  }
}
