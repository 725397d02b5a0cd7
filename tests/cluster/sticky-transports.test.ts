// Polling-only, WebSocket-only and upgrading clients (ours and socket.io-client 4.8) served by two node:cluster
// workers through the primary's sticky routing, with the node:cluster adapter carrying broadcasts between workers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ClusterApp,
  connectClient,
  connected,
  waitForEvent,
  whoami,
  type AnyClientSocket,
  type ClientKind,
} from './cluster-harness.js';

const WAIT_MS = 5000;
const KINDS: ClientKind[] = ['switchboard', 'socket.io-client'];

describe('sticky routing under node:cluster with two workers (ours: cluster-adapter + sticky)', () => {
  let app: ClusterApp;
  const sockets: AnyClientSocket[] = [];
  const open = async (kind: ClientKind, transports: ('polling' | 'websocket')[]): Promise<AnyClientSocket> => {
    const socket = connectClient(kind, app.url, transports, { reconnection: false });
    sockets.push(socket);
    await connected(socket, WAIT_MS);
    return socket;
  };

  before(async () => {
    app = await ClusterApp.start({ loadBalancingMethod: 'round-robin' });
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  for (const kind of KINDS) {
    test(`polling-only ${kind} clients spread over both workers and every request of a session reaches its worker`, async () => {
      const clients = await Promise.all([0, 1, 2, 3].map(() => open(kind, ['polling'])));
      const workers = new Set<number>();
      for (const client of clients) {
        const first = await whoami(client);
        // Each ack is a POST and a GET of the session: all must land on the same worker, or the session is lost.
        for (let i = 0; i < 5; i++) assert.deepEqual(await whoami(client), first);
        assert.equal(first.transport, 'polling');
        workers.add(first.worker);
      }
      assert.deepEqual([...workers].sort(), [0, 1]);
    });

    test(`WebSocket-only ${kind} clients spread over both workers`, async () => {
      const clients = await Promise.all([0, 1, 2, 3].map(() => open(kind, ['websocket'])));
      const seen = await Promise.all(clients.map((client) => whoami(client)));
      assert.ok(seen.every((s) => s.transport === 'websocket'));
      assert.deepEqual([...new Set(seen.map((s) => s.worker))].sort(), [0, 1]);
    });

    test(`${kind} clients that start polling upgrade to WebSocket on the worker of their session`, async () => {
      const clients = await Promise.all([0, 1].map(() => open(kind, ['polling', 'websocket'])));
      for (const client of clients) {
        const before = await whoami(client);
        const engine = (
          client as unknown as { io: { engine: { transport: { name: string }; once(e: string, l: () => void): void } } }
        ).io.engine;
        if (engine.transport.name !== 'websocket')
          await waitForEvent(engine as unknown as AnyClientSocket, 'upgrade', WAIT_MS);
        const afterUpgrade = await whoami(client);
        assert.equal(afterUpgrade.transport, 'websocket');
        assert.equal(afterUpgrade.pid, before.pid);
      }
    });
  }

  test('a broadcast from either worker reaches every client of both workers, polling and WebSocket alike', async () => {
    const clients = [
      await open('switchboard', ['polling']),
      await open('socket.io-client', ['polling']),
      await open('switchboard', ['websocket']),
      await open('socket.io-client', ['websocket']),
    ];
    const workers = new Set((await Promise.all(clients.map((c) => whoami(c)))).map((s) => s.worker));
    assert.deepEqual([...workers].sort(), [0, 1]);
    for (const from of [0, 1]) {
      const heard = clients.map((client) => waitForEvent(client, `news-${from}`, WAIT_MS));
      await app.call(from, 'broadcast', `news-${from}`, { from }, Buffer.from([1, 2, 3]));
      for (const args of await Promise.all(heard)) {
        assert.deepEqual(args[0], { from });
        assert.deepEqual([...new Uint8Array(args[1] as ArrayBuffer)], [1, 2, 3]);
      }
    }
  });
});
