/** `page`/`page_size` paging as the Hub API does it (defaults 1 and 10, page size at most 100). */
import type { IncomingMessage } from 'node:http';

const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  next: string | null;
  previous: string | null;
}

export type PagingRequest = { page: number; pageSize: number } | { error: Record<string, string[]> };

function positiveInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : undefined;
}

export function readPaging(url: URL): PagingRequest {
  const page = positiveInteger(url.searchParams.get('page'), 1);
  const pageSize = positiveInteger(url.searchParams.get('page_size'), 10);
  const error: Record<string, string[]> = {};
  if (page === undefined) error.page = ['must be a positive integer'];
  if (pageSize === undefined || pageSize > MAX_PAGE_SIZE) error.page_size = [`must be an integer from 1 to ${MAX_PAGE_SIZE}`];
  if (page === undefined || pageSize === undefined || Object.keys(error).length > 0) return { error };
  return { page, pageSize };
}

/** The requested page, or undefined for a page past the end (the Hub answers 404 there). */
export function paginate<T>(all: T[], paging: { page: number; pageSize: number }, req: IncomingMessage, path: string): Page<T> | undefined {
  const start = (paging.page - 1) * paging.pageSize;
  if (paging.page > 1 && start >= all.length) return undefined;
  const link = (page: number): string => `http://${req.headers.host ?? '127.0.0.1'}${path}?page=${page}&page_size=${paging.pageSize}`;
  return {
    items: all.slice(start, start + paging.pageSize),
    next: start + paging.pageSize < all.length ? link(paging.page + 1) : null,
    previous: paging.page > 1 ? link(paging.page - 1) : null,
  };
}
