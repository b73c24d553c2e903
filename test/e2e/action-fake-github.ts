/**
 * A local fake of the GitHub issues API, just the calls the audit issue makes: list open issues
 * by label (paged, with a Link header like GitHub's), create, update, comment.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  comments: string[];
  /** Pull requests are issues too in this API; the audit must skip them. */
  isPullRequest?: boolean;
}

export interface FakeGitHub {
  url: string;
  issues: FakeIssue[];
  /** Every request: method, path and whether the expected token came with it. */
  requests: { method: string; path: string; authorized: boolean }[];
  /** Answers every request with this status until cleared (undefined). */
  refuseWith: number | undefined;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
    });
    req.on('error', reject);
  });
}

export async function startFakeGitHub(options: { repository: string; token: string }): Promise<FakeGitHub> {
  const issues: FakeIssue[] = [];
  const requests: FakeGitHub['requests'] = [];
  const prefix = `/repos/${options.repository}/issues`;
  let url = '';
  const view = (issue: FakeIssue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })),
    html_url: `https://github.example/${options.repository}/issues/${issue.number}`,
    ...(issue.isPullRequest ? { pull_request: { url: 'x' } } : {}),
  });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const fake: FakeGitHub = {
    url: '',
    issues,
    requests,
    refuseWith: undefined,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer((req, res) => {
    void (async () => {
      const target = new URL(req.url ?? '/', url);
      const authorization = req.headers.authorization ?? '';
      requests.push({ method: req.method ?? '', path: target.pathname, authorized: authorization === `token ${options.token}` || authorization === `Bearer ${options.token}` });
      if (fake.refuseWith !== undefined) return send(res, fake.refuseWith, { message: 'Resource not accessible by integration' });
      if (!requests[requests.length - 1]?.authorized) return send(res, 401, { message: 'Bad credentials' });
      const body = req.method === 'GET' ? {} : await readBody(req);
      if (req.method === 'GET' && target.pathname === prefix) {
        const label = target.searchParams.get('labels');
        const state = target.searchParams.get('state') ?? 'open';
        const perPage = Number(target.searchParams.get('per_page') ?? '30');
        const page = Number(target.searchParams.get('page') ?? '1');
        const matching = issues.filter((i) => (state === 'all' || i.state === state) && (label === null || i.labels.includes(label)));
        const slice = matching.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < matching.length) {
          const nextPage = new URLSearchParams({ ...Object.fromEntries(target.searchParams), page: String(page + 1) });
          headers.link = `<${url}${prefix}?${nextPage}>; rel="next"`;
        }
        return send(res, 200, slice.map(view), headers);
      }
      if (req.method === 'POST' && target.pathname === prefix) {
        const issue: FakeIssue = { number: issues.length + 1, title: String(body.title), body: String(body.body ?? ''), state: 'open', state_reason: null, labels: (body.labels as string[] | undefined) ?? [], comments: [] };
        issues.push(issue);
        return send(res, 201, view(issue));
      }
      const single = new RegExp(`^${prefix}/(\\d+)(/comments)?$`).exec(target.pathname);
      const issue = single ? issues.find((i) => i.number === Number(single[1])) : undefined;
      if (issue && req.method === 'PATCH' && !single?.[2]) {
        if (typeof body.body === 'string') issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason;
        return send(res, 200, view(issue));
      }
      if (issue && req.method === 'POST' && single?.[2]) {
        issue.comments.push(String(body.body));
        return send(res, 201, { id: issue.comments.length, body: body.body });
      }
      return send(res, 404, { message: 'Not Found' });
    })().catch(() => send(res, 500, { message: 'fake failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = url;
  return fake;
}

/** An open issue the fake already holds, as if someone (or an earlier audit) had filed it. */
export function seedIssue(fake: FakeGitHub, issue: Omit<FakeIssue, 'number' | 'comments' | 'state_reason'>): FakeIssue {
  const seeded: FakeIssue = { ...issue, number: fake.issues.length + 1, comments: [], state_reason: null };
  fake.issues.push(seeded);
  return seeded;
}
