/**
 * Finds out how a registry authenticates and what kind it is, from its `/v2/` challenge. Docker
 * Hub is recognised by name or by a challenge for the `registry.docker.io` service, which is how a
 * local Docker Hub stand-in (the sandbox, a mirror) is treated like the real one.
 */
import type { Challenge } from './challenge.js';
import type { HttpClient } from './http.js';
import type { RegistryKind, RegistryRef } from './model.js';
import { pingRegistry } from './registry-client.js';

const DOCKER_HUB_SERVICE = 'registry.docker.io';

export interface Discovery {
  kind: RegistryKind;
  /** The challenge to answer; undefined when the registry needs no authentication at all. */
  challenge: Challenge | undefined;
}

export async function discoverRegistry(http: HttpClient, registry: RegistryRef): Promise<Discovery> {
  const ping = await pingRegistry(http, registry);
  const challenge =
    ping.challenges.find((c) => c.scheme === 'bearer') ?? ping.challenges.find((c) => c.scheme === 'basic');
  return { kind: registryKind(registry, challenge), challenge: ping.status === 200 ? undefined : challenge };
}

function registryKind(registry: RegistryRef, challenge: Challenge | undefined): RegistryKind {
  const service = challenge?.params.service ?? '';
  if (registry.isDockerHub || service === DOCKER_HUB_SERVICE) return 'dockerhub';
  if (service === 'ghcr.io' || registry.host === 'ghcr.io') return 'ghcr';
  if (service === 'container_registry') return 'gitlab';
  return 'generic';
}
