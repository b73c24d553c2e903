/**
 * One loopback HTTP server per sandbox service. It owns what every service shares: the request
 * log, fault injection, headers on every response, and a stop that never waits for a client,
 * because a hung or dripping connection must not keep a test from finishing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveFault, type FaultInjector } from './faults.js';
import type { RequestLog, ServiceName } from './request-log.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Endpoint {
  /** `127.0.0.1:PORT` */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
}

export interface ServiceServer extends Endpoint {
  stop(): Promise<void>;
}

export interface ServiceServerOptions {
  service: ServiceName;
  log: RequestLog;
  faults: FaultInjector;
  /** Where a handler's unexpected exception is reported, so tests can fail on sandbox bugs. */
  internalErrors: string[];
  handle: Handler;
  /** Headers set on every response of this service, faults included (e.g. the Hub's X-RateLimit-*). */
  everyResponseHeaders?: () => Record<string, string>;
}

export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const { service, log, faults, internalErrors, handle, everyResponseHeaders } = options;
  const server = createServer((req, res) => {
    const entry = log.begin(service, req);
    const settle = (): void => {
      entry.status = res.headersSent ? res.statusCode : 0;
    };
    res.on('finish', settle);
    res.on('close', settle);
    for (const [name, value] of Object.entries(everyResponseHeaders?.() ?? {})) res.setHeader(name, value);
    const fault = faults.take(service);
    if (fault !== undefined) {
      entry.fault = fault.kind;
      serveFault(service, fault, req, res);
      return;
    }
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        internalErrors.push(`${service} ${req.method} ${entry.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (res.headersSent) {
          res.destroy();
        } else {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"sandbox internal error"}');
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `http://${host}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
