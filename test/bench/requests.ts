/**
 * Measurement 2: every HTTP request one check makes, read from the sandbox's request log, set
 * against the protocol's minimum: one /v2/ ping and one token request per registry, plus one
 * Docker Hub API call. A request repeated with the same service, method, path and query is
 * redundant whatever its purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestLogEntry } from '../sandbox/index.js';
import { runCliCheck } from './cli-check.js';
import type { BenchContext } from './context.js';
import { tally } from './stats.js';
import { dockerPatStep } from './whole-step.js';

export const PROTOCOL_MINIMUM = { pings: 1, tokenRequests: 1, hubCalls: 1 } as const;

export interface RequestCount {
  /** Which front end made the requests. */
  source: string;
  requests: RequestLogEntry[];
  pings: number;
  tokenRequests: number;
  hubCalls: number;
  /** Requests beyond the three kinds above (access probes, retries...). */
  other: number;
  minimum: number;
  /** "service METHOD path?query" of every request made more than once, with its count. */
  duplicates: Record<string, number>;
  failure: string | undefined;
}

export function requestKey(entry: RequestLogEntry): string {
  return `${entry.service} ${entry.method} ${entry.path}${entry.query === '' ? '' : `?${entry.query}`}`;
}

export function countRequests(source: string, requests: RequestLogEntry[], failure: string | undefined): RequestCount {
  const seen = tally(requests.map(requestKey));
  const isPing = (entry: RequestLogEntry) => entry.service === 'registry' && entry.method === 'GET' && entry.path === '/v2/';
  const pings = requests.filter(isPing).length;
  const tokenRequests = requests.filter((entry) => entry.service === 'auth').length;
  const hubCalls = requests.filter((entry) => entry.service === 'hub').length;
  return {
    source,
    requests,
    pings,
    tokenRequests,
    hubCalls,
    other: requests.length - pings - tokenRequests - hubCalls,
    minimum: PROTOCOL_MINIMUM.pings + PROTOCOL_MINIMUM.tokenRequests + PROTOCOL_MINIMUM.hubCalls,
    duplicates: Object.fromEntries(Object.entries(seen).filter(([, count]) => count > 1)),
    failure,
  };
}

async function cliCheck(context: BenchContext): Promise<string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'docker-pat-bench-cli-'));
  try {
    return (await runCliCheck(context, 'push', ['alice/app'], home)).failure;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** One check with needs push on alice/app, through the Action step and through the CLI. */
export async function measureRequests(context: BenchContext): Promise<RequestCount[]> {
  const log = context.sandbox.requests;
  log.clear();
  const step = await dockerPatStep(context)();
  const actionRequests = log.entries();
  log.clear();
  const cliFailure = await cliCheck(context);
  const cliRequests = log.entries();
  log.clear();
  return [countRequests('Action step (main + post)', actionRequests, step.failure), countRequests('CLI check', cliRequests, cliFailure)];
}
