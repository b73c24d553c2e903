export const id = 714;
export const ids = [714];
export const modules = {

/***/ 6714:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runAudit: () => (/* binding */ runAudit)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 19 modules
var core = __webpack_require__(4952);
// EXTERNAL MODULE: ./src/core/index.ts + 42 modules
var src_core = __webpack_require__(1901);
// EXTERNAL MODULE: ./src/github/annotations.ts
var annotations = __webpack_require__(4793);
;// CONCATENATED MODULE: ./src/github/audit-issue.ts
/**
 * One issue per audited account, kept in step with the audit: opened when a token needs
 * attention, rewritten on every run while something does, closed once nothing does. The issue
 * is found by label and exact title, so renaming it by hand detaches it on purpose.
 */

const AUDIT_ISSUE_LABEL = 'docker-pat-audit';
function auditIssueTitle(account) {
    return `docker-pat: tokens of ${account} need attention`;
}
const CLOSING_COMMENT = 'The latest docker-pat audit found nothing that needs attention: closing.';
const DEFAULT_TIMEOUT_MS = 30_000;
function splitRepository(repository) {
    const [owner, repo, ...rest] = repository.split('/');
    if (!owner || !repo || rest.length > 0) {
        throw new src_core/* DockerPatError */.kt('bad-input', `report-issue: GITHUB_REPOSITORY '${repository}' is not owner/name.`, 'Run the audit inside a GitHub Actions job, which sets GITHUB_REPOSITORY.', { field: 'report-issue' });
    }
    return { owner, repo };
}
/**
 * GitHub's refusals become errors with a fix; the token never appears (octokit redacts it too).
 * Octokit gives a request that got no response status 500 as well, so only an error that carries
 * a response is an answer from GitHub.
 */
function issueApiError(error, timedOut, timeoutMs) {
    if (timedOut) {
        return new src_core/* DockerPatError */.kt('timeout', `report-issue: the GitHub API did not answer within ${Math.round(timeoutMs / 1000)} s.`, "Check GITHUB_API_URL and the runner's network, then run the audit again.", { field: 'report-issue' });
    }
    const response = typeof error === 'object' && error !== null ? error.response : undefined;
    const status = typeof response?.status === 'number' ? response.status : undefined;
    if (status === 401 || status === 403 || status === 404) {
        return new src_core/* DockerPatError */.kt('bad-credentials', `report-issue: GitHub refused to manage the audit issue (HTTP ${status}).`, 'Give the job permissions: issues: write, or pass a github-token that may write issues in this repository.', { field: 'github-token' });
    }
    if (status === undefined) {
        return new src_core/* DockerPatError */.kt('unreachable', 'report-issue: the GitHub API could not be reached.', 'Check GITHUB_API_URL and the runner\'s network, then run the audit again.', { field: 'report-issue' });
    }
    return new src_core/* DockerPatError */.kt('registry-error', `report-issue: the GitHub API answered HTTP ${status}.`, 'Run the audit again; if it persists, check https://www.githubstatus.com.', { field: 'report-issue' });
}
async function syncAuditIssue(target, content) {
    const { owner, repo } = splitRepository(target.repository);
    // Only audit mode needs the GitHub client; the login bundle never loads it.
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(665), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 1351));
    const { defaults } = await __webpack_require__.e(/* import() */ 665).then(__webpack_require__.bind(__webpack_require__, 8665));
    const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    // A `request` option replaces the runner-aware one (proxy, fetch) as a whole, so that is kept.
    const octokit = getOctokit(target.token, { baseUrl: target.apiUrl, request: { ...defaults.request, signal } });
    const title = auditIssueTitle(content.account);
    try {
        const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', labels: AUDIT_ISSUE_LABEL, per_page: 100 });
        const existing = open.find((issue) => issue.title === title && issue.pull_request === undefined);
        if (content.attention === undefined) {
            if (existing === undefined)
                return { action: 'none' };
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
    }
    catch (error) {
        throw issueApiError(error, signal.aborted, timeoutMs);
    }
}

// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __webpack_require__(5566);
;// CONCATENATED MODULE: ./src/github/audit-summary.ts

