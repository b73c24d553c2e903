/**
 * Every way an HTTP exchange fails, as a DockerPatError naming the host (and the proxy, when one
 * was used) and what failed, never a header, a credential or a body: faults reported by undici or
 * Node, our own time limits, and statuses the caller cannot use.
 */
import { DockerPatError } from './errors.js';
import type { ProxySetting } from './http-proxy.js';
import { hostOf, type HttpResponse } from './http-response.js';
import { parseRetryAfter } from './retry-after.js';

/** A failed attempt, and whether another attempt may succeed without locking an account. */
export interface AttemptFailure {
  failure: DockerPatError;
  retryable: boolean;
}

const UNREACHABLE_FIX = "Check the registry name and the runner's network or proxy settings (HTTPS_PROXY, NO_PROXY).";
const TIMEOUT_FIX =
  "Check that the registry is up and reachable from the runner (proxy settings HTTPS_PROXY, NO_PROXY), then run the job again.";
/** NODE_EXTRA_CA_CERTS is the one way every front end offers; the library's caCertificates option is not an input anywhere. */
const TLS_TRUST_FIX =
  "If the registry uses a private or self-signed certificate authority, point NODE_EXTRA_CA_CERTS at its CA certificate (a PEM file) in the job's environment; otherwise check the registry name.";
const PROXY_FIX = 'Check the proxy address in HTTPS_PROXY/HTTP_PROXY, or list the registry in NO_PROXY if it must be reached directly.';

/** Connection faults worth another attempt: the server was reached, or may be in a moment. */
const RETRYABLE_CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The client's time limit for all its work ran out. */
export function deadlineError(host: string, deadlineMs: number): DockerPatError {
  return new DockerPatError(
    'timeout',
    `Gave up on ${host}: the time limit of ${deadlineMs} ms for the whole check ran out.`,
    TIMEOUT_FIX,
    { registry: host },
  );
}

/** One attempt ran out of time, before the response began or while its body was arriving. */
export function attemptTimeoutError(host: string, budgetMs: number, gotHeaders: boolean): DockerPatError {
  const what = gotHeaders ? 'did not finish sending its response' : 'did not answer';
  return new DockerPatError('timeout', `${host} ${what} within ${budgetMs} ms.`, TIMEOUT_FIX, { registry: host });
}

/** The error for a 429 that outlasted the retries; `registry` defaults to the host that sent it. */
export function rateLimitedError(res: HttpResponse, what: string, registry = hostOf(res.url)): DockerPatError {
  const host = hostOf(res.url);
  const waitMs = parseRetryAfter(res.headers, Date.now());
  const wait = waitMs === undefined ? '' : ` It asks to wait ${Math.ceil(waitMs / 1000)} s.`;
  return new DockerPatError(
    'rate-limited',
    `${host} is rate-limiting requests (HTTP 429) for ${what}.${wait}`,
    'Wait before running the job again, and avoid running many jobs against the registry at the same moment; on Docker Hub, authenticated accounts on paid plans have higher limits.',
    { registry },
  );
}

/** The error for a status the caller has no meaning for. */
export function unexpectedStatusError(res: HttpResponse, what: string): DockerPatError {
  const host = hostOf(res.url);
  return new DockerPatError(
    'registry-error',
    `${host} answered HTTP ${res.status} to ${what}.`,
    res.status >= 500
      ? 'The registry is failing; run the job again later, and check its status page if it persists.'
      : 'Check that the registry name points at a Docker registry (the v2 API under /v2/).',
    { registry: host },
  );
}

/**
 * The error and the errors it wraps. Checked by shape, not `instanceof Error`: socket errors may
 * come from another realm (a VM context, a bundled copy of undici).
 */
function errorChain(error: unknown): { code?: unknown; message?: unknown; name?: unknown }[] {
  const chain: { code?: unknown; message?: unknown; name?: unknown; cause?: unknown }[] = [];
  let current: unknown = error;
  while (chain.length < 5 && typeof current === 'object' && current !== null) {
    const link = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    chain.push(link);
    current = link.cause;
  }
  return chain;
}

function errorCodes(error: unknown): string[] {
  return errorChain(error)
    .map((link) => link.code)
    .filter((code): code is string => typeof code === 'string');
}

