// The server under endpoint fuzzing, run as a child process so a crash is observed rather than suffered:
// `node --expose-gc --conditions=switchboard-source --import tsx endpoint-server.ts <switchboard|socket.io>`.
// It records every uncaught exception and unhandled rejection instead of dying, and answers `stats` over IPC with
// those faults and the heap after a full GC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Messages from this process to the fuzz driver. */
export type ServerMessage =
  { type: 'ready'; port: number } | { type: 'stats'; heapUsedBytes: number; faults: Fault[]; sessions: number };

/** An uncaught exception or unhandled rejection seen in the server. */
export interface Fault {
  kind: 'uncaughtException' | 'unhandledRejection';
  message: string;
}

/** Options both servers run with: a short heartbeat so long-polls answer fast; a small buffer (unless the driver
 * passes another, the long run passes the default 1 MB) so oversize bodies are cheap in the fast slice. */
export const FUZZ_SERVER_OPTIONS = {
  pingInterval: 200,
  pingTimeout: 300,
  maxHttpBufferSize: Number(process.env['FUZZ_MAX_BUFFER'] ?? 64 * 1024),
  allowEIO3: true,
  connectTimeout: 2000,
} as const;

const faults: Fault[] = [];
const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
process.on('uncaughtException', (error) => faults.push({ kind: 'uncaughtException', message: describe(error) }));
process.on('unhandledRejection', (reason) => faults.push({ kind: 'unhandledRejection', message: describe(reason) }));

interface AnyServer {
  on(event: 'connection', listener: (socket: AnySocket) => void): unknown;
  of(name: string): { on(event: 'connection', listener: (socket: AnySocket) => void): unknown };
  engine: { clientsCount: number };
}
interface AnySocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

async function main(): Promise<void> {
  const implementation = process.argv[2];
  // The application behind the engine: anything outside the engine path gets a 404, as a real app answers.
  const http = createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  let io: AnyServer;
  if (implementation === 'switchboard') {
    const { Server } = await import('@switchboard/server');
    io = new Server(http, FUZZ_SERVER_OPTIONS);
  } else if (implementation === 'socket.io') {
    const { Server } = await import('socket.io');
    io = new Server(http, FUZZ_SERVER_OPTIONS);
  } else throw new Error(`unknown implementation ${String(implementation)}`);

  // An echo with an ack on two namespaces: hostile packets reach real listeners, and the final client checks the ack.
  const onConnection = (socket: AnySocket): void => {
    socket.on('echo', (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (...values: unknown[]) => void)(...args.slice(0, -1));
    });
  };
  io.on('connection', onConnection);
  io.of('/admin').on('connection', onConnection);

  http.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'ready', port: (http.address() as AddressInfo).port } satisfies ServerMessage);
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stats') return;
    (globalThis as { gc?: () => void }).gc?.();
    const stats: ServerMessage = {
      type: 'stats',
      heapUsedBytes: process.memoryUsage().heapUsed,
      faults: [...faults],
      sessions: io.engine.clientsCount,
    };
    process.send?.(stats);
  });
  // The driver going away ends this process too.
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(`fuzz server failed to start: ${describe(error)}`);
  process.exit(1);
});
