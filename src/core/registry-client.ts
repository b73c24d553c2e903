/**
 * The registry API calls the check makes: the unauthenticated `/v2/` ping that reveals how a
 * registry authenticates, a Basic-auth login check, and probes that prove pull and push with a
 * token whose grants cannot be read (GHCR's opaque tokens) without leaving anything behind.
 */
import { randomUUID } from 'node:crypto';
import { parseWwwAuthenticate, type Challenge } from './challenge.js';
import { badInput, DockerPatError } from './errors.js';
import type { HttpClient } from './http.js';
import { rateLimitedError, unexpectedStatusError } from './http-errors.js';
import type { HttpResponse } from './http-response.js';
import type { RegistryRef } from './model.js';
import { isPathComponent } from './reference.js';
import type { SecretRegistry } from './secrets.js';
import { checkUsername } from './username.js';

export interface PingResult {
  /** 200: the registry needs no authentication; 401: `challenges` say how to authenticate. */
  status: number;
  challenges: Challenge[];
}

/** Manifest types a HEAD must accept so that an existing image is not reported missing. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Error codes with which a registry says "you may look, but there is nothing here". */
const NOT_FOUND_CODES = new Set(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN']);

/** Error codes for an upload session that does not exist: the request got past authorization. */
const UNKNOWN_UPLOAD_CODES = new Set(['BLOB_UPLOAD_UNKNOWN', 'BLOB_UPLOAD_INVALID']);

export async function pingRegistry(http: HttpClient, ref: RegistryRef): Promise<PingResult> {
  const res = await http.request({ method: 'GET', url: `${ref.baseUrl}/v2/` });
  const challenges = parseWwwAuthenticate(res.headers['www-authenticate'] ?? '');
  if (res.status === 200) return { status: 200, challenges };
  if (res.status === 401 && challenges.length > 0) return { status: 401, challenges };
  if (res.status === 401) {
    throw new DockerPatError(
      'registry-error',
      `${ref.host} asks for authentication on /v2/ but does not say how (no WWW-Authenticate challenge).`,
      'Check that the registry name points at a Docker registry and not at a proxy or web page in front of it.',
      { registry: ref.host },
    );
  }
  if (res.status === 429) throw rateLimitedError(res, 'the registry API check (GET /v2/)');
  throw unexpectedStatusError(res, 'the registry API check (GET /v2/)');
}

/**
 * The value of an `Authorization: Basic` header. The credential and its base64 form are
 * registered as secrets before the header exists anywhere.
 */
export function basicAuthorization(username: string, secret: string, secrets: SecretRegistry): string {
  checkUsername(username);
  secrets.addCredential(username, secret);
  return `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
}

/** Logs in to a registry whose challenge is Basic: a 200 on `/v2/` is the only proof there is. */
export async function checkBasicAuth(http: HttpClient, ref: RegistryRef, username: string, secret: string, secrets: SecretRegistry): Promise<void> {
  const authorization = basicAuthorization(username, secret, secrets);
  const res = await http.request({ method: 'GET', url: `${ref.baseUrl}/v2/`, headers: { authorization } });
  if (res.status === 200) return;
  if (res.status === 401 || res.status === 403) {
    throw new DockerPatError(
      'bad-credentials',
      `${ref.host} did not accept the username and password or token (HTTP ${res.status} on /v2/ with Basic authentication).`,
      'Check the username and the secret stored in CI for this registry.',
      { registry: ref.host },
    );
  }
  if (res.status === 429) throw rateLimitedError(res, 'the login check (GET /v2/)');
  throw unexpectedStatusError(res, 'the login check (GET /v2/)');
}

/**
 * Whether the bearer may pull `repo`. A manifest HEAD is free on Docker Hub (it does not count
 * against the pull limit); when it cannot tell (a 404 carries no body saying why), the tags list can.
 */
export async function probePull(http: HttpClient, ref: RegistryRef, repo: string, bearer: string): Promise<boolean> {
  const base = repositoryUrl(ref, repo);
  const authorization = `Bearer ${bearer}`;
  const head = await http.request({ method: 'HEAD', url: `${base}/manifests/latest`, headers: { authorization, accept: MANIFEST_TYPES } });
  if (head.status === 200) return true;
  if (head.status === 401 || head.status === 403) return false;
  if (head.status === 429) throw rateLimitedError(head, `a pull check of ${repo}`);

  const tags = await http.request({ method: 'GET', url: `${base}/tags/list?n=1`, headers: { authorization, accept: 'application/json' } });
  if (tags.status === 200) return true;
  if (tags.status === 401 || tags.status === 403) return false;
  if (tags.status === 404 && registryErrorCodes(tags).some((code) => NOT_FOUND_CODES.has(code))) return true;
  if (tags.status === 429) throw rateLimitedError(tags, `a pull check of ${repo}`);
  throw unexpectedStatusError(tags, `a pull check of ${repo} (GET tags/list)`);
}

/**
 * Whether the bearer may push to `repo`, leaving nothing behind. A distribution registry checks
 * push permission before it looks up an upload, so a PATCH to an upload that does not exist
 * answers 401/403 without push and BLOB_UPLOAD_UNKNOWN/INVALID with it, creating nothing.
 * Cancelling a real upload session is not an option there: DELETE needs the `delete` action, so a
 * push-only token would leave its session behind. Only a registry that answers the PATCH some
 * other way gets a real session (POST), cancelled at once.
 */
export async function probePush(http: HttpClient, ref: RegistryRef, repo: string, bearer: string): Promise<boolean> {
  const authorization = `Bearer ${bearer}`;
  const uploads = `${repositoryUrl(ref, repo)}/blobs/uploads/`;
  const unknown = await http.request({ method: 'PATCH', url: `${uploads}${randomUUID()}`, headers: { authorization, 'content-length': '0' }, body: '' });
  if (unknown.status === 401 || unknown.status === 403) return false;
  if (unknown.status === 429) throw rateLimitedError(unknown, `a push check of ${repo}`);
  if (unknown.status === 404 && registryErrorCodes(unknown).some((code) => UNKNOWN_UPLOAD_CODES.has(code))) return true;

  const opened = await http.request({ method: 'POST', url: uploads, headers: { authorization, 'content-length': '0' }, body: '' });
  if (opened.status === 401 || opened.status === 403) return false;
  if (opened.status === 429) throw rateLimitedError(opened, `a push check of ${repo}`);
  if (opened.status !== 202) throw unexpectedStatusError(opened, `a push check of ${repo} (opening a blob upload)`);
  await cancelUpload(http, ref, repo, opened, authorization);
  return true;
}

/**
 * Best effort: the session is empty, and a registry that will not let this token cancel it (or
 * names a session that cannot be reached) purges stale uploads on its own; pushing has been
 * proven either way, so no failure of the cancel fails the check.
 */
async function cancelUpload(http: HttpClient, ref: RegistryRef, repo: string, opened: HttpResponse, authorization: string): Promise<void> {
  const location = opened.headers.location;
  if (!location) {
    throw new DockerPatError(
      'registry-error',
      `${ref.host} opened a blob upload for ${repo} without saying where it is (no Location header).`,
      'The registry does not follow the distribution API; check the registry name.',
      { registry: ref.host },
    );
  }
  let session: URL;
  try {
    session = new URL(location, opened.url);
  } catch {
    return;
  }
  // The bearer only goes back to the registry that issued the session, never to another origin.
  const headers: Record<string, string> = session.origin === new URL(opened.url).origin ? { authorization } : {};
  await http.request({ method: 'DELETE', url: session.href, headers }).catch(() => undefined);
}

function repositoryUrl(ref: RegistryRef, repo: string): string {
  if (repo === '' || !repo.split('/').every(isPathComponent)) {
    throw badInput('repository', 'is not a repository path', 'lowercase path components separated by "/", such as alice/app');
  }
  return `${ref.baseUrl}/v2/${repo}`;
}

function registryErrorCodes(res: HttpResponse): string[] {
  try {
    const body: unknown = JSON.parse(res.body);
    const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
    if (!Array.isArray(errors)) return [];
    return errors.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { code?: unknown }).code : undefined)).filter((code): code is string => typeof code === 'string');
  } catch {
    return [];
  }
}
