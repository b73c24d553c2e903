#!/usr/bin/env node
/** Entry of the `docker-pat` command (bundled to dist/cli/index.js). */
import { homedir } from 'node:os';
import { keepWasmOnBaselineCompiler } from '../core/wasm-tiering.js';
import { runCli } from './run.js';

keepWasmOnBaselineCompiler();

void runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  homedir: homedir(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // Only reached when writing the report itself failed; the error is not printed because it
    // is no longer passed through the secret redaction.
    process.stderr.write('docker-pat: unexpected failure while writing the report.\n');
    process.exitCode = 1;
  },
);
