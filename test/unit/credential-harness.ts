/**
 * Test support for the credential store: a credential helper of the tests' own, a throwaway pass
 * store for Debian's real docker-credential-pass, and the core compiled to plain JS so child
 * processes (crash and concurrency tests) start in milliseconds.
 */
import { expect } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const CORE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'core');

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `docker-pat-${prefix}-`));
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/**
 * Hands out numbered config directories under `root`. Each holds `content` as config.json when
 * given; without content it exists only with `createEmpty` (else it is a path to be created).
 */
export function configDirMaker(root: string, options: { createEmpty?: boolean } = {}): (content?: string | Buffer) => string {
  let count = 0;
  return (content) => {
    const dir = join(root, `dc${count++}`);
    if (content !== undefined || options.createEmpty) mkdirSync(dir, { recursive: true });
    if (content !== undefined) writeFileSync(join(dir, 'config.json'), content);
    return dir;
  };
}

/**
 * The backup a login through a credential helper left beside config.json: it names where the
 * previous credential is parked in that helper, is private, and holds none of `credentials`
 * (username, secret) as the secret, base64 of it or base64 of `user:secret`.
 */
export function expectHelperBackupWithoutSecrets(path: string, helperName: string, serverUrl: string, ...credentials: Array<[string, string]>): void {
  const text = readFileSync(path, 'utf8');
  const b64 = (value: string) => Buffer.from(value).toString('base64');
  for (const [username, secret] of credentials) {
    for (const form of [secret, b64(secret), b64(`${username}:${secret}`)]) expect(text).not.toContain(form);
  }
  expect(JSON.parse(text).parkedInHelper).toEqual({ helper: helperName, serverUrl });
  expect(modeOf(path)).toBe(0o600);
}

/**
 * `docker-credential-testhelper`: keeps each credential as the JSON it was given, one file per
 * server. It logs its argv (so tests can prove no secret is passed there). TESTHELPER_FAIL=<action>
 * makes it fail and echo its input to stderr (a helper leaking the secret); TESTHELPER_HANG=<action>
 * makes it hang.
 */
const TEST_HELPER_SCRIPT = `#!/bin/sh
set -u
dir="$TESTHELPER_DIR"
printf '%s\\n' "$*" >> "$dir/argv.log"
input=$(cat)
if [ "\${TESTHELPER_FAIL:-}" = "$1" ]; then printf 'cannot handle %s\\n' "$input" >&2; exit 1; fi
if [ "\${TESTHELPER_HANG:-}" = "$1" ]; then exec sleep 30; fi
file_for() { printf '%s/%s.json' "$dir" "$(printf '%s' "$1" | sha256sum | cut -c1-32)"; }
case "$1" in
  store)
    url=$(printf '%s' "$input" | sed -n 's/^{"ServerURL":"\\([^"]*\\)".*/\\1/p')
    [ -n "$url" ] || { echo 'store: no ServerURL' >&2; exit 1; }
    printf '%s' "$input" > "$(file_for "$url")" ;;
  get)
    f=$(file_for "$input")
    if [ -f "$f" ]; then cat "$f"; else echo 'credentials not found in native keychain'; exit 1; fi ;;
  erase)
    f=$(file_for "$input")
    if [ -f "$f" ]; then rm -f "$f"; else echo 'credentials not found in native keychain'; exit 1; fi ;;
  *) echo "unknown action" >&2; exit 1 ;;
esac
`;

export interface TestHelper {
  binDir: string;
  storeDir: string;
  /** Environment for storeCredential / the docker CLI: PATH finds the helper first. */
  env: NodeJS.ProcessEnv;
  /** Every argv the helper was called with, one line each. */
  argv(): string[];
  /** The JSON the helper holds for a server, parsed; undefined when none. */
  stored(serverUrl: string): { ServerURL: string; Username: string; Secret: string } | undefined;
  /** Files it holds (one per stored server). */
  count(): number;
}

export function makeTestHelper(root: string): TestHelper {
  const binDir = join(root, 'bin');
  const storeDir = join(root, 'helper-store');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(storeDir, { recursive: true });
  const program = join(binDir, 'docker-credential-testhelper');
  writeFileSync(program, TEST_HELPER_SCRIPT);
  chmodSync(program, 0o755);
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, TESTHELPER_DIR: storeDir };
  const stored = (serverUrl: string) => {
    const name = execFileSync('sh', ['-c', 'printf %s "$1" | sha256sum | cut -c1-32', 'sh', serverUrl], { encoding: 'utf8' }).trim();
    try {
      return JSON.parse(readFileSync(join(storeDir, `${name}.json`), 'utf8'));
    } catch {
      return undefined;
    }
  };
  return {
    binDir,
    storeDir,
    env,
    argv: () => {
      try {
        return readFileSync(join(storeDir, 'argv.log'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    stored,
    count: () => readdirSync(storeDir).filter((name) => name.endsWith('.json')).length,
  };
}

/**
 * `docker-credential-envdump`, beside the test helper: appends its environment to a log, then acts
 * as docker-credential-testhelper. Returns a reader of everything it logged so far.
 */
export function addEnvDumpingHelper(helper: TestHelper): () => string {
  const log = join(helper.storeDir, 'env.log');
  const program = join(helper.binDir, 'docker-credential-envdump');
  writeFileSync(program, '#!/bin/sh\nenv >> "$TESTHELPER_DIR/env.log"\nexec docker-credential-testhelper "$@"\n');
  chmodSync(program, 0o755);
  return () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
}

export interface PassStore {
  /** GNUPGHOME and PASSWORD_STORE_DIR for docker-credential-pass. */
  env: NodeJS.ProcessEnv;
  /** Stops the gpg-agent the store started. */
  stop(): void;
}

/** A throwaway gpg key (no passphrase) and pass store, so Debian's docker-credential-pass works unattended. */
export function makePassStore(root: string): PassStore {
  const gnupgHome = join(root, 'gnupg');
  mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: join(root, 'pass') };
  const run = (command: string, args: string[]) => execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'docker-pat test <test@invalid>', 'default', 'default', 'never']);
  const fingerprint = run('gpg', ['--batch', '--list-keys', '--with-colons'])
    .split('\n')
    .find((line) => line.startsWith('fpr:'))
    ?.split(':')[9];
  if (!fingerprint) throw new Error('gpg made no key');
  run('pass', ['init', fingerprint]);
  return {
    env,
    stop: () => {
      execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
    },
  };
}

/**
 * Transpiles credential-store.ts and every core module it imports into `outDir/core` as ESM JS
 * (no type check: tsc does that), so a child runs `node` on them without a loader.
 */
export function compileCredentialStore(outDir: string): string {
  const coreOut = join(outDir, 'core');
  mkdirSync(coreOut, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
  const pending = ['credential-store'];
  const done = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (done.has(name)) continue;
    done.add(name);
    const source = readFileSync(join(CORE_DIR, `${name}.ts`), 'utf8');
    for (const match of source.matchAll(/from '\.\/([\w-]+)\.js'/g)) pending.push(match[1]);
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(coreOut, `${name}.js`), output.outputText);
  }
  return join(coreOut, 'credential-store.js');
}

export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the exit code (or signal) once the child is gone and reaped. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
