/**
 * Everything the CLI or a pipeline printed or wrote is recorded in a Canary, so each test file
 * can prove at its end that no secret, nothing derived from one, and no JWT ever appeared in any
 * of it. The search is shared with the Action's tests: test/support/canary.ts.
 */
export { Canary } from '../support/canary.js';
