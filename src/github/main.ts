import { keepWasmOnBaselineCompiler } from '../core/wasm-tiering.js';
import { run } from './run-main.js';

keepWasmOnBaselineCompiler();
await run();
