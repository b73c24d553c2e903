/**
 * Registry and repository names as users write them, turned into the one form the client uses.
 * Registry: `host[:port]`, `[ipv6]:port`, an optional http(s):// scheme; repository: a path.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { badInput } from './errors.js';
import type { RegistryRef } from './model.js';

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const HUB_HOST = 'registry-1.docker.io';
const HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';
/** The path the docker CLI uses in Docker Hub's credential key; the only path a registry may carry. */
const HUB_INDEX_PATH = /^\/v1\/?$/i;

const REGISTRY_FORM = 'a registry host such as docker.io, ghcr.io, registry.example.com:5000 or [::1]:5000, optionally with http:// or https://';
const REPOSITORY_FORM = 'a repository path of lowercase components such as alpine or myorg/app (letters, digits and single ., _, __ or - between them), without the registry host, tag or digest';

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOSTNAME_LENGTH = 253;
const PORT = /^[1-9][0-9]{0,4}$/;
const MAX_PORT = 65535;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_REPOSITORY_LENGTH = 255;

const MAX_QUOTED_LENGTH = 64;
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Quotes user input for an error message: shortened, with control and invisible characters made
 * visible, so a hostile value can neither flood the output nor inject workflow commands.
 */
export function quoteInput(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  const visible = shown.replace(UNPRINTABLE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
  return `'${visible}'`;
}

export function parseRegistry(input: string, field = 'registry'): RegistryRef {
  const text = input.trim();
  if (text === '') throw badInput(field, 'is empty.', REGISTRY_FORM);
  // A '@' means credentials (user:token@host) or an image digest: echoing it could print a secret.
  if (text.includes('@')) throw badInput(field, "contains '@'; credentials and image references do not belong in the registry name.", REGISTRY_FORM);
  if (/\s/.test(text)) throw badInput(field, `${quoteInput(text)} contains whitespace.`, REGISTRY_FORM);

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw badInput(field, `${quoteInput(text)} has the scheme ${quoteInput(scheme)}; only http:// and https:// are registry schemes.`, REGISTRY_FORM);
  }
  const rest = schemeMatch ? text.slice(schemeMatch[0].length) : text;
  const slash = rest.indexOf('/');
  const authority = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : rest.slice(slash);

  const host = parseHostAndPort(authority, text, field);
  const isDockerHub = HUB_ALIASES.has(host);
  if (path !== '' && path !== '/' && !(isDockerHub && HUB_INDEX_PATH.test(path))) {
    throw badInput(field, `${quoteInput(text)} has a path; the registry is only the host (repository paths go in the repository list).`, REGISTRY_FORM);
  }

  if (isDockerHub) {
    if (scheme === 'http') throw badInput(field, `${quoteInput(text)} asks for plain http, but Docker Hub is served over https only.`, 'docker.io or https://index.docker.io/v1/');
    return { input, host: HUB_HOST, baseUrl: `https://${HUB_HOST}`, credentialKey: HUB_CREDENTIAL_KEY, isDockerHub: true };
  }
  // Like the docker CLI, loopback registries are plain http unless the user asks for https.
  const effectiveScheme = scheme ?? (isLoopback(host) ? 'http' : 'https');
  return { input, host, baseUrl: `${effectiveScheme}://${host}`, credentialKey: host, isDockerHub: false };
}

/** Validates `host`, `host:port` or `[ipv6]:port` (already lowercased) and returns it normalised. */
function parseHostAndPort(authority: string, text: string, field: string): string {
  let hostPart: string;
  let portPart: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    const address = close === -1 ? '' : authority.slice(1, close);
    if (!/^[0-9a-f:.]+$/.test(address) || !isIPv6(address)) {
      throw badInput(field, `${quoteInput(text)} does not hold a valid IPv6 address in brackets.`, REGISTRY_FORM);
    }
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw badInput(field, `${quoteInput(text)} has text after the IPv6 address.`, REGISTRY_FORM);
    hostPart = `[${new URL(`http://[${address}]/`).hostname.slice(1, -1)}]`;
    portPart = after === '' ? undefined : after.slice(1);
  } else {
    const colon = authority.indexOf(':');
    hostPart = colon === -1 ? authority : authority.slice(0, colon);
    portPart = colon === -1 ? undefined : authority.slice(colon + 1);
    if (hostPart.includes(':') || portPart?.includes(':')) {
      throw badInput(field, `${quoteInput(text)} has more than one ':'; write an IPv6 address in brackets.`, REGISTRY_FORM);
    }
    if (!isHostname(hostPart)) throw badInput(field, `${quoteInput(text)} is not a valid host name.`, REGISTRY_FORM);
  }
  if (portPart === undefined) return hostPart;
  if (!PORT.test(portPart) || Number(portPart) > MAX_PORT) {
    throw badInput(field, `${quoteInput(text)} has an invalid port; a port is a number from 1 to 65535.`, REGISTRY_FORM);
  }
  return `${hostPart}:${portPart}`;
}

/** One path component of a repository name, per the distribution grammar. */
export function isPathComponent(component: string): boolean {
  return PATH_COMPONENT.test(component);
}

function isHostname(name: string): boolean {
  return name.length > 0 && name.length <= MAX_HOSTNAME_LENGTH && name.split('.').every((label) => HOST_LABEL.test(label));
}

/**
 * Whether a host (`host`, `host:port`, `[ipv6]` or `[ipv6]:port`, lowercase as a URL gives it) is
 * this machine: localhost, 127.0.0.0/8 or [::1].
 */
export function isLoopback(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === 'localhost' || name === '[::1]' || (name !== undefined && isIPv4(name) && name.startsWith('127.'));
}

/**
 * Checks a repository path against the distribution grammar and applies Docker Hub's rule that a
 * single-component name is an official image (`alpine` → `library/alpine`).
 */
export function normaliseRepository(name: string, registry: RegistryRef, field = 'repositories'): string {
  if (name === '') throw badInput(field, 'a repository name is empty.', REPOSITORY_FORM);
  if (name.length > MAX_REPOSITORY_LENGTH) {
    throw badInput(field, `${quoteInput(name)} is longer than ${MAX_REPOSITORY_LENGTH} characters.`, REPOSITORY_FORM);
  }
  const components = name.split('/');
  const first = components[0] ?? '';
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    throw badInput(field, `${quoteInput(name)} starts with a registry host; drop it, the registry is given separately.`, REPOSITORY_FORM);
  }
  if (name.includes('@') || name.includes(':')) {
    throw badInput(field, `${quoteInput(name)} holds a tag or digest; access is granted per repository.`, REPOSITORY_FORM);
  }
  if (/[A-Z]/.test(name)) throw badInput(field, `${quoteInput(name)} has uppercase letters; repository names are lowercase.`, REPOSITORY_FORM);
  if (!components.every(isPathComponent)) {
    throw badInput(field, `${quoteInput(name)} is not a valid repository path.`, REPOSITORY_FORM);
  }
  const normalised = registry.isDockerHub && components.length === 1 ? `library/${name}` : name;
  if (normalised.length > MAX_REPOSITORY_LENGTH) {
    throw badInput(field, `${quoteInput(name)} is longer than ${MAX_REPOSITORY_LENGTH} characters.`, REPOSITORY_FORM);
  }
  return normalised;
}
