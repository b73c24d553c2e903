/**
 * The token issuer's key pair: an EC P-256 key and a self-signed certificate made by `openssl`,
 * written into the sandbox's temp dir. The registry trusts the certificate (`rootcertbundle`),
 * and tokens name the key both ways the registry understands: libtrust `kid` and `x5c`.
 */
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SigningKey {
  privateKey: KeyObject;
  /** PEM file for the registry's `rootcertbundle`; always ends in a newline. */
  certPath: string;
  /** libtrust key id of the certificate's public key. */
  kid: string;
  /** `x5c` header value: the certificate's DER in standard base64. */
  x5c: string[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** libtrust's key id: base32 of the first 240 bits of SHA-256(DER SPKI), in groups of four. */
function libtrustKeyId(certificate: X509Certificate): string {
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(spki).digest().subarray(0, 30);
  return (base32(digest).match(/.{4}/g) ?? []).join(':');
}

export async function createSigningKey(dir: string): Promise<SigningKey> {
  const keyPath = join(dir, 'issuer-key.pem');
  const certPath = join(dir, 'issuer-cert.pem');
  await run(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=docker-pat-sandbox-issuer'],
    { timeout: 10_000 },
  );
  const certPem = await readFile(certPath, 'utf8');
  // A bundle whose PEM lacks the final newline makes the registry panic at startup.
  if (!certPem.endsWith('\n')) await writeFile(certPath, `${certPem}\n`);
  const certificate = new X509Certificate(certPem);
  return {
    privateKey: createPrivateKey(await readFile(keyPath, 'utf8')),
    certPath,
    kid: libtrustKeyId(certificate),
    x5c: [certificate.raw.toString('base64')],
  };
}