function errorMessages(error: unknown): string {
  return errorChain(error)
    .map((link) => (typeof link.message === 'string' ? link.message : ''))
    .join(' ');
}

/** What an error thrown by undici (or the socket under it) means for the user, and whether to try again. */
export function classifyFailure(
  error: unknown,
  target: URL,
  proxy: ProxySetting | undefined,
  connectTimeoutMs: number,
  requestTimeoutMs: number,
): AttemptFailure {
  const host = target.host;
  const details = { registry: host };
  const codes = errorCodes(error);
  const has = (set: Set<string>) => codes.some((code) => set.has(code));
  const proxyName = proxy && `proxy ${proxy.url.host} (from ${proxy.variable})`;

  const certificate = codes.find((code) => CERTIFICATE_CODES.has(code));
  if (certificate) {
    const expired = certificate === 'CERT_HAS_EXPIRED' || certificate === 'CERT_NOT_YET_VALID';
    return {
      failure: new DockerPatError(
        'tls',
        `The TLS certificate of ${host} is not accepted (${certificate}).`,
        expired ? "The registry's operator must renew its certificate; check the runner's clock too." : TLS_TRUST_FIX,
        details,
      ),
      retryable: false,
    };
  }
  if (codes.some((code) => code === 'EPROTO' || code.startsWith('ERR_SSL_'))) {
    return {
      failure: new DockerPatError(
        'tls',
        `The TLS handshake with ${host} failed.`,
        'Check whether the registry serves HTTPS on that port; write http:// before the registry name if it only speaks plain HTTP.',
        details,
      ),
      retryable: false,
    };
  }
  const tunnelStatus = /Proxy response \((\d+)\)|Proxy Authentication Required \((\d+)\)/.exec(errorMessages(error));
  if (proxyName && tunnelStatus) {
    const status = tunnelStatus[1] ?? tunnelStatus[2];
    return {
      failure: new DockerPatError('unreachable', `The ${proxyName} would not connect to ${host} (HTTP ${status}).`, PROXY_FIX, details),
      retryable: false,
    };
  }
  if (has(DNS_CODES)) {
    const what = proxyName ? `Could not resolve the name of the ${proxyName}` : `Could not resolve the name ${target.hostname}`;
    return { failure: new DockerPatError('unreachable', `${what}.`, proxyName ? PROXY_FIX : UNREACHABLE_FIX, details), retryable: false };
  }
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT') || codes.includes('ETIMEDOUT')) {
    const what = proxyName ? `Connecting to the ${proxyName} for ${host}` : `Connecting to ${host}`;
    return { failure: new DockerPatError('timeout', `${what} timed out after ${connectTimeoutMs} ms.`, proxyName ? PROXY_FIX : TIMEOUT_FIX, details), retryable: false };
  }
  if (codes.includes('UND_ERR_HEADERS_TIMEOUT')) {
    return { failure: new DockerPatError('timeout', `${host} did not answer within ${requestTimeoutMs} ms.`, TIMEOUT_FIX, details), retryable: false };
  }
  if (codes.includes('UND_ERR_BODY_TIMEOUT')) {
    return {
      failure: new DockerPatError('timeout', `${host} stopped sending its response for ${requestTimeoutMs} ms.`, TIMEOUT_FIX, details),
      retryable: false,
    };
  }
  if (codes.includes('ECONNREFUSED')) {
    const what = proxyName ? `The ${proxyName} refused the connection` : `${host} refused the connection`;
    return { failure: new DockerPatError('unreachable', `${what}.`, proxyName ? PROXY_FIX : UNREACHABLE_FIX, details), retryable: true };
  }
  if (has(RETRYABLE_CONNECTION_CODES)) {
    return {
      failure: new DockerPatError('unreachable', `The connection to ${host} was closed before the response was complete.`, UNREACHABLE_FIX, details),
      retryable: true,
    };
  }
  const name = errorChain(error)[0]?.name;
  const code = codes[0] ?? (typeof name === 'string' ? name : 'unknown error');
  return { failure: new DockerPatError('unreachable', `Could not talk to ${host} (${code}).`, UNREACHABLE_FIX, details), retryable: false };
}
