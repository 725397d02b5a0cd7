// Starting and stopping HTTP servers on 127.0.0.1 with an OS-chosen port, for tests that need a real socket.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 port 0 and resolves with the port the OS picked. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Creates an HTTP server (optionally with a request handler), starts it, and returns it with its port. */
export async function startHttpServer(handler?: RequestListener): Promise<{ server: Server; port: number }> {
  const server = handler ? createServer(handler) : createServer();
  const port = await listen(server);
  return { server, port };
}

/**
 * Closes a server and every connection still open on it (keep-alive sockets, upgraded WebSockets), so
 * `after()` never waits on a peer that forgot to hang up. Resolves even if the server was not listening.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
