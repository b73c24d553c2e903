/** Local servers for tests: on 127.0.0.1 at a port the OS picks, and stopped without waiting on idle connections. */
import type { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer } from 'node:net';

/** Starts `server` listening and returns where: host "127.0.0.1:PORT" and the port. */
export async function listenOnLoopback(server: NetServer): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, port };
}

/** Stops `server`, dropping the connections an HTTP server keeps open. */
export async function closeServer(server: NetServer | HttpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A port on 127.0.0.1 that was free a moment ago and that nothing listens on now: connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const { port } = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}
