/**
 * Which proxy, if any, a request goes through, read from the environment the way CI runners set it
 * (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, in either case).
 */
import { badInput } from './errors.js';

export interface ProxySetting {
  /** May hold user:password; only its `host` is ever shown. */
  url: URL;
  /** The environment variable it came from, so an error can say where to fix it. */
  variable: string;
}

/**
 * The proxy for a URL, with the semantics of undici's EnvHttpProxyAgent (lower-case variables win;
 * an HTTPS URL falls back to HTTP_PROXY; NO_PROXY lists hosts, domain suffixes, host:port or `*`),
 * decided here so an error can name the proxy that failed.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ProxySetting | undefined {
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
