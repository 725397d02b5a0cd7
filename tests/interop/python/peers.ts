// The Python peers of the interop suites as the Node side sees them: script paths, spawning with a deadline,
// and driving sio_client.py's AsyncClients (connect / disconnect by id) against a Socket.IO server under test.
import { fileURLToPath } from 'node:url';
import type { Server, Socket as ServerSocket } from 'socket.io';
import { runPython, waitFor, type JsonLine, type PythonPeer } from '../../testkit/index.js';

export const CLIENT_SCRIPT = fileURLToPath(new URL('./sio_client.py', import.meta.url));
export const SYNC_CLIENT_SCRIPT = fileURLToPath(new URL('./sio_sync_client.py', import.meta.url));
export const SERVER_SCRIPT = fileURLToPath(new URL('./sio_server.py', import.meta.url));

/** A peer exits by itself after this long; the Node side kills it 5 s later at the latest. */
export const PEER_DEADLINE_SECONDS = 25;

/** Spawns a peer script with its deadline and the matching hard kill. */
export function spawnPeer(script: string, args: readonly string[] = []): PythonPeer {
  return runPython(script, [...args, '--deadline', String(PEER_DEADLINE_SECONDS)], {
    killAfterMs: (PEER_DEADLINE_SECONDS + 5) * 1000,
  });
}

/** Spawns sio_client.py and waits until it reads commands. */
export async function startClientPeer(): Promise<PythonPeer> {
  const peer = spawnPeer(CLIENT_SCRIPT);
  await peer.next({ ev: 'ready' }, 10_000);
  return peer;
}

export interface ConnectOptions {
  url: string;
  /** Omitted: python-socketio's default, polling then its own upgrade to WebSocket. */
  transports?: readonly string[];
  namespaces?: readonly string[];
  auth?: JsonLine;
}

let clientCount = 0;

/** A fresh client id, unique in the process, so lines of earlier tests never match later ones. */
export function nextClientId(): string {
  return `client-${++clientCount}`;
}

/**
 * Connects a new AsyncClient of `peer` to `io` on every namespace; resolves with its id and the server socket of
 * the first namespace once python has seen each namespace's CONNECT reply (so it may emit there).
 */
export async function connectPythonClient(
  peer: PythonPeer,
  io: Server,
  { url, transports, namespaces = ['/'], auth = {} }: ConnectOptions,
): Promise<{ id: string; socket: ServerSocket }> {
  const id = nextClientId();
  const first = namespaces[0] ?? '/';
  const connection = waitFor<[ServerSocket]>(io.of(first), 'connection', 5000, `namespace ${first}`);
  peer.send({ op: 'connect', id, url, namespaces, auth, ...(transports ? { transports } : {}) });
  const [socket] = await peer.unlessExited(connection);
  for (const nsp of namespaces) await peer.next({ ev: 'connect', id, nsp });
  return { id, socket };
}

/** Disconnects client `id` through python-socketio's own disconnect() and waits until the call returned. */
export function disconnectPythonClient(peer: PythonPeer, id: string): Promise<JsonLine> {
  peer.send({ op: 'disconnect', id });
  return peer.next({ ev: 'disconnected', id });
}
