#!/usr/bin/env node
/** Entry of the `docker-pat` command (bundled to dist/cli/index.js). */
import { homedir } from 'node:os';
import { runCli } from './run.js';

void runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  homedir: homedir(),
}).then((code) => {
  process.exitCode = code;
});
