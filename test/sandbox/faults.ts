/**
 * Injected failures, per service and for the next N requests, so clients can be proven to end in
 * the right error within their time bounds. Every fault answers without calling the real handler;
 * long-running ones (hang, slow body, oversized body) stop as soon as the connection closes, so a
 * sandbox stop never waits for them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceName } from './request-log.js';

export type Fault =
  | { kind: '5xx'; status?: number }
  | { kind: '429'; retryAfter?: number }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'slow-body'; bytesPerSecond: number }
  | { kind: 'malformed-json' }
  | { kind: 'oversized'; bytes: number };

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

export class FaultInjector {
  private readonly queues = new Map<ServiceName, QueuedFault[]>();

  inject(service: ServiceName, fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    const queue = this.queues.get(service) ?? [];
    queue.push({ fault, remaining: times });
    this.queues.set(service, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /** The fault that answers this request, consuming one of its uses. */
  take(service: ServiceName): Fault | undefined {
    const queue = this.queues.get(service);
    const next = queue?.[0];
    if (queue === undefined || next === undefined) return undefined;
    next.remaining -= 1;
    if (next.remaining === 0) queue.shift();
    return next.fault;
  }
}

const SLOW_BODY_BYTES = 4096;
const OVERSIZED_CHUNK = 64 * 1024;

/** Error bodies in the dialect of each service, so clients meet the shape they would parse. */
function errorBody(service: ServiceName, status: number): string {
  const tooMany = status === 429;
  switch (service) {
    case 'auth':
      return JSON.stringify({ details: tooMany ? 'too many requests' : 'service unavailable' });
    case 'hub':
      return JSON.stringify(tooMany ? { detail: 'Rate limit exceeded', error: false } : { message: 'service unavailable', errinfo: {} });
    default:
      return JSON.stringify({
        errors: [{ code: tooMany ? 'TOOMANYREQUESTS' : 'UNAVAILABLE', message: tooMany ? 'too many requests' : 'service unavailable' }],
      });
  }
}

/** A JSON document of exactly `bytes` bytes (at least 16), produced chunk by chunk. */
function* paddedJson(bytes: number): Generator<string> {
  const head = '{"padding":"';
  const tail = '"}';
  yield head;
  let left = Math.max(bytes, head.length + tail.length) - head.length - tail.length;
  while (left > 0) {
    const size = Math.min(left, OVERSIZED_CHUNK);
    yield 'x'.repeat(size);
    left -= size;
  }
  yield tail;
}

function writeSlowly(res: ServerResponse, bytesPerSecond: number): void {
  const body = [...paddedJson(SLOW_BODY_BYTES)].join('');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  const ticksPerSecond = 10;
  const perTick = Math.max(1, Math.round(bytesPerSecond / ticksPerSecond));
  let offset = 0;
  const timer = setInterval(() => {
    const chunk = body.slice(offset, offset + perTick);
    offset += chunk.length;
    if (offset >= body.length) {
      clearInterval(timer);
      res.end(chunk);
    } else {
      res.write(chunk);
    }
  }, 1000 / ticksPerSecond);
  res.on('close', () => clearInterval(timer));
}

function writeOversized(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunks = paddedJson(bytes);
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const pump = (): void => {
    for (;;) {
      if (closed) return;
      const next = chunks.next();
      if (next.done === true) {
        res.end();
        return;
      }
      if (!res.write(next.value)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Answers `req` with `fault` instead of the service's real behaviour. */
export function serveFault(service: ServiceName, fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  switch (fault.kind) {
    case '5xx': {
      const status = fault.status ?? 503;
      res.writeHead(status, { 'content-type': 'application/json' }).end(errorBody(service, status));
      return;
    }
    case '429': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(429, headers).end(errorBody(service, 429));
      return;
    }
    case 'reset':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"token":"', () => req.socket.resetAndDestroy());
      return;
    case 'hang':
      return;
    case 'slow-body':
      writeSlowly(res, fault.bytesPerSecond);
      return;
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token": "unterminated');
      return;
    case 'oversized':
      writeOversized(res, fault.bytes);
      return;
  }
}
