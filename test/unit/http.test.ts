import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerPatError } from '../../src/core/errors.js';
import { HttpClient, parseJsonBody, parseRetryAfter, proxyFor, type HttpOptions, type RequestInfo } from '../../src/core/http.js';
import { rejection } from '../support/docker-pat-error.js';
import { closeServer, closedPort, listenOnLoopback } from '../support/loopback-server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Running {
  url: string;
  host: string;
  port: number;
  /** Requests (HTTP servers) or connections (raw TCP servers) seen. */
  hits: number;
  seen: string[];
  server: Server | ReturnType<typeof createNetServer>;
}

const running: Running[] = [];
const clients: HttpClient[] = [];

/** A client that records its waits instead of waiting. */
function client(options: HttpOptions = {}): { http: HttpClient; delays: number[]; infos: RequestInfo[] } {
  const delays: number[] = [];
  const infos: RequestInfo[] = [];
  const http = new HttpClient({
    env: {},
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRequest: (info) => infos.push(info),
    ...options,
  });
  clients.push(http);
  return { http, delays, infos };
}

async function listen(server: Running['server'], scheme: string): Promise<Running> {
  const { host, port } = await listenOnLoopback(server);
  const entry: Running = { url: `${scheme}://${host}`, host, port, hits: 0, seen: [], server };
  running.push(entry);
  return entry;
}

async function httpServer(handler: Handler): Promise<Running> {
  const server = createHttpServer();
  const entry = await listen(server, 'http');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    entry.hits++;
    entry.seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  return entry;
}

