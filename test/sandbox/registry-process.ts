/**
 * Debian's real `docker-registry serve` (distribution 2.8), configured for token auth as Docker
 * Hub's registry (`service: registry.docker.io`). It listens on a unix socket inside the sandbox's
 * temp dir, so no port can be taken by someone else between choosing and binding it; only the
 * sandbox's proxies talk to it. `draintimeout: 0s` lets SIGTERM end it at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { REGISTRY_ISSUER, REGISTRY_SERVICE } from './registry-token.js';

export interface RegistryProcess {
  socketPath: string;
  pid: number;
  /** The registry's recent log lines (level info: they give the reason behind each 401). */
  log(): string[];
  /** Blob upload sessions the registry holds open (started and neither finished nor cancelled). */
  uploadsInProgress(): Promise<number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 1_000;
const LOG_LINES_KEPT = 500;

/** Registries still running when the test process exits are killed, whatever the test did. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

function configYaml(storageRoot: string, socketPath: string, realm: string, certPath: string, secret: string): string {
  return [
    'version: 0.1',
    'log: { level: info, formatter: text, accesslog: { disabled: true } }',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(storageRoot)} }`,
    '  delete: { enabled: true }',
    '  maintenance: { uploadpurging: { enabled: false } }',
    `http: { net: unix, addr: ${JSON.stringify(socketPath)}, secret: ${JSON.stringify(secret)}, draintimeout: 0s }`,
    'auth:',
    '  token:',
    `    realm: ${JSON.stringify(realm)}`,
    `    service: ${REGISTRY_SERVICE}`,
    `    issuer: ${REGISTRY_ISSUER}`,
    `    rootcertbundle: ${JSON.stringify(certPath)}`,
    '',
  ].join('\n');
}

/** Open upload sessions are the entries of `_uploads` directories in the storage tree. */
async function countUploads(storageRoot: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(storageRoot, { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  return entries.filter((entry) => entry.isDirectory() && entry.parentPath.endsWith('/_uploads')).length;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/v2/', method: 'GET', timeout: 500 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startRegistry(options: { dir: string; realm: string; certPath: string; httpSecret: string }): Promise<RegistryProcess> {
  const socketPath = join(options.dir, 'registry.sock');
  const configPath = join(options.dir, 'registry.yml');
  await writeFile(configPath, configYaml(join(options.dir, 'registry-data'), socketPath, options.realm, options.certPath, options.httpSecret));
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
    lines.splice(0, Math.max(0, lines.length - LOG_LINES_KEPT));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failure = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10))]);
    if (failure !== undefined) throw new Error(`cannot start docker-registry: ${failure.message}`);
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${lines.slice(-5).join(' | ')}`);
    if (await answers(socketPath)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer within ${READY_TIMEOUT_MS} ms: ${lines.slice(-5).join(' | ')}`);
    }
  }
  const storageRoot = join(options.dir, 'registry-data');
  return { socketPath, pid: child.pid ?? -1, log: () => [...lines], uploadsInProgress: () => countUploads(storageRoot), stop };
}
