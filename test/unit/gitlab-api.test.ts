import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { readGitlabTokenSelf } from '../../src/core/gitlab-api.js';
import { HttpClient } from '../../src/core/http.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const TOKEN = 'glpat-EchoedBack0000000000001';
let answer: Record<string, unknown> = {};
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(answer));
});
let apiUrl = '';

beforeAll(async () => {
  apiUrl = `http://${(await listenOnLoopback(server)).host}/api/v4`;
});
afterAll(async () => {
  await closeServer(server);
});

async function describeToken(body: Record<string, unknown>) {
  answer = body;
  const http = new HttpClient({ env: {} });
  try {
    return await readGitlabTokenSelf(http, apiUrl, TOKEN);
  } finally {
    await http.close();
  }
}

describe("GitLab's token self-description", () => {
  it('keeps well-formed facts', async () => {
    const self = await describeToken({ name: 'ci pull', scopes: ['read_registry', 'api'], expires_at: '2027-01-31', last_used_at: '2026-11-30T10:00:00.000Z', created_at: '2026-01-01T00:00:00Z', active: true, revoked: false });
    expect(self).toEqual({ name: 'ci pull', scopes: ['read_registry', 'api'], expiresAt: '2027-01-31', lastUsedAt: '2026-11-30T10:00:00.000Z', createdAt: '2026-01-01T00:00:00Z', active: true });
  });

  it('passes on nothing that echoes the token it was sent, nor values that are not what they claim', async () => {
    const self = await describeToken({ name: `label ${TOKEN}`, scopes: [TOKEN, 'read_registry', 'x y'], expires_at: TOKEN, last_used_at: `2026-11-30 ${TOKEN}`, created_at: 'yesterday', active: true });
    expect(self).toEqual({ name: undefined, scopes: ['read_registry'], expiresAt: undefined, lastUsedAt: undefined, createdAt: undefined, active: true });
    expect(JSON.stringify(self)).not.toContain(TOKEN);
  });

  it('keeps null as "never"', async () => {
    const self = await describeToken({ name: 'forever', scopes: [], expires_at: null, last_used_at: null, active: true });
    expect(self).toMatchObject({ expiresAt: null, lastUsedAt: null });
  });
});
