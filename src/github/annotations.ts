/**
 * Turns findings and failures into workflow annotations. Every text goes through the secret
 * registry's redaction too: the runner masks registered values, but a hand-run bundle or
 * local-action prints raw, and the core's messages are never supposed to hold a secret anyway.
 */
import * as core from '@actions/core';
import { isDockerPatError, type SecretRegistry } from '../core/index.js';
import type { CheckReport, Finding } from '../core/model.js';

export interface Failure {
  /** The error code (or `strict`), shown as the annotation title. */
  title: string;
  message: string;
}

/** `<code>: <message> <fix>`, the form every front end prints. */
export function describeFailure(error: unknown): Failure {
  if (isDockerPatError(error)) return { title: error.code, message: `${error.code}: ${error.message} ${error.fix}` };
  const detail = error instanceof Error ? error.message : String(error);
  return {
    title: 'unexpected-error',
    message: `unexpected-error: ${detail} This is a bug in docker-pat; please report it with the step log.`,
  };
}

/** The findings worth showing beside the failure: one that repeats the failure's code adds nothing. */
export function findingsBesideFailure(report: CheckReport): Finding[] {
  return report.findings.filter((finding) => finding.code !== report.error?.code);
}

/** The core's finding messages already name the token they concern. */
function findingText(finding: Finding): string {
  return `${finding.code}: ${finding.message} ${finding.fix}`;
}

export function annotateFindings(findings: readonly Finding[], secrets: SecretRegistry): void {
  for (const finding of findings) {
    const text = secrets.redact(findingText(finding));
    const properties = { title: finding.code };
    if (finding.severity === 'error') core.error(text, properties);
    else if (finding.severity === 'warning') core.warning(text, properties);
    else core.notice(text, properties);
  }
}

/**
 * What `core.setFailed` does, plus an annotation title: setFailed takes no properties, and the
 * title is where the code shows in the run's annotation list.
 */
export function failStep(failure: Failure, secrets: SecretRegistry): void {
  core.error(secrets.redact(failure.message), { title: failure.title });
  process.exitCode = 1;
}
