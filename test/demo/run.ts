/**
 * `npm run demo`: starts the sandbox (a real registry behind a fake Docker Hub, on loopback) and
 * tells the story in story.ts with the committed bundles, the Action's as the GitHub runner runs
 * them and the CLI's. It stops everything it started at the end, and on Ctrl-C or SIGTERM.
 * Exit code: 0 when every step showed what it promised, 1 otherwise, 130/143 when interrupted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../e2e/action-runner.js';
import { startSandbox } from '../sandbox/index.js';
import { labelled, stepHeader, verdictLine } from './narrate.js';
import { DemoSession } from './session.js';
import { STORY, type StepReport } from './story.js';
import { createPainter, paint, wrap } from './terminal.js';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;
const BUNDLES = ['dist/main/index.js', 'dist/post/index.js', 'dist/cli/index.js'];

const painter = createPainter(process.stdout, process.env);
let session: DemoSession | undefined;
let interrupted: HandledSignal | undefined;

function print(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function stopAndExit(code: number): Promise<never> {
  await session?.stop();
  process.exit(code);
}

function onSignal(signal: HandledSignal): void {
  if (interrupted !== undefined) return;
  interrupted = signal;
  print(['', `${signal}: stopping the sandbox and removing everything the demo created.`]);
  // Before the sandbox is up, main() finishes starting it and then stops it: a half-started
  // sandbox cannot be stopped from here.
  if (session !== undefined) void stopAndExit(SIGNAL_EXIT_CODES[signal]);
}

process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

function intro(): string[] {
  return [
    paint(painter, 'bold', 'docker-pat demo'),
    ...wrap(
      'A sandbox on 127.0.0.1 plays Docker Hub: the real Debian docker-registry behind fakes of auth.docker.io and hub.docker.com. ' +
        'Every token and password is a throwaway sandbox value (test/sandbox/fixtures.ts) and is never printed. Each step runs the ' +
        'committed bundles: the Action (dist/main, then dist/post) the way the GitHub runner runs it, and the command line (dist/cli).',
      painter.width,
    ),
  ];
}

async function tell(index: number): Promise<boolean> {
  const step = STORY[index];
  if (step === undefined || session === undefined) return false;
  print([...stepHeader(painter, index + 1, STORY.length, step.title, step.product), ...labelled(painter, 'Why', step.why)]);
  let report: StepReport;
  try {
    report = await step.run({ session, painter });
  } catch (error) {
    if (session.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    report = { invocation: [], happened: [`  the step could not run: ${reason}`], met: false, observed: reason };
  }
  print([
    paint(painter, 'bold', 'Run'),
    ...report.invocation.map((line) => `  ${line}`),
    paint(painter, 'bold', 'What happened'),
    ...report.happened,
    ...verdictLine(painter, step.expected, report.met, report.observed),
  ]);
  return report.met;
}

async function main(): Promise<number> {
  const missing = BUNDLES.filter((bundle) => !existsSync(join(PROJECT_ROOT, bundle)));
  if (missing.length > 0) {
    print([`The bundles ${missing.join(', ')} are missing: run npm run build first.`]);
    return 1;
  }
  print(intro());
  const started = performance.now();
  try {
    session = new DemoSession(await startSandbox());
  } catch (error) {
    print([`The sandbox could not start (${error instanceof Error ? error.message : String(error)}). Run npm run setup first.`]);
    return 1;
  }
  if (interrupted !== undefined) return stopAndExit(SIGNAL_EXIT_CODES[interrupted]);
  print(['', paint(painter, 'dim', `Sandbox up: Docker-Hub-like registry at ${session.sandbox.registry.url}, fake Docker Hub API at ${session.sandbox.hubApiUrl}.`)]);
  let kept = 0;
  for (let index = 0; index < STORY.length; index++) {
    if (await tell(index)) kept++;
  }
  await session.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const verdict = `${kept} of ${STORY.length} steps showed what they promised, in ${seconds} s. The sandbox is stopped and its files are removed.`;
  print(['', paint(painter, kept === STORY.length ? 'green' : 'red', verdict)]);
  return kept === STORY.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An interrupted step rejects while the signal handler stops everything and exits.
    if (session?.aborted) return;
    print([`The demo failed: ${error instanceof Error ? error.message : String(error)}`]);
    void stopAndExit(1);
  },
);
