/**
 * The one HTTP client the core talks to registries with. Every request is bounded in time (connect,
 * per request, and a deadline for the client's whole life), retried only where a retry cannot lock
 * an account (429, 5xx, dropped connections; never 401/403), and every failure becomes a
 * DockerPatError naming the host and what failed, never a header, a credential or a body.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { badInput, DockerPatError, type ErrorCode } from './errors.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Responses larger than this fail with `registry-error`. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (valid for WWW-Authenticate). */
  headers: Record<string, string>;
  body: string;
  url: string;
}

/** What the debug log may see of one attempt: never headers or bodies. */
export interface RequestInfo {
  method: string;
  url: string;
  /** Undefined when the attempt failed without a response. */
  status: number | undefined;
  attempt: number;
  /** The error code of an attempt that failed without a response. */
  failure?: ErrorCode;
}

export interface HttpOptions {
  connectTimeoutMs?: number;
  /** Bound on one attempt, from sending the request to the last byte of the body. */
  requestTimeoutMs?: number;
  /** Bound on everything this client does, retries and waits included. */
  deadlineMs?: number;
  maxRetries?: number;
  maxRetryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Extra trusted CA certificates (PEM), added to Node's default roots. */
  caCertificates?: string[];
  /** Where HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case) and NODE_EXTRA_CA_CERTS are read. */
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
  onRequest?: (info: RequestInfo) => void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const BACKOFF_BASE_MS = 250;
const DEFAULT_USER_AGENT = 'docker-pat';

const UNREACHABLE_FIX = "Check the registry name and the runner's network or proxy settings (HTTPS_PROXY, NO_PROXY).";
const TIMEOUT_FIX =
  "Check that the registry is up and reachable from the runner (proxy settings HTTPS_PROXY, NO_PROXY), then run the job again.";
const TLS_TRUST_FIX =
  'If the registry uses a private or self-signed certificate authority, give its CA certificate (PEM) with the ca-certificates option or point NODE_EXTRA_CA_CERTS at it; otherwise check the registry name.';
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

interface Route {
  dispatcher: Dispatcher;
  proxy: { host: string; variable: string } | undefined;
}

type Outcome = { response: HttpResponse } | { failure: DockerPatError; retryable: boolean };

export class HttpClient {
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly deadlineAt: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly env: NodeJS.ProcessEnv;
  private readonly userAgent: string;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  private readonly ca: string[] | undefined;
  private readonly direct: Agent;
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(options: HttpOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10000;
    this.deadlineMs = options.deadlineMs ?? 30000;
    this.deadlineAt = Date.now() + this.deadlineMs;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.env = options.env ?? process.env;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.onRequest = options.onRequest;
    this.ca = trustedCertificates(options.caCertificates ?? [], this.env);
    this.direct = new Agent({ connect: { timeout: this.connectTimeoutMs, ca: this.ca } });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const target = parseTarget(req.url);
    const route = this.routeFor(target);
    for (let attempt = 1; ; attempt++) {
      const remaining = this.deadlineAt - Date.now();
      if (remaining <= 0) throw this.deadlineError(target);
      const outcome = await this.attempt(req, target, route, remaining);
      this.onRequest?.({
        method: req.method,
        url: loggableUrl(target),
        status: 'response' in outcome ? outcome.response.status : undefined,
        attempt,
        ...('failure' in outcome ? { failure: outcome.failure.code } : {}),
      });
      const delay = this.retryDelay(outcome, attempt);
      if (delay === undefined) {
        if ('response' in outcome) return outcome.response;
        throw outcome.failure;
      }
      await this.sleep(delay);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
  }

  private async attempt(req: HttpRequest, target: URL, route: Route, remainingMs: number): Promise<Outcome> {
    const budgetMs = Math.min(this.requestTimeoutMs, remainingMs);
    const cutByDeadline = remainingMs < this.requestTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budgetMs);
    let gotHeaders = false;
    try {
      const res = await undiciRequest(target, {
        dispatcher: route.dispatcher,
        method: req.method as Dispatcher.HttpMethod,
        headers: { 'user-agent': this.userAgent, ...req.headers },
        body: req.body,
        signal: controller.signal,
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
      });
      gotHeaders = true;
      const body = await readCapped(res.body, req.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, target.host);
      return { response: { status: res.statusCode, headers: flattenHeaders(res.headers), body, url: target.href } };
    } catch (error) {
      if (error instanceof DockerPatError) return { failure: error, retryable: false };
      if (controller.signal.aborted) {
        return { failure: this.timerError(target, budgetMs, cutByDeadline, gotHeaders), retryable: false };
      }
      return classifyFailure(error, target, route, this.connectTimeoutMs, this.requestTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * How long to wait before the next attempt, or undefined to stop. A Retry-After beyond what we
   * may wait ends the retries rather than being shortened: asking again early only earns another 429.
   */
  private retryDelay(outcome: Outcome, attempt: number): number | undefined {
    if (attempt > this.maxRetries) return undefined;
    let delay: number;
    if ('response' in outcome) {
      const { status, headers } = outcome.response;
      if (status !== 429 && (status < 500 || status > 599)) return undefined;
      const asked = parseRetryAfter(headers, Date.now());
      if (asked !== undefined && asked > this.maxRetryDelayMs) return undefined;
      delay = asked ?? this.backoff(attempt);
    } else {
      if (!outcome.retryable) return undefined;
      delay = this.backoff(attempt);
    }
    return Date.now() + delay < this.deadlineAt ? delay : undefined;
  }

  /** Exponential, with jitter in its upper half so parallel jobs do not retry in step. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), this.maxRetryDelayMs);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private routeFor(target: URL): Route {
    const proxy = proxyFor(target, this.env);
    if (!proxy) return { dispatcher: this.direct, proxy: undefined };
    let agent = this.proxies.get(proxy.url.href);
    if (!agent) {
      const tls = { timeout: this.connectTimeoutMs, ca: this.ca };
      // A plain-HTTP registry goes through the proxy as a forwarded request; HTTPS is tunnelled.
      agent = new ProxyAgent({ uri: proxy.url.href, proxyTunnel: false, requestTls: tls, proxyTls: tls });
      this.proxies.set(proxy.url.href, agent);
    }
    return { dispatcher: agent, proxy: { host: proxy.url.host, variable: proxy.variable } };
  }

  private deadlineError(target: URL): DockerPatError {
    return new DockerPatError(
      'timeout',
      `Gave up on ${target.host}: the time limit of ${this.deadlineMs} ms for the whole check ran out.`,
      TIMEOUT_FIX,
      { registry: target.host },
    );
  }

  private timerError(target: URL, budgetMs: number, cutByDeadline: boolean, gotHeaders: boolean): DockerPatError {
    if (cutByDeadline) return this.deadlineError(target);
    const what = gotHeaders ? 'did not finish sending its response' : 'did not answer';
    return new DockerPatError('timeout', `${target.host} ${what} within ${budgetMs} ms.`, TIMEOUT_FIX, { registry: target.host });
  }
}

/** JSON from a response, or `registry-error` naming the host and what was expected. */
export function parseJsonBody(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    const host = hostOf(res.url);
    throw new DockerPatError(
      'registry-error',
      `${host} sent a ${what} that is not valid JSON (HTTP ${res.status}).`,
      'Check that the registry name points at a Docker registry; if it does, the registry is misbehaving, so run the job again later.',
      { registry: host },
    );
  }
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
 * Milliseconds the server asks us to wait: Retry-After as seconds or an HTTP date, or Docker Hub's
 * older X-Retry-After (a unix time; small values read as seconds). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const legacy = headers['x-retry-after']?.trim();
  if (legacy && /^\d+$/.test(legacy)) {
    const value = Number(legacy);
    return value >= 1e9 ? Math.max(0, value * 1000 - nowMs) : value * 1000;
  }
  return undefined;
}

function parseTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw badInput('url', 'is not an absolute URL', 'an http:// or https:// URL');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw badInput('url', `uses the unsupported scheme ${target.protocol}`, 'an http:// or https:// URL');
  }
  return target;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the registry';
  }
}

/** The URL without any user:password part, for the debug log. */
function loggableUrl(target: URL): string {
  return `${target.origin}${target.pathname}${target.search}`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number, host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new DockerPatError(
        'registry-error',
        `${host} sent a response larger than ${formatBytes(limit)}; it was not read further.`,
        'Check that the registry name points at a Docker registry: its answers to these requests are small.',
        { registry: host },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib && bytes % mib === 0) return `${bytes / mib} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Passing `ca` replaces Node's trust store, so the default roots and NODE_EXTRA_CA_CERTS (which
 * Node only reads at start-up, from its own environment) are added back explicitly.
 */
function trustedCertificates(extra: string[], env: NodeJS.ProcessEnv): string[] | undefined {
  for (const pem of extra) {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw badInput('ca-certificates', 'holds something that is not a PEM certificate', 'one or more PEM blocks starting with -----BEGIN CERTIFICATE-----');
    }
  }
  const fromEnv: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      fromEnv.push(readFileSync(extraFile, 'utf8'));
    } catch {
      throw badInput('NODE_EXTRA_CA_CERTS', 'names a file that cannot be read', 'the path of a readable PEM file, or leave it unset');
    }
  }
  if (extra.length === 0 && fromEnv.length === 0) return undefined;
  return [...rootCertificates, ...fromEnv, ...extra];
}

/**
 * The proxy for a URL, with the semantics of undici's EnvHttpProxyAgent (lower-case variables win;
 * an HTTPS URL falls back to HTTP_PROXY; NO_PROXY lists hosts, domain suffixes, host:port or `*`),
 * decided here so an error can name the proxy that failed.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): { url: URL; variable: string } | undefined {
  const candidates = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = candidates.find((name) => env[name]);
  if (!variable) return undefined;
  if (bypassesProxy(target, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  return { url: parseProxyUrl(env[variable] as string, variable), variable };
}

function bypassesProxy(target: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const hostname = target.hostname.toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      const parsed = /^(.+):(\d+)$/.exec(entry);
      const entryHost = (parsed ? parsed[1] : entry).replace(/^\*?\./, '').toLowerCase();
      if (parsed && Number(parsed[2]) !== port) return false;
      return hostname === entryHost || hostname.endsWith(`.${entryHost}`);
    });
}

function parseProxyUrl(value: string, variable: string): URL {
  const validForm = 'http://host:port (with credentials: http://user:password@host:port)';
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw badInput(variable, 'is not a proxy URL', validForm);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(variable, `uses the unsupported scheme ${url.protocol}`, validForm);
  return url;
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

function classifyFailure(error: unknown, target: URL, route: Route, connectTimeoutMs: number, requestTimeoutMs: number): Outcome {
  const host = target.host;
  const details = { registry: host };
  const codes = errorCodes(error);
  const has = (set: Set<string>) => codes.some((code) => set.has(code));
  const proxy = route.proxy;
  const proxyName = proxy && `proxy ${proxy.host} (from ${proxy.variable})`;

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