/** Findings someone has to act on; notices (such as an unknown expiry) only inform. */
function attentionFindings(report) {
    return report.findings.filter((f) => f.severity !== 'notice');
}
function day(value, none) {
    if (value === undefined)
        return 'unknown';
    return value === null ? none : value.slice(0, 10);
}
function permission(token) {
    if (token.permission === undefined)
        return 'unknown';
    return Array.isArray(token.permission) ? token.permission.join(', ') : token.permission;
}
function findingCodes(token) {
    return token.findings.length === 0 ? '✅' : token.findings.map((f) => `${markdown/* SEVERITY_ICON */._[f.severity]} ${f.code}`).join('<br>');
}
function tokenRow(token) {
    const cells = [token.label, token.kind, permission(token), day(token.createdAt, 'unknown'), day(token.lastUsed, 'never'), day(token.expiresAt, 'never'), token.status];
    return `| ${cells.map(markdown/* cell */.H).join(' | ')} | ${findingCodes(token)} |`;
}
function findingLine(finding) {
    const token = finding.token === undefined ? '' : ` (${(0,markdown/* cell */.H)(finding.token)})`;
    return `- ${markdown/* SEVERITY_ICON */._[finding.severity]} **${finding.code}**${token}: ${finding.message} ${finding.fix}`;
}
function countsLine(report) {
    const c = report.counts;
    return `${c.tokens} tokens: ${c.active} active, ${c.inactive} inactive, ${c.expired} expired. Findings: ${c.error} errors, ${c.warning} warnings, ${c.notice} notices.`;
}
function renderAuditTable(report) {
    if (report.tokens.length === 0)
        return ['No access tokens.'];
    return [
        '| Token | Type | Permission | Created | Last used | Expires | Status | Findings |',
        '|---|---|---|---|---|---|---|---|',
        ...report.tokens.map(tokenRow),
    ];
}
function renderAuditSummary(report) {
    const owner = report.scope === 'organization' ? `organization ${report.account}` : report.account;
    const lines = [`### docker-pat audit: ${owner}`, '', countsLine(report), '', ...renderAuditTable(report), ''];
    const attention = attentionFindings(report);
    lines.push(attention.length === 0 ? 'Nothing needs attention.' : '#### Needs attention', '');
    lines.push(...attention.map(findingLine));
    return `${lines.join('\n').trimEnd()}\n`;
}
/** The audit issue's body, or undefined when nothing needs attention (the issue then closes). */
function renderAuditIssueBody(report, runUrl) {
    const attention = attentionFindings(report);
    if (attention.length === 0)
        return undefined;
    const lines = [
        `The docker-pat audit of ${report.account} on ${report.generatedAt.slice(0, 10)} found ${attention.length} thing(s) to fix, most urgent first:`,
        '',
        ...attention.map(findingLine),
        '',
        ...renderAuditTable(report),
        '',
        'This issue is updated by every audit run and closed once nothing needs attention.',
    ];
    if (runUrl !== undefined)
        lines.push(`Latest run: ${runUrl}`);
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./src/github/summary.ts
var summary = __webpack_require__(2935);
;// CONCATENATED MODULE: ./src/github/audit-flow.ts
/**
 * Audit mode: list every token of the account (or organization) from Docker Hub's management
 * API, report what needs attention in the summary, and optionally keep the audit issue in step.
 */






async function readAudit(settings, secrets, env) {
    const http = new src_core/* HttpClient */.Qq({ env, onRequest: (r) => core/* debug */.Yz(secrets.redact(`${r.method} ${r.url} → ${r.status} (attempt ${r.attempt})`)) });
    try {
        const hub = new src_core/* HubApi */.MH(http, env.DOCKER_PAT_HUB_API_URL || src_core/* DEFAULT_HUB_API_URL */.Rt, secrets);
        return await (0,src_core/* audit */.sb)({
            hub,
            username: settings.username,
            password: settings.hubAccount.password,
            totp: settings.hubAccount.totpSecret === undefined ? undefined : { secret: settings.hubAccount.totpSecret },
            org: settings.organization,
            now: new Date(),
            expiryWarningDays: settings.expiryWarningDays,
            unusedWarningDays: settings.unusedWarningDays,
        });
    }
    finally {
        await http.close();
    }
}
function runUrl(env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
    return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
/** An issue is as public as a log: a token label could hold a pasted secret. */
function redactedBody(body, secrets) {
    return body === undefined ? undefined : secrets.redact(body);
}
async function reportIssue(settings, report, secrets, env) {
    const outcome = await syncAuditIssue({ apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository: env.GITHUB_REPOSITORY ?? '', token: settings.githubToken }, { account: report.account, attention: redactedBody(renderAuditIssueBody(report, runUrl(env)), secrets) });
    if (outcome.action === 'none')
        core/* info */.pq('Audit issue: nothing needs attention and no issue is open.');
    else
        core/* info */.pq(`Audit issue #${outcome.number} ${outcome.action}: ${outcome.url}`);
}
async function runAudit(settings, secrets, env = process.env) {
    const report = await readAudit(settings, secrets, env);
    (0,annotations/* annotateFindings */.dv)(report.findings, secrets);
    core/* setOutput */.uH('warnings', JSON.stringify([...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.code))]));
    await (0,summary/* writeSummary */.Sy)(secrets.redact(renderAuditSummary(report)));
    if (settings.reportIssue)
        await reportIssue(settings, report, secrets, env);
    const { error, warning } = report.counts;
    if (error > 0) {
        (0,annotations/* failStep */.vy)({ title: 'audit', message: `audit: ${error} token finding(s) are errors (expired or deactivated tokens still listed). Fix them as the summary says.` }, secrets);
    }
    else if (settings.strict && warning > 0) {
        (0,annotations/* failStep */.vy)({ title: 'strict', message: `strict: the audit found ${warning} warning(s), and strict is on. Fix them as the summary says, or set strict: false.` }, secrets);
    }
    else {
        core/* info */.pq(`Audit of ${report.account}: ${report.counts.tokens} tokens, ${warning} warning(s).`);
    }
}


/***/ })

};
