/**
 * HTTPS in front of a plain-HTTP sandbox service: a node:tls server on 127.0.0.1 that forwards
 * every connection byte for byte, with a certificate from a throwaway CA that no trust store
 * knows. openssl makes the CA and the server certificate, as an operator of a private registry would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsFront {
  /** 127.0.0.1:PORT, served over HTTPS. */
  host: string;
  /** The CA certificate (PEM, ending in a newline) and the file holding it. */
  caPem: string;
  caFile: string;
  stop(): Promise<void>;
}

async function makeCertificates(dir: string): Promise<void> {
  const openssl = (...args: string[]) => run('openssl', args);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl('req', '-x509', ...ec, '-days', '2', '-subj', '/CN=docker-pat test CA', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'));
  await openssl('req', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'));
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl('x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', join(dir, 'san.ext'), '-out', join(dir, 'server.pem'));
}

/** Starts the front for `target` ("127.0.0.1:PORT" of a plain-HTTP server). */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-pat-tls-front-'));
  await makeCertificates(dir);
  const [key, cert, caPem] = await Promise.all(['server.key', 'server.pem', 'ca.pem'].map((name) => readFile(join(dir, name), 'utf8')));
  const [targetHost = '', targetPort = ''] = target.split(':');
  const sockets = new Set<Socket>();
  const server = createServer({ key, cert }, (secure: TLSSocket) => {
    const plain = connect(Number(targetPort), targetHost);
    for (const socket of [secure, plain]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    secure.pipe(plain).pipe(secure);
    secure.on('close', () => plain.destroy());
    plain.on('close', () => secure.destroy());
  });
  // A client that rejects the certificate aborts the handshake; that is the expected case here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    caPem,
    caFile: join(dir, 'ca.pem'),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
