/**
 * A reverse proxy in front of the real registry, one per face (Docker Hub, GHCR, GitLab). It
 * streams requests and bodies through unchanged except where a face needs otherwise: its own
 * endpoints (token service, API), bearer translation (opaque or foreign tokens become registry
 * JWTs), challenge rewriting, 403 DENIED instead of insufficient_scope, and Hub pull limits.
 * The client's Host header is kept, so the registry's Location headers point at the face.
 */
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';
import type { PullRateLimit } from './pull-rate-limit.js';
import type { Handler } from './service-server.js';

export interface RegistryFace {
  /** Answers the face's own endpoints; resolves true when it did. */
  route?(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The registry JWT to send instead of the client's bearer token, if the face issued it. */
  translateBearer?(token: string): string | undefined;
  /** Rewrites the registry's `WWW-Authenticate` into this face's realm and service. */
  rewriteChallenge?(header: string, req: IncomingMessage): string;
  /** When set, a token holder's insufficient_scope 401 becomes 403 DENIED with this message. */
  deniedMessage?: string;
  pullRateLimit?: PullRateLimit;
}

export interface Upstream {
  socketPath: string;
  agent: Agent;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/]+$/;

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

/** The challenge with another realm and service; scope and error parameters are kept. */
export function retargetChallenge(header: string, realm: string, service: string): string {
  return header.replace(/realm="[^"]*"/i, `realm="${realm}"`).replace(/service="[^"]*"/i, `service="${service}"`);
}

/** The face's own base URL as the client addressed it. */
export function faceUrl(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

export function createUpstream(socketPath: string): Upstream {
  return { socketPath, agent: new Agent({ keepAlive: true }) };
}

export function registryProxyHandler(upstream: Upstream, face: RegistryFace): Handler {
  return async (req, res) => {
    if (face.route !== undefined && (await face.route(req, res))) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const limit = face.pullRateLimit !== undefined && MANIFEST_PATH.test(path) ? face.pullRateLimit : undefined;
    if (limit !== undefined && req.method === 'GET' && limit.exhausted()) {
      req.resume();
      const answer = limit.tooManyRequests();
      return sendJson(res, 429, answer.body, answer.headers);
    }

    const headers = endToEnd(req.headers);
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const translated = bearer === undefined ? undefined : face.translateBearer?.(bearer);
    if (translated !== undefined) headers.authorization = `Bearer ${translated}`;

    const upstreamReq = request({ socketPath: upstream.socketPath, agent: upstream.agent, method: req.method, path: req.url, headers }, (upstreamRes) => {
      const status = upstreamRes.statusCode ?? 502;
      const responseHeaders = endToEnd(upstreamRes.headers);
      const challenge = upstreamRes.headers['www-authenticate'];
      if (typeof challenge === 'string' && face.rewriteChallenge !== undefined) responseHeaders['www-authenticate'] = face.rewriteChallenge(challenge, req);
      if (face.deniedMessage !== undefined && status === 401 && bearer !== undefined && challenge?.includes('error="insufficient_scope"') === true) {
        upstreamRes.resume();
        const body = req.method === 'HEAD' ? undefined : { errors: [{ code: 'DENIED', message: face.deniedMessage }] };
        if (body === undefined) res.writeHead(403, { 'content-type': 'application/json' }).end();
        else sendJson(res, 403, body);
        return;
      }
      if (limit !== undefined && status === 200) {
        if (req.method === 'GET') limit.consume();
        Object.assign(responseHeaders, limit.headers());
      }
      res.writeHead(status, responseHeaders);
      upstreamRes.pipe(res);
    });
    upstreamReq.on('error', () => {
      if (!res.headersSent) sendJson(res, 502, { errors: [{ code: 'UNAVAILABLE', message: 'registry unavailable' }] });
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    req.pipe(upstreamReq);
  };
}
