/**
 * The sandbox: Debian's real `docker-registry` behind three faces (Docker Hub, GHCR, GitLab), a
 * fake auth.docker.io and a fake hub.docker.com, all on loopback ports the OS picks, with request
 * logging and fault injection. Every integration test file starts its own:
 *
 *   const sb = await startSandbox();
 *   ...
 *   await sb.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClock } from './clock.js';
import { FaultInjector, type Fault } from './faults.js';
import { ghcrFace } from './ghcr.js';
import { gitlabFace } from './gitlab-registry.js';
import { GitLabTokens } from './gitlab-tokens.js';
import type { GrantMode } from './grants.js';
import { hubApiHandler } from './hub-api.js';
import { HubRateLimit } from './hub-rate-limit.js';
import { HubSessions } from './hub-sessions.js';
import { HubState } from './hub-state.js';
import { accessTokenJson, orgAccessTokenJson, type AccessTokenJson, type OrgAccessTokenJson } from './hub-views.js';
import { buildImageLayout, pushLayout } from './image.js';
import { JwtSigner } from './jwt-signer.js';
import { createSigningKey } from './keys.js';
import { PullRateLimit, type PullRateLimitSettings } from './pull-rate-limit.js';
import { startRegistry } from './registry-process.js';
import { createUpstream, registryProxyHandler } from './registry-proxy.js';
import { RequestLog, type ServiceName } from './request-log.js';
import { startServiceServer, type Endpoint, type Handler, type ServiceServer } from './service-server.js';
import { defaultSettings, type SandboxSettings } from './settings.js';
import { tokenServiceHandler } from './token-service.js';

export type { Fault } from './faults.js';
export type { GrantMode } from './grants.js';
export type { AccessTokenJson, OrgAccessTokenJson } from './hub-views.js';
export type { PullRateLimitSettings } from './pull-rate-limit.js';
export type { RequestLog, RequestLogEntry, ServiceName } from './request-log.js';
export type { Endpoint } from './service-server.js';
export type { SandboxSettings } from './settings.js';

export interface StartOptions extends Partial<SandboxSettings> {
  /** The moment fixture dates are relative to (default: now); the fake Hub's clock runs on from it. */
  now?: Date;
  /** Hub API requests allowed per minute before 429 (default 1000, high so no test meets it by accident). */
  hubRateLimit?: number;
}

/** State access for assertions; records are shaped as the Hub API returns them. */
export interface HubStateView {
  token(uuid: string): AccessTokenJson | undefined;
  orgToken(id: string): OrgAccessTokenJson | undefined;
  setTokenActive(uuid: string, active: boolean): void;
}

export interface Sandbox {
  /** Docker-Hub-like registry: challenge `service="registry.docker.io"`, realm `${authUrl}/token`. */
  registry: Endpoint;
  /** GHCR-like registry: opaque tokens from `${url}/token`, service `ghcr.io`. */
  ghcr: Endpoint;
  /** GitLab-like registry (`/jwt/auth`, service `container_registry`) and its API at `apiUrl`. */
  gitlab: Endpoint & { apiUrl: string };
  hubApiUrl: string;
  authUrl: string;
  env: { DOCKER_PAT_HUB_API_URL: string };
  requests: RequestLog;
  hub: HubStateView;
  /** The sandbox's temp dir (keys, registry storage, image); removed by stop(). */
  workDir: string;
  registryPid: number;
  setGrantMode(mode: GrantMode): void;
  configure(changes: Partial<SandboxSettings>): void;
  injectFault(service: ServiceName, fault: Fault, options?: { times?: number }): void;
  clearFaults(): void;
  setPullRateLimit(changes: Partial<PullRateLimitSettings>): void;
  /**
   * skopeo-pushes a tiny generated image to `<face host>/<repo>:<tag>` with a docker config.json;
   * rejects with skopeo's error text when the push is refused.
   */
  pushImage(repo: string, tag: string, authfile: string, options?: { via?: 'registry' | 'ghcr' | 'gitlab' }): Promise<void>;
  /** Blob upload sessions left open in the real registry (a push probe must leave none). */
  uploadsInProgress(): Promise<number>;
  /** Recent log lines of the real registry (they name the reason behind each 401). */
  registryLog(): string[];
  /** Unexpected exceptions inside sandbox handlers; a test may assert this stays empty. */
  internalErrors: readonly string[];
  stop(): Promise<void>;
}

