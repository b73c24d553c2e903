/** Small request/response helpers shared by the fake services. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_REQUEST_BODY = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status).end();
}

/** The request body as text; bodies over 1 MiB are refused rather than buffered. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) throw new Error('request body over 1 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON object in the body, or undefined when the body is not a JSON object. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const text = await readBody(req);
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface BasicCredentials {
  username: string;
  password: string;
}

export function basicCredentials(req: IncomingMessage): BasicCredentials | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://sandbox.invalid');
}