/** A raw TCP server, for faults an HTTP server will not produce. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<Running> {
  const sockets = new Set<Socket>();
  const server = createNetServer();
  const entry = await listen(server, 'http');
  server.on('connection', (socket: Socket) => {
    entry.hits++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    sockets.forEach((s) => s.destroy());
    return close(cb);
  }) as typeof server.close;
  return entry;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(running.splice(0).map((r) => closeServer(r.server)));
});

describe('retries', () => {
  it('retries a burst of 5xx and returns the success that follows', async () => {
    const statuses = [503, 502];
    const server = await httpServer((_req, res) => {
      res.statusCode = statuses.shift() ?? 200;
      res.end('{}');
    });
    const { http, delays, infos } = client({ maxRetries: 2, maxRetryDelayMs: 5000 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(server.hits).toBe(3);
    expect(delays).toHaveLength(2);
    for (const delay of delays) {
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(5000);
    }
    expect(infos.map((i) => [i.status, i.attempt])).toEqual([
      [503, 1],
      [502, 2],
      [200, 3],
    ]);
  });

  it('returns the last 5xx once the retries are spent', async () => {
    const server = await httpServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const { http, delays } = client({ maxRetries: 3 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(500);
    expect(server.hits).toBe(4);
    expect(delays).toHaveLength(3);
  });

  it('backs off exponentially with jitter, capped by maxRetryDelayMs', async () => {
    const server = await httpServer((_req, res) => {
      res.statusCode = 429;
      res.end();
    });
    const { http, delays } = client({ maxRetries: 5, maxRetryDelayMs: 1000 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(429);
    expect(server.hits).toBe(6);
    const ceilings = [250, 500, 1000, 1000, 1000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[i]!);
    });
  });

  it('waits exactly what Retry-After asks (seconds) on a 429', async () => {
    let first = true;
    const server = await httpServer((_req, res) => {
      if (first) {
        first = false;
        res.writeHead(429, { 'retry-after': '2' });
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}');
        return;
      }
      res.end('ok');
    });
    const { http, delays } = client();
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(server.hits).toBe(2);
    expect(delays).toEqual([2000]);
  });

  it('honours Retry-After as an HTTP date and the legacy X-Retry-After unix time', async () => {
    const headers = [
      { 'retry-after': new Date(Date.now() + 3000).toUTCString() },
      { 'x-retry-after': String(Math.floor(Date.now() / 1000) + 3) },
    ];
    const server = await httpServer((_req, res) => {
      const next = headers.shift();
      res.writeHead(next ? 429 : 200, next ?? {});
      res.end();
    });
    const { http, delays } = client({ maxRetries: 2 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(delays).toHaveLength(2);
    for (const delay of delays) {
      expect(delay).toBeGreaterThan(1000);
      expect(delay).toBeLessThanOrEqual(3000);
    }
  });

  it('does not retry early when Retry-After asks for more than it may wait', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end();
    });
    const { http, delays } = client({ maxRetryDelayMs: 5000 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3600');
    expect(server.hits).toBe(1);
    expect(delays).toEqual([]);
  });

  it.each([401, 403, 400, 404, 409])('never retries a %i: exactly one request', async (status) => {
    const server = await httpServer((_req, res) => {
      res.statusCode = status;
      res.end('{"details":"incorrect username or password"}');
    });
    const { http, delays } = client({ maxRetries: 5 });
    const res = await http.request({ method: 'GET', url: `${server.url}/token`, headers: { authorization: 'Basic c2VjcmV0' } });
    expect(res.status).toBe(status);
    expect(server.hits).toBe(1);
    expect(delays).toEqual([]);
  });

  it('does not wait past the deadline for a retry', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '4' });
      res.end();
    });
    const { http, delays } = client({ deadlineMs: 2000, maxRetryDelayMs: 10000 });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(503);
    expect(server.hits).toBe(1);
    expect(delays).toEqual([]);
  });
});

describe('connection faults', () => {
  it('retries a connection reset mid-body, then reports the host as unreachable', async () => {
    const server = await tcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"token":"');
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
    const { http, delays } = client({ maxRetries: 2 });
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/token` }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(server.host);
    expect(error.registry).toBe(server.host);
    expect(error.fix).toMatch(/HTTPS_PROXY/);
    expect(server.hits).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it('succeeds when the connection is reset once and then answers', async () => {
    let resets = 1;
    const server = await tcpServer((socket) => {
      socket.once('data', () => {
        if (resets-- > 0) {
          socket.resetAndDestroy();
          return;
        }
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}');
      });
    });
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(res.body).toBe('{}');
    expect(server.hits).toBe(2);
  });

  it('retries a refused connection and reports it as unreachable', async () => {
    const port = await closedPort();
    const { http, delays } = client({ maxRetries: 2 });
    const error = await rejection(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/v2/` }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`127.0.0.1:${port} refused the connection.`);
    expect(delays).toHaveLength(2);
  });

  it('does not retry a DNS failure', async () => {
    const { http, delays, infos } = client({ maxRetries: 2 });
    const error = await rejection(http.request({ method: 'GET', url: 'https://registry.docker-pat.invalid/v2/' }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('registry.docker-pat.invalid');
    expect(error.fix).toBe("Check the registry name and the runner's network or proxy settings (HTTPS_PROXY, NO_PROXY).");
    expect(delays).toEqual([]);
    expect(infos).toEqual([{ method: 'GET', url: 'https://registry.docker-pat.invalid/v2/', status: undefined, attempt: 1, failure: 'unreachable' }]);
  });

  it('bounds a server that accepts and never answers, without retrying', async () => {
    const server = await tcpServer(() => undefined);
    const { http, delays } = client({ requestTimeoutMs: 300, maxRetries: 2 });
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain(server.host);
    expect(error.message).toMatch(/did not answer within 300 ms/);
    expect(server.hits).toBe(1);
    expect(delays).toEqual([]);
  });

  it('bounds a body that drips in slowly, however steady the drip', async () => {
    const server = await tcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n');
        const drip = setInterval(() => socket.write('x'), 20);
        socket.on('close', () => clearInterval(drip));
      });
    });
    const { http } = client({ requestTimeoutMs: 400 });
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`${server.host} did not finish sending its response within 400 ms.`);
  });

  it('fails every request with timeout once the client deadline has passed', async () => {
    const server = await tcpServer(() => undefined);
    const { http } = client({ deadlineMs: 300, requestTimeoutMs: 10000 });
    const first = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(first.code).toBe('timeout');
    expect(first.message).toMatch(/time limit of 300 ms/);
    const hitsAfterFirst = server.hits;
    const second = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(second.code).toBe('timeout');
    expect(server.hits).toBe(hitsAfterFirst);
  });
});

describe('bodies', () => {
  it('turns malformed JSON into registry-error naming the host and what was expected', async () => {
    const server = await httpServer((_req, res) => res.end('{"token": "abc'));
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${server.url}/token` });
    let error: unknown;
    try {
      parseJsonBody(res, 'token response');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DockerPatError);
    expect((error as DockerPatError).code).toBe('registry-error');
    expect((error as DockerPatError).message).toBe(`${server.host} sent a token response that is not valid JSON (HTTP 200).`);
    expect((error as DockerPatError).message).not.toContain('abc');
  });

  it('refuses a body over 1 MiB by default, without retrying', async () => {
    const server = await httpServer((_req, res) => res.end(Buffer.alloc(2 * 1024 * 1024, 'a')));
    const { http, delays } = client();
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(error.code).toBe('registry-error');
    expect(error.message).toContain(`${server.host} sent a response larger than 1 MiB`);
    expect(server.hits).toBe(1);
    expect(delays).toEqual([]);
  });

  it('stops reading a chunked body as soon as it passes maxBodyBytes', async () => {
    let written = 0;
    const server = await httpServer((_req, res) => {
      const pump = setInterval(() => {
        if (!res.write(Buffer.alloc(16 * 1024, 'b'))) return;
        written += 16 * 1024;
      }, 1);
      res.on('close', () => clearInterval(pump));
    });
    const { http } = client({ requestTimeoutMs: 20000 });
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/`, maxBodyBytes: 64 * 1024 }));
    expect(error.code).toBe('registry-error');
    expect(error.message).toContain('larger than 64 KiB');
    expect(written).toBeLessThan(50 * 1024 * 1024);
  });

  it('returns lower-case headers, joining repeated ones, and sends a user agent', async () => {
    let agent: string | undefined;
    const server = await httpServer((req, res) => {
      agent = req.headers['user-agent'];
      res.setHeader('WWW-Authenticate', ['Bearer realm="https://a/token"', 'Basic realm="b"']);
      res.end('{}');
    });
    const { http } = client({ userAgent: 'docker-pat-test' });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="https://a/token", Basic realm="b"');
    expect(res.url).toBe(`${server.url}/v2/`);
    expect(agent).toBe('docker-pat-test');
  });
});

describe('TLS', () => {
  let dir: string;
  let ca: string;
  let key: string;
  let wrongNameCert: string;
  let wrongNameKey: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'docker-pat-tls-'));
    const make = (name: string, san: string) =>
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
        '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-subj', '/CN=docker-pat test', '-addext', `subjectAltName=${san}`,
      ], { stdio: 'ignore' });
    make('ip', 'IP:127.0.0.1');
    make('wrong', 'DNS:wrong.example');
    ca = readFileSync(join(dir, 'ip.pem'), 'utf8');
    key = readFileSync(join(dir, 'ip.key'), 'utf8');
    wrongNameCert = readFileSync(join(dir, 'wrong.pem'), 'utf8');
    wrongNameKey = readFileSync(join(dir, 'wrong.key'), 'utf8');
    expect(ca.endsWith('\n')).toBe(true);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function tlsServer(cert: string, certKey: string): Promise<Running> {
    const server = createHttpsServer({ cert, key: certKey });
    const entry = await listen(server, 'https');
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      entry.hits++;
      res.end('{}');
    });
    return entry;
  }

  it('fails with tls on an unknown CA, without retrying, and names the fix', async () => {
    const server = await tlsServer(ca, key);
    const { http, delays } = client();
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(error.code).toBe('tls');
    expect(error.message).toContain(server.host);
    expect(error.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    // No front end has a ca-certificates input or flag: the fix names only what users can set.
    expect(error.fix).not.toMatch(/ca-certificates/);
    expect(error.fix).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(delays).toEqual([]);
  });

  it('succeeds once the CA is given, in addition to the default roots', async () => {
    const server = await tlsServer(ca, key);
    const { http } = client({ caCertificates: [ca] });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
  });

  it('succeeds with the CA named by NODE_EXTRA_CA_CERTS in its environment', async () => {
    const server = await tlsServer(ca, key);
    const { http } = client({ env: { NODE_EXTRA_CA_CERTS: join(dir, 'ip.pem') } });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
  });

  it('fails with tls when the trusted certificate names another host', async () => {
    const server = await tlsServer(wrongNameCert, wrongNameKey);
    const { http } = client({ caCertificates: [wrongNameCert] });
    const error = await rejection(http.request({ method: 'GET', url: `${server.url}/v2/` }));
    expect(error.code).toBe('tls');
    expect(error.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('fails with tls when https meets a plain-HTTP server', async () => {
    const server = await httpServer((_req, res) => res.end('{}'));
    const { http } = client();
    const error = await rejection(http.request({ method: 'GET', url: `https://${server.host}/v2/` }));
    expect(error.code).toBe('tls');
    expect(error.fix).toMatch(/http:\/\//);
  });

  it('rejects a CA option that is not PEM and an unreadable NODE_EXTRA_CA_CERTS as bad input', () => {
    expect(() => new HttpClient({ caCertificates: ['not a certificate'] })).toThrow(expect.objectContaining({ code: 'bad-input', field: 'ca-certificates' }));
    expect(() => new HttpClient({ env: { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') } })).toThrow(
      expect.objectContaining({ code: 'bad-input', field: 'NODE_EXTRA_CA_CERTS' }),
    );
  });

  it('tunnels HTTPS through a CONNECT proxy, trusting the given CA for the registry', async () => {
    const server = await tlsServer(ca, key);
    const proxy = await connectProxy();
    const { http } = client({ caCertificates: [ca], env: { HTTPS_PROXY: proxy.url } });
    const res = await http.request({ method: 'GET', url: `${server.url}/v2/` });
    expect(res.status).toBe(200);
    expect(proxy.seen).toEqual([`CONNECT ${server.host}`]);
  });
});

/** A proxy that tunnels CONNECT and forwards absolute-URL requests, recording both. */
async function connectProxy(refuseConnect = false): Promise<Running> {
  const entry = await httpServer((req, res) => {
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const server = entry.server as Server;
  server.on('connect', (req: IncomingMessage, clientSocket: Socket) => {
    entry.seen.push(`CONNECT ${req.url}`);
    clientSocket.on('error', () => undefined);
    if (refuseConnect) {
      clientSocket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('close', () => upstream.destroy());
  });
  return entry;
}

describe('proxies', () => {
  it('reports a proxy that refuses as unreachable, naming the proxy but never its credentials', async () => {
    const port = await closedPort();
    const { http } = client({ env: { HTTPS_PROXY: `http://proxyuser:proxy-pass-1234@127.0.0.1:${port}` }, maxRetries: 1 });
    const error = await rejection(http.request({ method: 'GET', url: 'https://registry.example.com/v2/' }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`The proxy 127.0.0.1:${port} (from HTTPS_PROXY) refused the connection.`);
    expect(error.registry).toBe('registry.example.com');
    expect(JSON.stringify({ ...error, message: error.message, fix: error.fix })).not.toMatch(/proxy-pass-1234|proxyuser/);
  });

  it('forwards a plain-HTTP request through HTTP_PROXY', async () => {
    const registry = await httpServer((_req, res) => res.end('{"via":"proxy"}'));
    const proxy = await connectProxy();
    const { http } = client({ env: { http_proxy: proxy.url } });
    const res = await http.request({ method: 'GET', url: `${registry.url}/v2/` });
    expect(res.body).toBe('{"via":"proxy"}');
    expect(proxy.seen).toEqual([`GET ${registry.url}/v2/`]);
  });

  it('goes direct for a host listed in NO_PROXY', async () => {
    const registry = await httpServer((_req, res) => res.end('{}'));
    const proxy = await connectProxy();
    const { http } = client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com, 127.0.0.1' } });
    const res = await http.request({ method: 'GET', url: `${registry.url}/v2/` });
    expect(res.status).toBe(200);
    expect(proxy.hits).toBe(0);
    expect(proxy.seen).toEqual([]);
  });

  it('reports a proxy that will not open the tunnel as unreachable, naming the proxy', async () => {
    const proxy = await connectProxy(true);
    const { http, delays } = client({ env: { HTTPS_PROXY: proxy.url } });
    const error = await rejection(http.request({ method: 'GET', url: 'https://registry.example.com/v2/' }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`The proxy ${proxy.host} (from HTTPS_PROXY) would not connect to registry.example.com (HTTP 403).`);
    expect(error.fix).toMatch(/NO_PROXY/);
    expect(delays).toEqual([]);
  });

  it('rejects a proxy variable that is not a URL as bad input naming the variable', async () => {
    const { http } = client({ env: { HTTPS_PROXY: 'http://[not-a-host' } });
    const error = await rejection(http.request({ method: 'GET', url: 'https://registry.example.com/v2/' }));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('HTTPS_PROXY');
    expect(error.message).not.toContain('not-a-host');
  });

  it('chooses proxies with EnvHttpProxyAgent semantics', () => {
    const https = new URL('https://registry.example.com/v2/');
    const plain = new URL('http://127.0.0.1:5000/v2/');
    expect(proxyFor(https, {})).toBeUndefined();
    expect(proxyFor(https, { HTTP_PROXY: 'http://p:1' })?.variable).toBe('HTTP_PROXY');
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' })?.url.host).toBe('lower:1');
    expect(proxyFor(plain, { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'proxy.corp:3128' })?.url.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.example.com' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', no_proxy: '*.example.com' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com:443' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com:8443' })).toBeDefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'ample.com' })).toBeDefined();
    expect(proxyFor(plain, { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:5000' })).toBeUndefined();
  });
});

describe('secrets in failures', () => {
  it('never puts request headers or the URL credentials in errors or the debug log', async () => {
    const secret = 'dckr_pat_SECRETSECRETSECRETSECRET12';
    const port = await closedPort();
    const { http, infos } = client({ maxRetries: 1 });
    const error = await rejection(
      http.request({ method: 'GET', url: `http://alice:${secret}@127.0.0.1:${port}/token?scope=x`, headers: { authorization: `Bearer ${secret}` } }),
    );
    const everything = JSON.stringify([error.message, error.fix, error, infos]);
    expect(everything).not.toContain(secret);
    expect(infos[0]?.url).toBe(`http://127.0.0.1:${port}/token?scope=x`);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);

  it('reads seconds, HTTP dates and the legacy unix time', () => {
    expect(parseRetryAfter({ 'retry-after': '7' }, now)).toBe(7000);
    expect(parseRetryAfter({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': new Date(now - 5000).toUTCString() }, now)).toBe(0);
    expect(parseRetryAfter({ 'x-retry-after': String(now / 1000 + 9) }, now)).toBe(9000);
    expect(parseRetryAfter({ 'x-retry-after': '4' }, now)).toBe(4000);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });

  it('never throws and never returns a negative or non-finite wait', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 4_102_444_800_000 }), (retryAfter, legacy, at) => {
        const wait = parseRetryAfter({ 'retry-after': retryAfter, 'x-retry-after': legacy }, at);
        return wait === undefined || (Number.isFinite(wait) && wait >= 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads any whole number of seconds exactly', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), (seconds) => parseRetryAfter({ 'retry-after': ` ${seconds} ` }, now) === seconds * 1000),
      { numRuns: 2000 },
    );
  });
});

describe('requests', () => {
  it('sends the method, headers and body given', async () => {
    let received = '';
    let auth: string | undefined;
    const server = await httpServer((req, res) => {
      auth = req.headers.authorization;
      req.on('data', (chunk: Buffer) => (received += chunk.toString()));
      req.on('end', () => {
        res.statusCode = 202;
        res.setHeader('location', '/v2/x/blobs/uploads/1');
        res.end();
      });
    });
    const { http } = client();
    const res = await http.request({ method: 'POST', url: `${server.url}/v2/x/blobs/uploads/`, headers: { authorization: 'Bearer t0k3n' }, body: 'hello' });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/v2/x/blobs/uploads/1');
    expect(received).toBe('hello');
    expect(auth).toBe('Bearer t0k3n');
    expect(server.seen).toEqual(['POST /v2/x/blobs/uploads/']);
  });

  it('rejects a URL that is not http(s) as bad input', async () => {
    const { http } = client();
    const error = await rejection(http.request({ method: 'GET', url: 'ftp://example.com/' }));
    expect(error.code).toBe('bad-input');
    const relative = await rejection(http.request({ method: 'GET', url: '/v2/' }));
    expect(relative.code).toBe('bad-input');
  });
});
