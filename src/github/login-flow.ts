/**
 * Login mode: check the token (and store it unless dry-run), then render everything the report
 * says. Rendering happens for failures too, so the summary and outputs explain a red step.
 */
import * as core from '@actions/core';
import { checkToken, login, type SecretRegistry } from '../core/index.js';
import type { LoginReport } from '../core/model.js';
import { annotateFindings, describeFailure, failStep, findingsBesideFailure } from './annotations.js';
import { actionCoreDeps } from './core-deps.js';
import type { LoginSettings } from './inputs.js';
import { createIsolatedDockerConfig, exportDockerConfig } from './isolated-config.js';
import { writeOutputs } from './outputs.js';
import { saveWrittenCredential } from './state.js';
import { renderLoginSummary, writeSummary } from './summary.js';

async function checkOrLogin(settings: LoginSettings, secrets: SecretRegistry): Promise<LoginReport> {
  const deps = actionCoreDeps(secrets);
  if (settings.check.dryRun) return { ...(await checkToken(settings.check, deps)), credential: undefined };
  // A dry run writes nothing, so only a real login gets (and exports) its own directory.
  const dockerConfigDir = settings.isolateConfig ? await createIsolatedDockerConfig() : settings.check.dockerConfigDir;
  return login({ ...settings.check, dockerConfigDir }, deps);
}

function strictFailure(report: LoginReport): { title: string; message: string } {
  const codes = report.findings.filter((f) => f.severity === 'warning').map((f) => f.code);
  return {
    title: 'strict',
    message: `strict: the token fits the job but has warnings (${codes.join(', ')}), and strict is on. Fix the warnings above, or set strict: false to accept them.`,
  };
}

function successLine(report: LoginReport, settings: LoginSettings): string {
  const who = `${report.username} on ${report.registry.host}`;
  if (report.credential === undefined) return `Dry run: the token of ${who} fits the job; no credentials were written.`;
  return `Logged in as ${who}; credentials are in ${report.credential.dockerConfigDir}${settings.logout ? ' until the end of the job' : ''}.`;
}

export async function runLogin(settings: LoginSettings, secrets: SecretRegistry): Promise<void> {
  const report = await checkOrLogin(settings, secrets);
  if (report.credential !== undefined) {
    // Saved first: whatever fails below, post must still be able to remove what was written.
    saveWrittenCredential(report.credential, settings.logout);
    if (settings.isolateConfig) exportDockerConfig(report.credential.dockerConfigDir);
  }
  writeOutputs(report);
  annotateFindings(findingsBesideFailure(report), secrets);
  await writeSummary(secrets.redact(renderLoginSummary(report, { needs: settings.check.needs, dryRun: settings.check.dryRun })));
  if (report.error !== undefined) failStep(describeFailure(report.error), secrets);
  else if (settings.check.strict && report.verdict === 'warning') failStep(strictFailure(report), secrets);
  else core.info(secrets.redact(successLine(report, settings)));
}
