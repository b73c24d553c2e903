/**
 * The certificate authorities the HTTP client trusts: Node's own roots, plus private CAs given as
 * an option or through NODE_EXTRA_CA_CERTS.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { badInput } from './errors.js';

/**
 * The CA list to hand to the TLS connector, or undefined to keep Node's default. Passing `ca`
 * replaces Node's trust store, so the default roots and NODE_EXTRA_CA_CERTS (which Node only reads
 * at start-up, from its own environment) are added back explicitly.
 */
export function trustedCertificates(extra: string[], env: NodeJS.ProcessEnv): string[] | undefined {
  for (const pem of extra) {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw badInput('ca-certificates', 'holds something that is not a PEM certificate', 'one or more PEM blocks starting with -----BEGIN CERTIFICATE-----');
    }
  }
  const fromEnv: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      fromEnv.push(readFileSync(extraFile, 'utf8'));
    } catch {
      throw badInput('NODE_EXTRA_CA_CERTS', 'names a file that cannot be read', 'the path of a readable PEM file, or leave it unset');
    }
  }
  if (extra.length === 0 && fromEnv.length === 0) return undefined;
  return [...rootCertificates, ...fromEnv, ...extra];
}
