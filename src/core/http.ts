/**
 * The one HTTP client the core talks to registries with. Every request is bounded in time (connect,
 * per request, and a deadline for the client's whole life), retried only where a retry cannot lock
 * an account (429, 5xx, dropped connections; never 401/403), and every failure becomes a
 * DockerPatError naming the host and what failed, never a header, a credential or a body.
 */
import type { Dispatcher } from 'undici';
import { badInput, DockerPatError, type ErrorCode } from './errors.js';
import { attemptTimeoutError, classifyFailure, deadlineError, type AttemptFailure } from './http-errors.js';
import { proxyFor, type ProxySetting } from './http-proxy.js';
import { flattenHeaders, readCapped, type HttpResponse } from './http-response.js';
import { trustedCertificates } from './http-tls.js';
import { parseRetryAfter } from './retry-after.js';
import { Agent, ProxyAgent } from './undici-client.js';

/** Re-exported so code outside the core imports the client's companions from one module. */
export { parseJsonBody, type HttpResponse } from './http-response.js';
export { proxyFor } from './http-proxy.js';
export { parseRetryAfter } from './retry-after.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Responses larger than this fail with `registry-error`. Default 1 MiB. */
  maxBodyBytes?: number;
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

interface Route {
  dispatcher: Dispatcher;
  proxy: ProxySetting | undefined;
}

type Outcome = { response: HttpResponse } | AttemptFailure;

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
      if (remaining <= 0) throw deadlineError(target.host, this.deadlineMs);
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
      const res = await route.dispatcher.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
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
        const failure = cutByDeadline ? deadlineError(target.host, this.deadlineMs) : attemptTimeoutError(target.host, budgetMs, gotHeaders);
        return { failure, retryable: false };
      }
      return classifyFailure(error, target, route.proxy, this.connectTimeoutMs, this.requestTimeoutMs);
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
    return { dispatcher: agent, proxy };
  }
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

/** The URL without any user:password part, for the debug log. */
function loggableUrl(target: URL): string {
  return `${target.origin}${target.pathname}${target.search}`;
}