export async function startSandbox(options: StartOptions = {}): Promise<Sandbox> {
  const { now, hubRateLimit, ...settingChanges } = options;
  const workDir = await mkdtemp(join(tmpdir(), 'docker-pat-sandbox-'));
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) await stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const settings: SandboxSettings = { ...defaultSettings(), ...settingChanges };
    const clock = startClock(now);
    const state = new HubState(clock);
    const requests = new RequestLog();
    const faults = new FaultInjector();
    const internalErrors: string[] = [];
    const hubRate = new HubRateLimit(hubRateLimit ?? 1000);
    const pullRateLimit = new PullRateLimit();
    const key = await createSigningKey(workDir);
    const signer = new JwtSigner(key);

    const serve = async (service: ServiceName, handle: Handler, everyResponseHeaders?: () => Record<string, string>): Promise<ServiceServer> => {
      const server = await startServiceServer({ service, log: requests, faults, internalErrors, handle, everyResponseHeaders });
      stoppers.push(server.stop);
      return server;
    };
    const auth = await serve('auth', tokenServiceHandler({ state, signer, settings }));
    const [hub, registryProcess] = await Promise.all([
      serve('hub', hubApiHandler({ state, settings, sessions: new HubSessions(signer), rateLimit: hubRate }), () => hubRate.count()),
      startRegistry({ dir: workDir, realm: `${auth.url}/token`, certPath: key.certPath, httpSecret: randomBytes(16).toString('hex') }),
    ]);
    stoppers.push(registryProcess.stop);
    const upstream = createUpstream(registryProcess.socketPath);
    stoppers.push(async () => upstream.agent.destroy());
    const [registry, ghcr, gitlab] = await Promise.all([
      serve('registry', registryProxyHandler(upstream, { pullRateLimit })),
      serve('ghcr', registryProxyHandler(upstream, ghcrFace({ signer, clock }))),
      serve('gitlab', registryProxyHandler(upstream, gitlabFace({ signer, tokens: new GitLabTokens(clock) }))),
    ]);

    let layout: Promise<string> | undefined;
    let stopped: Promise<void> | undefined;
    const faces = { registry, ghcr, gitlab };
    const endpoint = (server: ServiceServer): Endpoint => ({ host: server.host, url: server.url });
    return {
      registry: endpoint(registry),
      ghcr: endpoint(ghcr),
      gitlab: { ...endpoint(gitlab), apiUrl: `${gitlab.url}/api/v4` },
      hubApiUrl: hub.url,
      authUrl: auth.url,
      env: { DOCKER_PAT_HUB_API_URL: hub.url },
      requests,
      hub: {
        token: (uuid) => {
          const pat = state.pat(uuid);
          return pat === undefined ? undefined : accessTokenJson(pat);
        },
        orgToken: (id) => {
          const oat = state.oat(id);
          return oat === undefined ? undefined : orgAccessTokenJson(oat);
        },
        setTokenActive: (uuid, active) => {
          const pat = state.pat(uuid);
          if (pat === undefined) throw new Error(`no personal access token ${uuid} in the sandbox`);
          pat.isActive = active;
        },
      },
      workDir,
      registryPid: registryProcess.pid,
      setGrantMode: (mode) => {
        settings.grantMode = mode;
      },
      configure: (changes) => {
        Object.assign(settings, changes);
      },
      injectFault: (service, fault, faultOptions) => faults.inject(service, fault, faultOptions?.times ?? 1),
      clearFaults: () => faults.clear(),
      setPullRateLimit: (changes) => pullRateLimit.configure(changes),
      pushImage: async (repo, tag, authfile, pushOptions) => {
        layout ??= buildImageLayout(workDir);
        return pushLayout(await layout, `${faces[pushOptions?.via ?? 'registry'].host}/${repo}:${tag}`, authfile);
      },
      uploadsInProgress: () => registryProcess.uploadsInProgress(),
      registryLog: () => registryProcess.log(),
      internalErrors,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
