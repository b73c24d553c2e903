/**
 * A response as the HTTP client returns it, and reading one safely: headers flattened, the body
 * read only up to a size limit, JSON parsed into an error that names the host.
 */
import { DockerPatError } from './errors.js';

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (valid for WWW-Authenticate). */
  headers: Record<string, string>;
  body: string;
  url: string;
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

/** The host:port a response came from, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the registry';
  }
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body as text; past `limit` bytes it stops reading, drops the connection and fails. */
export async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number, host: string): Promise<string> {
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
