/**
 * What every sandbox service was asked, for assertions such as "no request reached the registry
 * after a 401". Entries hold the shape of a request only: header values (credentials) are reduced
 * to the authorization scheme, and bodies are never read here.
 */
import type { IncomingMessage } from 'node:http';

export type ServiceName = 'registry' | 'auth' | 'hub' | 'ghcr' | 'gitlab';

export type AuthorizationKind = 'basic' | 'bearer' | 'none' | 'private-token' | 'other';

export interface RequestLogEntry {
  service: ServiceName;
  method: string;
  /** URL path without the query. */
  path: string;
  /** Query string without `?` (the sandbox's endpoints take no secrets in the query). */
  query: string;
  /** 0 while no status has been sent (a request still pending, or a `hang` fault). */
  status: number;
  authorization: AuthorizationKind;
  /** The injected fault that answered this request, if any. */
  fault?: string;
}

function authorizationKind(req: IncomingMessage): AuthorizationKind {
  const header = req.headers.authorization;
  if (header === undefined || header === '') {
    return req.headers['private-token'] === undefined ? 'none' : 'private-token';
  }
  const scheme = header.trim().split(/\s+/)[0]?.toLowerCase();
  if (scheme === 'basic') return 'basic';
  if (scheme === 'bearer') return 'bearer';
  return 'other';
}

export class RequestLog {
  private readonly list: RequestLogEntry[] = [];

  /** A snapshot in arrival order; a pending entry's status is filled in when it is answered. */
  entries(): RequestLogEntry[] {
    return [...this.list];
  }

  forService(service: ServiceName): RequestLogEntry[] {
    return this.list.filter((entry) => entry.service === service);
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Records the request as it arrives and returns the entry to complete later. */
  begin(service: ServiceName, req: IncomingMessage): RequestLogEntry {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const entry: RequestLogEntry = {
      service,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      status: 0,
      authorization: authorizationKind(req),
    };
    this.list.push(entry);
    return entry;
  }
}
