/** `docker-pat check` and `docker-pat login`: the core's check (and store), rendered, and its exit code. */
import { checkToken, login, logout, type CheckReport, type LoginReport } from '../core/index.js';
import { dotenvValues, formatDotenv, writeDotenv } from './dotenv.js';
import { exitCodeFor } from './exit-code.js';
import { renderCheck } from './render-check.js';
import { checkReportJson } from './report-json.js';
import type { RunContext } from './run.js';
import type { CheckCommandSettings } from './settings.js';
import { levelLine } from './style.js';

function warnAboutDebugTrace(context: RunContext): void {
  // GitLab's debug trace prints every variable, masked ones included, when a job script runs.
  if (context.io.env.CI_DEBUG_TRACE === 'true') {
    context.output.err(levelLine(context.style, 'warning', 'CI_DEBUG_TRACE is on: GitLab prints every variable, the token included, in this job log.', ['fix: Turn CI_DEBUG_TRACE off and rotate the token if the log was shared.']));
  }
}

export async function runCheck(settings: CheckCommandSettings, context: RunContext): Promise<number> {
  const { output, style } = context;
  warnAboutDebugTrace(context);
  for (const notice of settings.notices) output.err(levelLine(style, 'notice', notice));
  const report: CheckReport | LoginReport = settings.command === 'login' ? await login(settings.check, context.deps) : await checkToken(settings.check, context.deps);
  const exitCode = exitCodeFor(report.verdict, settings.check.strict);
  if (settings.output.dotenvPath !== undefined) await writeDotenvOrTakeBackLogin(settings.output.dotenvPath, report, context);
  if (settings.output.json) output.json(checkReportJson(settings.command, report, exitCode, settings.check.dryRun));
  else output.out(renderCheck(report, { command: settings.command, dryRun: settings.check.dryRun, exitCode }, style));
  return exitCode;
}

/** The command fails when its dotenv report cannot be written, and a failed login leaves nothing stored. */
async function writeDotenvOrTakeBackLogin(path: string, report: CheckReport | LoginReport, context: RunContext): Promise<void> {
  try {
    await writeDotenv(path, formatDotenv(dotenvValues(report), (text) => context.secrets.redact(text)));
  } catch (error) {
    if ('credential' in report && report.credential !== undefined) await logout(report.credential, { env: context.io.env, secrets: context.secrets });
    throw error;
  }
}
