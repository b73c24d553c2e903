/**
 * A personal access token created for one test through the fake Hub's management API, so its
 * value exists nowhere else: a search of every process's command line can then only find it
 * where the code under test put it, never in another test file running alongside.
 */
import type { HubPermission } from '../../src/core/model.js';
import type { Sandbox } from '../sandbox/index.js';

async function postJson(url: string, body: unknown, bearer?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function mintPersonalToken(sb: Sandbox, username: string, password: string, permission: HubPermission): Promise<string> {
  const session = await postJson(`${sb.hubApiUrl}/v2/auth/token`, { identifier: username, secret: password });
  const created = await postJson(`${sb.hubApiUrl}/v2/access-tokens`, { token_label: 'docker-pat canary', scopes: [permission] }, String(session.access_token));
  if (typeof created.token !== 'string' || created.token === '') throw new Error('the fake Hub created no token');
  return created.token;
}
