/** The Hub API's JSON shapes for tokens (HUB-OAS `accessToken` and the OAT object). */
import type { OatRecord, PatRecord } from './hub-state.js';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export interface AccessTokenJson {
  uuid: string;
  client_id: string;
  creator_ip: string;
  creator_ua: string;
  created_at: string;
  last_used: string | null;
  generated_by: string;
  is_active: boolean;
  token: string;
  token_label: string;
  scopes: string[];
  expires_at: string | null;
}

export interface OrgAccessTokenJson {
  id: string;
  label: string;
  description: string;
  created_by: string;
  is_active: boolean;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  resources: { type: string; path: string; scopes: string[] }[];
  token?: string;
}

/** `token` carries the secret only in the create response, as on the real Hub. */
export function accessTokenJson(pat: PatRecord, withSecret = false): AccessTokenJson {
  return {
    uuid: pat.uuid,
    client_id: 'HUB',
    creator_ip: '127.0.0.1',
    creator_ua: 'docker-pat-sandbox',
    created_at: pat.createdAt.toISOString(),
    last_used: iso(pat.lastUsed),
    generated_by: pat.generatedBy,
    is_active: pat.isActive,
    token: withSecret ? pat.secret : '',
    token_label: pat.label,
    scopes: [pat.scope],
    expires_at: iso(pat.expiresAt),
  };
}

export function orgAccessTokenJson(oat: OatRecord, withSecret = false): OrgAccessTokenJson {
  return {
    id: oat.id,
    label: oat.label,
    description: oat.description,
    created_by: oat.createdBy,
    is_active: oat.isActive,
    created_at: oat.createdAt.toISOString(),
    expires_at: iso(oat.expiresAt),
    last_used_at: iso(oat.lastUsed),
    resources: oat.resources.map((resource) => ({ ...resource, scopes: [...resource.scopes] })),
    ...(withSecret ? { token: oat.secret } : {}),
  };
}
