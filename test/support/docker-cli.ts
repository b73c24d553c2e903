/**
 * The real docker CLI, run asynchronously: the sandbox answers from the test's own event loop, so
 * a blocking spawn would wait on itself. HOME and DOCKER_CONFIG point at the given directory.
 */
import { spawn } from 'node:child_process';

export interface DockerRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runDocker(args: string[], configDir: string, input = '', timeoutMs = 30_000): Promise<DockerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { PATH: process.env.PATH, HOME: configDir, DOCKER_CONFIG: configDir }, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
