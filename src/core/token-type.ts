/** What kind of secret the user gave, as far as its shape and the registry tell. */
import type { RegistryKind, TokenType } from './model.js';
import { classifySecret } from './secret-input.js';

export function tokenTypeOf(secret: string, kind: RegistryKind): TokenType {
  const shape = classifySecret(secret);
  if (shape === 'pat' || shape === 'legacy-pat') return 'pat';
  if (shape === 'oat') return 'oat';
  if (kind === 'dockerhub') return 'password';
  if (kind === 'gitlab' && secret.startsWith('glpat-')) return 'pat';
  if (kind === 'ghcr' && /^(ghp|github_pat)_/.test(secret)) return 'pat';
  return 'unknown';
}
