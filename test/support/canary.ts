/**
 * The one canary every front end's tests use: it collects everything a run printed or wrote and
 * proves that no watched secret, no base64(user:secret), no JWT and no opaque registry token of
 * the sandbox appears in any of it. A leak is reported by kind and place, never by its value.
 */
import { expect } from '@jest/globals';
import { ACCOUNTS, GHCR_TOKENS, GITLAB_TOKENS, OATS, PATS } from '../sandbox/fixtures.js';

/** header.payload.signature with a JSON header and payload, as registries and Docker Hub issue them. */
export const JWT_SHAPE = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/;

/** The sandbox's GHCR face issues opaque tokens base64("v1:<repo>:<n>"); "v1:" encodes as "djE6". */
const SANDBOX_OPAQUE_TOKEN = /djE6[A-Za-z0-9+/]{4,}={0,2}/g;

/** Shorter values would match ordinary text, and no registry issues them (as SecretRegistry). */
const MIN_SECRET_LENGTH = 4;

function isSandboxOpaqueToken(candidate: string): boolean {
  return /^v1:[^:\s]+:\d+$/.test(Buffer.from(candidate, 'base64').toString('utf8'));
}

/** What leaks in `text`, as "<kind> in <where>" lines; empty when the text is clean. */
export function leaksIn(where: string, text: string, secrets: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [secret, kind] of secrets) if (text.includes(secret)) found.push(`${kind} (${secret.length} chars) in ${where}`);
  if (JWT_SHAPE.test(text)) found.push(`a JWT in ${where}`);
  if ([...text.matchAll(SANDBOX_OPAQUE_TOKEN)].some((match) => isSandboxOpaqueToken(match[0]))) found.push(`an opaque registry token in ${where}`);
  return found;
}

export class Canary {
  private readonly watched = new Map<string, string>();
  private readonly seen: Array<{ where: string; text: string }> = [];

  /** A secret, and with its username also base64(user:secret) as config.json and Basic auth hold it. */
  watch(secret: string, username?: string, kind = 'a secret'): this {
    if (secret.length >= MIN_SECRET_LENGTH) this.watched.set(secret, kind);
    if (username !== undefined && secret !== '') this.watched.set(Buffer.from(`${username}:${secret}`).toString('base64'), `base64(user:${kind})`);
    return this;
  }

  /** Values the program itself declared secret (the Action's ::add-mask:: values, a SecretRegistry). */
  watchAll(secrets: Iterable<string>, kind = 'a registered secret'): this {
    for (const secret of secrets) if (!this.watched.has(secret)) this.watch(secret, undefined, kind);
    return this;
  }

  secrets(): string[] {
    return [...this.watched.keys()];
  }

  /** Texts the program produced, each named by where it appeared. */
  recordAs(where: string, text: string): void {
    this.seen.push({ where, text });
  }

  record(...texts: string[]): void {
    for (const text of texts) this.recordAs(`output #${this.seen.length + 1}`, text);
  }

  get recorded(): number {
    return this.seen.length;
  }

  leaks(): string[] {
    return this.seen.flatMap(({ where, text }) => leaksIn(where, text, this.watched));
  }

  expectNoLeak(): void {
    expect(this.leaks()).toEqual([]);
  }
}

/** Every credential the sandbox's fixtures define, each with base64(user:secret). */
export function watchFixtureSecrets(canary: Canary): Canary {
  for (const pat of Object.values(PATS)) canary.watch(pat.secret, pat.owner, 'a personal access token');
  for (const oat of Object.values(OATS)) canary.watch(oat.secret, oat.org, 'an organization access token');
  for (const token of [...Object.values(GHCR_TOKENS), ...Object.values(GITLAB_TOKENS)]) canary.watch(token.secret, token.username, 'a registry token');
  for (const account of Object.values(ACCOUNTS)) {
    canary.watch(account.password, account.username, 'an account password');
    if ('totpSecret' in account && account.totpSecret !== undefined) canary.watch(account.totpSecret, undefined, 'a TOTP secret');
  }
  return canary;
}
