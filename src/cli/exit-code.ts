/** The exit codes CI keys on; `allow_failure: exit_codes: [3]` relies on 3 meaning "warnings only". */
export const EXIT = { ok: 0, failed: 1, usage: 2, warnings: 3 } as const;

export type Verdict = 'ok' | 'warning' | 'error';

export function exitCodeFor(verdict: Verdict, strict: boolean): number {
  if (verdict === 'error') return EXIT.failed;
  if (verdict === 'warning') return strict ? EXIT.failed : EXIT.warnings;
  return EXIT.ok;
}
